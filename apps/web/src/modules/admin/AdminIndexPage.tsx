import { Card, SimpleGrid, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/session';
import { ForbiddenNotice } from '../../components/ForbiddenNotice';
import { PageHeader } from '../../components/PageHeader';
import { allowedNavItems, hasAdminAbility } from '../../layout/navigation';

/** The 管理 landing page: the administration pages this session may open. */
export function AdminIndexPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me || !hasAdminAbility(me.abilities)) return <ForbiddenNotice />;
  const items = allowedNavItems(me.abilities).filter((item) => item.group === 'admin');
  return (
    <>
      <PageHeader title={t('admin.title')} description={t('admin.description')} />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} component="ul" p={0} m={0}>
        {items.map((item) => (
          <li key={item.to} style={{ listStyle: 'none' }}>
            <UnstyledButton component={Link} to={item.to} display="block" h="100%">
              <Card withBorder padding="md" radius="md" h="100%">
                <ThemeIcon size={40} radius="md" variant="light" aria-hidden>
                  <item.icon size={22} />
                </ThemeIcon>
                <Text fw={700} mt="sm">
                  {t(item.labelKey)}
                </Text>
                <Text size="sm" c="dimmed" mt={4}>
                  {t(`${item.labelKey}Description`)}
                </Text>
              </Card>
            </UnstyledButton>
          </li>
        ))}
      </SimpleGrid>
    </>
  );
}
