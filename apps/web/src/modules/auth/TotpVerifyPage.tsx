import { Anchor, Button, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLogout } from '../../layout/useLogout';
import { verifyTotp } from './api';
import { AuthLayout } from './AuthLayout';
import { useStageNavigation } from './useStageNavigation';

/** Second factor for a session whose account already has TOTP: a code, or one of the recovery codes. */
export function TotpVerifyPage() {
  const { t } = useTranslation();
  const goToStage = useStageNavigation();
  const logout = useLogout();
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const mutation = useMutation({
    mutationFn: () => verifyTotp(useRecovery ? { recoveryCode: value.trim() } : { code: value.replace(/\s/g, '') }),
    onSuccess: (response) => goToStage(response.stage),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };

  const switchMode = () => {
    setUseRecovery((previous) => !previous);
    setValue('');
    mutation.reset();
  };

  return (
    <AuthLayout
      title={t('auth.totp.title')}
      description={t(useRecovery ? 'auth.totp.recoveryDescription' : 'auth.totp.description')}
      aside={
        <Button variant="default" size="compact-sm" onClick={() => void logout()}>
          {t('auth.logout')}
        </Button>
      }
    >
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={mutation.error} />
        {useRecovery ? (
          <TextInput
            key="recovery"
            label={t('auth.totp.recoveryCode')}
            autoComplete="off"
            required
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            mt="sm"
            autoFocus
          />
        ) : (
          <TextInput
            key="code"
            label={t('auth.totp.code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={8}
            required
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            mt="sm"
            autoFocus
          />
        )}
        <Button type="submit" fullWidth mt="lg" loading={mutation.isPending} disabled={value.trim().length < 6}>
          {t('auth.totp.submit')}
        </Button>
      </form>
      <Text size="sm">
        <Anchor component="button" type="button" onClick={switchMode}>
          {t(useRecovery ? 'auth.totp.useCode' : 'auth.totp.useRecovery')}
        </Anchor>
      </Text>
    </AuthLayout>
  );
}
