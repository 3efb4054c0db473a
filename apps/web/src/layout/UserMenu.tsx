import { Avatar, Button, Menu, Text } from '@mantine/core';
import { IconChevronDown, IconLogout } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../api/types';
import { useLogout } from './useLogout';

export function UserMenu({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <Menu position="bottom-end" withArrow shadow="md" width={260}>
      <Menu.Target>
        <Button
          variant="subtle"
          color="dark"
          size="compact-md"
          px={6}
          leftSection={
            <Avatar size={26} color="indigo" radius="xl" aria-hidden>
              {user.name.slice(0, 1)}
            </Avatar>
          }
          rightSection={<IconChevronDown size={14} aria-hidden />}
          aria-label={t('userMenu.open', { name: user.name })}
          data-testid="user-menu"
        >
          <Text span size="sm" visibleFrom="sm">
            {user.name}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('userMenu.signedInAs')}</Menu.Label>
        <Text px="sm" size="sm" fw={600}>
          {user.name}（{user.login}）
        </Text>
        <Text px="sm" pb="xs" size="xs" c="dimmed">
          {user.unit.name}
          {user.position ? ` ・ ${user.position.name}` : ''}
        </Text>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void logout()}>
          {t('auth.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
