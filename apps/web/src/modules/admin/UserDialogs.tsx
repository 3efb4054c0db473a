import { Badge, Button, Drawer, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/session';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import type { AdminUser } from './api';
import { UserActions } from './UserActions';
import { UserForm } from './UserForm';

/** Create a user; afterwards show the one-time password once. */
export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<{ user: AdminUser; initialPassword: string } | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={close}
      title={t('admin.users.create')}
      size="xl"
    >
      {created ? (
        <Stack>
          <Text>{t('admin.users.created', { name: created.user.name, login: created.user.login })}</Text>
          <OneTimeSecret
            label={t('admin.users.initialPassword')}
            value={created.initialPassword}
            testId="initial-password"
          />
          <Text size="sm">{t('admin.users.initialPasswordHint')}</Text>
          <Group justify="flex-end">
            <Button onClick={close}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        opened && <UserForm user={null} onCreated={setCreated} />
      )}
    </Modal>
  );
}

/** One user's details, edit form and account actions. */
export function UserDrawer({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [current, setCurrent] = useState<AdminUser | null>(null);
  const shown = current && current.id === user?.id ? current : user;
  const isSelf = shown !== null && me?.user.id === shown.id;
  const close = () => {
    setCurrent(null);
    onClose();
  };
  return (
    <Drawer
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={user !== null}
      onClose={close}
      position="right"
      size="xl"
      title={shown ? `${shown.name}（${shown.login}）` : ''}
    >
      {shown && (
        <Stack gap="lg">
          <Group gap="xs">
            <Badge color={shown.status === 'active' ? 'teal' : 'gray'} variant="light">
              {t(`admin.users.status.${shown.status}`)}
            </Badge>
            <Badge color={shown.mfaEnrolled ? 'teal' : 'orange'} variant="light">
              {t(shown.mfaEnrolled ? 'admin.users.mfaOn' : 'admin.users.mfaOff')}
            </Badge>
          </Group>
          <section>
            <Title order={2} size="h4" mb="xs">
              {t('admin.users.editHeading')}
            </Title>
            <UserForm key={`${shown.id}-${shown.status}`} user={shown} isSelf={isSelf} onSaved={setCurrent} />
          </section>
          <section>
            <Title order={2} size="h4" mb="xs">
              {t('admin.users.accountHeading')}
            </Title>
            <UserActions user={shown} isSelf={isSelf} onChanged={setCurrent} />
          </section>
        </Stack>
      )}
    </Drawer>
  );
}
