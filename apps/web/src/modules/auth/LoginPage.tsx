import { Button, PasswordInput, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { login } from './api';
import { AuthLayout } from './AuthLayout';
import { SsoSection } from './SsoButton';
import { useStageNavigation } from './useStageNavigation';

export function LoginPage() {
  const { t } = useTranslation();
  const goToStage = useStageNavigation();
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: () => login(loginId.trim(), password),
    onSuccess: (response) => goToStage(response.stage),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <AuthLayout title={t('auth.login.title')} description={t('auth.login.description')}>
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={mutation.error} />
        <TextInput
          label={t('auth.login.loginId')}
          name="username"
          autoComplete="username"
          required
          value={loginId}
          onChange={(event) => setLoginId(event.currentTarget.value)}
          mt="sm"
          data-autofocus
          autoFocus
        />
        <PasswordInput
          label={t('auth.login.password')}
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          mt="sm"
        />
        <Button type="submit" fullWidth mt="lg" loading={mutation.isPending} disabled={!loginId || !password}>
          {t('auth.login.submit')}
        </Button>
      </form>
      <SsoSection />
    </AuthLayout>
  );
}
