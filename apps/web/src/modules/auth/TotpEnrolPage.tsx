import { Alert, Button, Code, Group, Image, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLogout } from '../../layout/useLogout';
import { finishTotpEnrolment, startTotpEnrolment } from './api';
import { AuthLayout } from './AuthLayout';
import { RecoveryCodes } from './RecoveryCodes';
import { useStageNavigation } from './useStageNavigation';

/** Groups a base32 secret in fours so it can be typed by hand. */
function spaced(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function TotpEnrolPage() {
  const { t } = useTranslation();
  const goToStage = useStageNavigation();
  const logout = useLogout();
  const [code, setCode] = useState('');
  const [leaving, setLeaving] = useState(false);
  // A query rather than an effect so that React's double mount in development starts enrolment only once.
  const enrolment = useQuery({
    queryKey: ['totp-enrolment'],
    queryFn: startTotpEnrolment,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
  });
  const finish = useMutation({ mutationFn: () => finishTotpEnrolment(code.replace(/\s/g, '')) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    finish.mutate();
  };

  const done = async () => {
    setLeaving(true);
    await goToStage(finish.data?.stage ?? 'ok');
  };

  const logoutButton = (
    <Button variant="default" size="compact-sm" onClick={() => void logout()}>
      {t('auth.logout')}
    </Button>
  );

  if (finish.data) {
    return (
      <AuthLayout title={t('auth.enrol.recoveryTitle')} width={520}>
        <RecoveryCodes codes={finish.data.recoveryCodes} onDone={() => void done()} busy={leaving} />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title={t('auth.enrol.title')}
      description={t('auth.enrol.description')}
      width={520}
      aside={logoutButton}
    >
      {enrolment.isPending && (
        <Group justify="center" py="lg">
          <Loader aria-label={t('common.loading')} />
        </Group>
      )}
      <ErrorAlert error={enrolment.error} />
      {enrolment.data && (
        <Stack gap="md">
          <Text size="sm">{t('auth.enrol.step1')}</Text>
          <Group justify="center">
            <Image
              src={enrolment.data.qrDataUrl}
              alt={t('auth.enrol.qrAlt')}
              w={200}
              h={200}
              fit="contain"
              data-testid="totp-qr"
            />
          </Group>
          <Alert variant="light" color="gray" title={t('auth.enrol.manualTitle')}>
            <Text size="sm" mb={6}>
              {t('auth.enrol.manualHint')}
            </Text>
            <Code
              block
              fz="md"
              data-testid="totp-secret"
              data-secret={enrolment.data.secret}
              style={{ wordBreak: 'break-all', userSelect: 'all' }}
            >
              {spaced(enrolment.data.secret)}
            </Code>
          </Alert>
          <form onSubmit={submit} noValidate>
            <Text size="sm" mb="xs">
              {t('auth.enrol.step2')}
            </Text>
            <ErrorAlert error={finish.error} />
            <TextInput
              label={t('auth.totp.code')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={8}
              required
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              mt="xs"
            />
            <Button type="submit" fullWidth mt="md" loading={finish.isPending} disabled={code.trim().length < 6}>
              {t('auth.enrol.submit')}
            </Button>
          </form>
        </Stack>
      )}
    </AuthLayout>
  );
}
