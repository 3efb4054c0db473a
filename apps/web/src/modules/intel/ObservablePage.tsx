import {
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconChartDots3 } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { useIntelAbilities } from './abilities';
import { intelApi, type ObservableDetail, type PlaceItem, ROLES, type Role } from './api';
import { IntelNav } from './IntelNav';
import { TlpBadge } from './TlpBadge';
import { placeHref, roleColor } from './links';
import { SearchBox } from './SearchBox';
import './strings';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={700}>
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}

function PlaceLink({ place }: { place: Pick<PlaceItem, 'type' | 'id' | 'title' | 'typeLabel'> }) {
  const href = placeHref(place.type, place.id);
  const text = place.title ?? place.id;
  return href ? (
    <Anchor href={href} style={{ wordBreak: 'break-all' }}>
      {text}
    </Anchor>
  ) : (
    <Text span style={{ wordBreak: 'break-all' }}>
      {text}
    </Text>
  );
}

function RoleControl({ observableId, place }: { observableId: string; place: PlaceItem }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (role: Role) => intelApi.setRole(observableId, place.type, place.id, role),
    onSuccess: () => {
      notifications.show({
        color: 'teal',
        message: t('intel.roleSaved'),
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      void queryClient.invalidateQueries({ queryKey: ['intel', 'observable', observableId] });
    },
  });
  return (
    <Stack gap={4}>
      <Select
        size="xs"
        w={130}
        aria-label={`${t('intel.changeRole')}: ${place.title ?? place.id}`}
        data={ROLES.map((r) => ({ value: r, label: t(`intel.roles.${r}`) }))}
        value={place.role}
        allowDeselect={false}
        disabled={change.isPending}
        onChange={(value) => value && value !== place.role && change.mutate(value as Role)}
      />
      <ErrorAlert error={change.error} />
    </Stack>
  );
}

function Detail({ data }: { data: ObservableDetail }) {
  const { t } = useTranslation();
  const can = useIntelAbilities();
  const o = data.observable;
  const entities = data.places.filter((p) => p.type === 'entity');
  const records = data.places.filter((p) => p.type !== 'entity');
  return (
    <Stack gap="md">
      <PageHeader
        title={`${t('intel.observableTitle')}: ${o.typeLabel}`}
        actions={
          <Button
            component={Link}
            to={`/intel/observables/${o.id}/graph`}
            leftSection={<IconChartDots3 size={16} aria-hidden />}
          >
            {t('intel.openGraph')}
          </Button>
        }
      />
      {o.warnings.length > 0 && (
        <Paper withBorder p="sm" bg="yellow.0" role="note">
          <Group gap="xs" wrap="nowrap">
            <IconAlertTriangle aria-hidden color="var(--mantine-color-yellow-9)" />
            <div>
              <Text fw={700}>
                {t('intel.warning')} ({o.warnings.length})
              </Text>
              <Text size="sm">
                {t('intel.warningHint', { count: o.warnings.length })}: {o.warnings.map((w) => w.name).join('、')}
              </Text>
            </div>
          </Group>
        </Paper>
      )}
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Field label={t('intel.display')}>
            <Code data-testid="observable-display" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {o.display}
            </Code>
          </Field>
          <Field label={t('intel.canonical')}>
            <Code style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{o.value}</Code>
          </Field>
          <Field label={t('intel.type')}>{o.typeLabel}</Field>
          <Field label={`${t('intel.tlp')} / ${t('intel.pap')}`}>
            <Group gap={4}>
              <TlpBadge tlp={o.tlp} />
              <Badge variant="outline" color="dark">
                PAP:{(o.pap ?? '—').toUpperCase()}
              </Badge>
            </Group>
          </Field>
          <Field label={t('intel.firstSeen')}>{formatDateTime(o.firstSeen)}</Field>
          <Field label={t('intel.lastSeen')}>{formatDateTime(o.lastSeen)}</Field>
          <Field label={t('intel.expires')}>
            {o.expiresAt ? formatDateTime(o.expiresAt) : '—'}{' '}
            {o.expired && (
              <Badge color="gray" size="sm">
                {t('intel.expired')}
              </Badge>
            )}
          </Field>
          <Field label={t('intel.tags')}>
            {o.tags.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('intel.noTags')}
              </Text>
            ) : (
              <Group gap={4}>
                {o.tags.map((tag) => (
                  <Badge key={tag} variant="light" color="indigo" tt="none">
                    {tag}
                  </Badge>
                ))}
              </Group>
            )}
          </Field>
          <Field label={t('intel.counts')}>
            <Stack gap={0}>
              {o.counts.map((c) => (
                <Text key={c.placeType} size="sm">
                  {c.label}: {c.visible}
                  {c.capped ? '+' : ''}
                  {c.hidden ? ` （${t('intel.hiddenCount', { count: c.hidden })}）` : ''}
                </Text>
              ))}
            </Stack>
          </Field>
        </SimpleGrid>
      </Paper>

      <section aria-labelledby="intel-places">
        <Title order={2} size="h4" id="intel-places" mb="xs">
          {t('intel.places')}
        </Title>
        {records.length === 0 ? (
          <Text c="dimmed">{t('intel.none')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560} tabIndex={0} aria-label={t('intel.places')}>
            <Table striped withTableBorder data-testid="intel-places">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('intel.placeType')}</Table.Th>
                  <Table.Th>{t('intel.place')}</Table.Th>
                  <Table.Th>{t('intel.role')}</Table.Th>
                  <Table.Th>{t('intel.lastSeen')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {records.map((p) => (
                  <Table.Tr key={`${p.type}:${p.id}`}>
                    <Table.Td>{p.typeLabel}</Table.Td>
                    <Table.Td>
                      <PlaceLink place={p} />
                    </Table.Td>
                    <Table.Td>
                      {can.write ? (
                        <RoleControl observableId={o.id} place={p} />
                      ) : (
                        <Badge color={roleColor[p.role] ?? 'gray'} variant="light">
                          {t(`intel.roles.${p.role}`)}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{formatDateTime(p.lastSeen)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>

      <section aria-labelledby="intel-campaigns">
        <Title order={2} size="h4" id="intel-campaigns" mb="xs">
          {t('intel.campaigns')}
        </Title>
        {entities.length === 0 ? (
          <Text c="dimmed">{t('intel.none')}</Text>
        ) : (
          <Stack gap={4}>
            {entities.map((p) => (
              <Group key={p.id} gap="xs">
                <PlaceLink place={p} />
                <Badge color={roleColor[p.role] ?? 'gray'} variant="light">
                  {t(`intel.roles.${p.role}`)}
                </Badge>
                {p.reason && (
                  <Text size="sm" c="dimmed">
                    {p.reason}
                  </Text>
                )}
              </Group>
            ))}
          </Stack>
        )}
      </section>

      <section aria-labelledby="intel-related">
        <Title order={2} size="h4" id="intel-related" mb="xs">
          {t('intel.related')}
        </Title>
        {data.related.length === 0 ? (
          <Text c="dimmed">{t('intel.none')}</Text>
        ) : (
          <Stack gap={4}>
            {data.related.map((r) => (
              <Group key={r.id} gap="xs" wrap="nowrap">
                <Badge variant="outline" style={{ flexShrink: 0 }}>
                  {t(r.direction === 'derived' ? 'intel.derived' : 'intel.derivedFrom')}
                </Badge>
                <Text size="sm" style={{ flexShrink: 0 }}>
                  {r.typeLabel}
                </Text>
                <Anchor component={Link} to={`/intel/observables/${r.id}`} style={{ wordBreak: 'break-all' }}>
                  {r.display}
                </Anchor>
              </Group>
            ))}
          </Stack>
        )}
      </section>

      <section aria-labelledby="intel-sightings">
        <Title order={2} size="h4" id="intel-sightings" mb="xs">
          {t('intel.sightings')}
        </Title>
        {data.sightings.length === 0 ? (
          <Text c="dimmed">{t('intel.none')}</Text>
        ) : (
          <Timeline bulletSize={14} lineWidth={2}>
            {[...data.sightings]
              .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
              .map((s) => (
                <Timeline.Item key={s.sourceId} title={s.source ?? s.sourceId}>
                  <Text size="sm" c="dimmed">
                    {formatDateTime(s.firstSeen)} – {formatDateTime(s.lastSeen)} ・ {t('intel.seenCount')} {s.count}
                  </Text>
                </Timeline.Item>
              ))}
          </Timeline>
        )}
      </section>
    </Stack>
  );
}

export function ObservablePage() {
  const { id } = useParams({ from: '/app/intel/observables/$id' });
  const query = useQuery({ queryKey: ['intel', 'observable', id], queryFn: () => intelApi.get(id) });
  return (
    <>
      <IntelNav />
      <Paper withBorder p="sm" mb="md">
        <SearchBox />
      </Paper>
      <ErrorAlert error={query.error} />
      {query.data && <Detail data={query.data} />}
    </>
  );
}
