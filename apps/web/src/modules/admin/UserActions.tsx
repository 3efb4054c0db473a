import { Button, Divider, Group, Stack, Text, Textarea } from '@mantine/core';
import { IconKey, IconLock, IconLockOpen, IconShieldOff } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import { formatDateTime } from '../../format';
import { type AdminUser, adminApi } from './api';

interface Props {
  user: AdminUser;
  isSelf: boolean;
  onChanged: (user: AdminUser) => void;
}

/** Disable (with a reason) or enable an account, and reset its password or MFA. Accounts are never deleted. */
export function UserActions({ user, isSelf, onChanged }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
  const disable = useMutation({
    mutationFn: () => adminApi.disableUser(user.id, reason.trim()),
    onSuccess: async (updated) => {
      setReason('');
      await refresh();
      onChanged(updated);
    },
  });
  const enable = useMutation({
    mutationFn: () => adminApi.enableUser(user.id),
    onSuccess: async (updated) => {
      await refresh();
      onChanged(updated);
    },
  });
  const resetPassword = useMutation({
    mutationFn: () => adminApi.resetPassword(user.id),
    onSuccess: (result) => setPassword(result.initialPassword),
  });
  const resetMfa = useMutation({
    mutationFn: () => adminApi.resetMfa(user.id),
    onSuccess: async (updated) => {
      await refresh();
      onChanged(updated);
    },
  });
  const error = disable.error ?? enable.error ?? resetPassword.error ?? resetMfa.error;

  return (
    <Stack gap="sm">
      <ErrorAlert error={error} />
      {password && <OneTimeSecret label={t('admin.users.newPassword')} value={password} testId="reset-password" />}
      <Group gap="xs">
        <Button
          variant="default"
          leftSection={<IconKey size={16} aria-hidden />}
          loading={resetPassword.isPending}
          onClick={() => window.confirm(t('admin.users.confirmResetPassword')) && resetPassword.mutate()}
        >
          {t('admin.users.resetPassword')}
        </Button>
        <Button
          variant="default"
          leftSection={<IconShieldOff size={16} aria-hidden />}
          loading={resetMfa.isPending}
          disabled={!user.mfaEnrolled}
          onClick={() => window.confirm(t('admin.users.confirmResetMfa')) && resetMfa.mutate()}
        >
          {t('admin.users.resetMfa')}
        </Button>
      </Group>
      <Divider />
      {user.status === 'active' ? (
        <Stack gap="xs">
          <Textarea
            label={t('admin.users.disableReason')}
            description={isSelf ? t('admin.users.cannotDisableSelf') : t('admin.users.disableHint')}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            disabled={isSelf}
            autosize
            minRows={2}
          />
          <Group>
            <Button
              color="red.9"
              leftSection={<IconLock size={16} aria-hidden />}
              disabled={isSelf || reason.trim().length === 0}
              loading={disable.isPending}
              onClick={() => disable.mutate()}
            >
              {t('admin.users.disable')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Group justify="space-between">
          <Text size="sm">{t('admin.users.disabledSince', { date: formatDateTime(user.disabledAt) })}</Text>
          <Button
            variant="default"
            leftSection={<IconLockOpen size={16} aria-hidden />}
            loading={enable.isPending}
            onClick={() => enable.mutate()}
          >
            {t('admin.users.enable')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
