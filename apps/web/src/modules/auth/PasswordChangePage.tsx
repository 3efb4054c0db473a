import { Button, List, PasswordInput, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { changePassword } from './api';
import { AuthLayout } from './AuthLayout';
import { useLogout } from '../../layout/useLogout';
import { useStageNavigation } from './useStageNavigation';

// The server's rules (PASSWORD_TOO_WEAK): at least 12 characters, at least 5 different ones,
// not containing the login, not the current password. Checked here too so the user learns why at once.
const MIN_LENGTH = 12;
const MIN_DISTINCT = 5;

/** First sign-in with a password the system or an administrator set: the user must choose his own. */
export function PasswordChangePage() {
  const { t } = useTranslation();
  const me = useMe();
  const goToStage = useStageNavigation();
  const logout = useLogout();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const mutation = useMutation({
    mutationFn: () => changePassword(current, next),
    onSuccess: (response) => goToStage(response.stage),
  });

  const tooShort = next.length > 0 && next.length < MIN_LENGTH;
  const sameAsLogin = me !== null && next.length > 0 && next.toLowerCase().includes(me.user.login.toLowerCase());
  const tooUniform = next.length >= MIN_LENGTH && new Set(next).size < MIN_DISTINCT;
  const sameAsCurrent = next.length > 0 && next === current;
  const mismatch = confirm.length > 0 && confirm !== next;
  const nextError = tooShort
    ? t('auth.password.tooShort', { min: MIN_LENGTH })
    : sameAsLogin
      ? t('auth.password.sameAsLogin')
      : sameAsCurrent
        ? t('auth.password.sameAsCurrent')
        : tooUniform
          ? t('auth.password.tooUniform', { min: MIN_DISTINCT })
          : undefined;
  const valid =
    current.length > 0 &&
    next.length >= MIN_LENGTH &&
    !sameAsLogin &&
    !sameAsCurrent &&
    !tooUniform &&
    next === confirm;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (valid) mutation.mutate();
  };

  return (
    <AuthLayout
      title={t('auth.password.title')}
      description={t('auth.password.description')}
      aside={
        <Button variant="default" size="compact-sm" onClick={() => void logout()}>
          {t('auth.logout')}
        </Button>
      }
    >
      <List size="sm" spacing={2}>
        <List.Item>{t('auth.password.ruleLength', { min: MIN_LENGTH })}</List.Item>
        <List.Item>{t('auth.password.ruleDistinct', { min: MIN_DISTINCT })}</List.Item>
        <List.Item>{t('auth.password.ruleNotLogin')}</List.Item>
      </List>
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={mutation.error} />
        <PasswordInput
          label={t('auth.password.current')}
          description={t('auth.password.currentHint')}
          autoComplete="current-password"
          required
          value={current}
          onChange={(event) => setCurrent(event.currentTarget.value)}
          mt="sm"
          autoFocus
        />
        <PasswordInput
          label={t('auth.password.new')}
          autoComplete="new-password"
          required
          value={next}
          onChange={(event) => setNext(event.currentTarget.value)}
          error={nextError}
          mt="sm"
        />
        <PasswordInput
          label={t('auth.password.confirm')}
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(event) => setConfirm(event.currentTarget.value)}
          error={mismatch || (touched && confirm !== next) ? t('auth.password.mismatch') : undefined}
          mt="sm"
        />
        {touched && !valid && !nextError && !mismatch && (
          <Text c="red.9" size="sm" mt="xs" role="alert">
            {t('auth.password.incomplete')}
          </Text>
        )}
        <Button type="submit" fullWidth mt="lg" loading={mutation.isPending}>
          {t('auth.password.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
