import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconLogout } from '@tabler/icons-react';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../api/session';
import { LanguageSwitch } from './LanguageSwitch';
import { allowedNavItems, type NavItem } from './navigation';
import { UserMenu } from './UserMenu';
import { useLogout } from './useLogout';

function NavSection({ items, label, onNavigate }: { items: NavItem[]; label?: string; onNavigate: () => void }) {
  const { t } = useTranslation();
  const path = useRouterState({ select: (state) => state.location.pathname });
  if (items.length === 0) return null;
  return (
    <>
      {label && (
        <Text size="xs" fw={700} c="dimmed" px="sm" pt="md" pb={4} tt="uppercase">
          {label}
        </Text>
      )}
      {items.map((item) => {
        const active = item.to === '/' ? path === '/' : path.startsWith(item.to);
        return (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={t(item.labelKey)}
            leftSection={<item.icon size={18} aria-hidden />}
            active={active}
            aria-current={active ? 'page' : undefined}
            onClick={onNavigate}
          />
        );
      })}
    </>
  );
}

/** The signed-in frame: header with product, language, user; navigation limited to the session's abilities. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Collapsed on a phone, the navbar only slides off screen: hide it so keyboard focus cannot land in it.
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const items = allowedNavItems(me?.abilities);
  const byGroup = (group: NavItem['group']) => items.filter((item) => item.group === group);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t(opened ? 'app.closeNavigation' : 'app.openNavigation')}
            />
            <UnstyledButton component={Link} to="/" aria-label={t('app.homeLink')}>
              <Text fw={700} size="lg" c="indigo.9" style={{ whiteSpace: 'nowrap' }}>
                連携{' '}
                <Text span fw={500} c="gray.8" inherit lang="en">
                  Renkei
                </Text>
              </Text>
            </UnstyledButton>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            {me && <UserMenu user={me.user} />}
            <Button
              variant="default"
              size="compact-sm"
              leftSection={<IconLogout size={16} aria-hidden />}
              onClick={() => void logout()}
              visibleFrom="sm"
            >
              {t('auth.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar
        p="xs"
        aria-label={t('nav.label')}
        style={phone && !opened ? { visibility: 'hidden' } : undefined}
      >
        <AppShell.Section grow component={ScrollArea}>
          <NavSection items={byGroup('main')} onNavigate={close} />
          <NavSection items={byGroup('admin')} label={t('nav.adminGroup')} onNavigate={close} />
          <NavSection items={byGroup('audit')} label={t('nav.auditGroup')} onNavigate={close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
