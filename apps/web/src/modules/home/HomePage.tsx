import { Badge, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/session';
import type { SessionUser } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { type ModuleCard, moduleCards } from './moduleCards';

function UserSummary({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    [t('home.unit'), user.unit.name],
    [t('home.position'), user.position?.name ?? t('common.none')],
    [t('home.roles'), user.roles.map((role) => t(`roles.${role}`, { defaultValue: role })).join('、')],
    [t('home.clearance'), t(`clearance.${user.clearance}`, { defaultValue: String(user.clearance) })],
  ];
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="home-user" data-testid="home-user">
      <Title order={2} size="h4" id="home-user">
        {user.name}
        <Text span size="sm" c="dimmed" ml="xs">
          {user.nameKana}
        </Text>
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} mt="sm" spacing="xs" component="dl" m={0}>
        {rows.map(([label, value]) => (
          <div key={label}>
            <Text component="dt" size="xs" c="dimmed">
              {label}
            </Text>
            <Text component="dd" size="sm" fw={500} m={0}>
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>
    </Card>
  );
}

function ModuleTile({ card }: { card: ModuleCard }) {
  const { t } = useTranslation();
  const title = t(`modules.${card.key}.title`);
  const body = (
    <Card withBorder padding="md" radius="md" h="100%" bg={card.to ? 'white' : 'gray.0'}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <ThemeIcon size={40} radius="md" variant="light" color={card.to ? 'indigo' : 'gray'} aria-hidden>
          <card.icon size={22} />
        </ThemeIcon>
        {!card.to && (
          <Badge color="gray" variant="outline" c="gray.8">
            {t('home.comingSoon')}
          </Badge>
        )}
      </Group>
      <Text fw={700} mt="sm" component="h3" size="md">
        {title}
      </Text>
      <Text size="sm" c="dimmed" mt={4}>
        {t(`modules.${card.key}.description`)}
      </Text>
    </Card>
  );
  if (!card.to) {
    return (
      <li aria-disabled="true" data-testid={`module-${card.key}`} style={{ listStyle: 'none' }}>
        {body}
      </li>
    );
  }
  return (
    <li data-testid={`module-${card.key}`} style={{ listStyle: 'none' }}>
      <UnstyledButton component={Link} to={card.to} display="block" h="100%" aria-label={title}>
        {body}
      </UnstyledButton>
    </li>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me) return null;
  const cards = moduleCards.filter((card) => !card.visible || card.visible(me.abilities));
  return (
    <Stack gap="lg">
      <PageHeader title={t('home.title')} description={t('home.welcome', { name: me.user.name })} />
      <UserSummary user={me.user} />
      <section aria-labelledby="home-modules">
        <Title order={2} size="h4" id="home-modules" mb="sm">
          {t('home.modules')}
        </Title>
        <SimpleGrid component="ul" cols={{ base: 1, xs: 2, md: 3, lg: 4 }} spacing="md" p={0} m={0}>
          {cards.map((card) => (
            <ModuleTile key={card.key} card={card} />
          ))}
        </SimpleGrid>
      </section>
    </Stack>
  );
}
