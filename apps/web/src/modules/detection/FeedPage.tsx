import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useDetectionAbilities } from './abilities';
import { FORMATS, type Feed, type FeedInput, RELIABILITIES, TLPS, detectionApi } from './api';
import { DetectionNav } from './DetectionNav';
import { when } from './FeedsPage';
import { HealthBadge } from './HealthBadge';
import './strings';

const EMPTY: FeedInput = { name: '', url: '', format: 'txt', tlp: 'amber', intervalMinutes: 60, enabled: true };

function FeedForm({ feed, onSaved }: { feed: Feed | null; onSaved: (f: Feed) => void }) {
  const { t } = useTranslation();
  const can = useDetectionAbilities();
  const [v, setV] = useState<FeedInput>(EMPTY);
  useEffect(() => {
    if (feed)
      setV({
        name: feed.name,
        url: feed.url,
        format: feed.format,
        tlp: feed.tlp,
        intervalMinutes: feed.intervalMinutes,
        enabled: feed.enabled,
        columns: feed.columns,
        source: feed.source,
        reliability: feed.reliability,
      });
  }, [feed]);
  const save = useMutation({
    mutationFn: (input: FeedInput) => (feed ? detectionApi.update(feed.id, input) : detectionApi.create(input)),
    onSuccess: (f) => {
      notifications.show({
        message: t('detection.saved'),
        color: 'green',
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      onSaved(f);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const columns =
      v.format === 'csv'
        ? { value: v.columns?.value || 'value', ...(v.columns?.type ? { type: v.columns.type } : {}) }
        : {};
    save.mutate({
      ...v,
      columns,
      ...(v.source?.trim() ? { source: v.source.trim() } : { source: undefined }),
    });
  };
  const set = (patch: Partial<FeedInput>) => setV((old) => ({ ...old, ...patch }));
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('detection.name')}
            required
            value={v.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
          />
          <TextInput
            label={t('detection.url')}
            required
            type="url"
            value={v.url}
            onChange={(e) => set({ url: e.currentTarget.value })}
          />
          <Select
            label={t('detection.format')}
            data={FORMATS.map((f) => ({ value: f, label: t(`detection.formats.${f}`) }))}
            value={v.format}
            allowDeselect={false}
            onChange={(x) => x && set({ format: x as FeedInput['format'] })}
            description={t('detection.formatsNote')}
          />
          <TextInput
            label={t('detection.source')}
            description={t('detection.sourceHint')}
            value={v.source ?? ''}
            onChange={(e) => set({ source: e.currentTarget.value })}
          />
          <Select
            label={t('detection.tlp')}
            data={TLPS.map((x) => ({ value: x, label: `TLP:${x.toUpperCase()}` }))}
            value={v.tlp}
            allowDeselect={false}
            onChange={(x) => x && set({ tlp: x as FeedInput['tlp'] })}
          />
          <Select
            label={t('detection.reliability')}
            data={[
              { value: '', label: t('detection.reliabilityNone') },
              ...RELIABILITIES.map((r) => ({ value: r, label: r })),
            ]}
            value={v.reliability ?? ''}
            allowDeselect={false}
            onChange={(x) => set({ reliability: x ? x : null })}
          />
          <NumberInput
            label={t('detection.interval')}
            min={5}
            max={10080}
            value={v.intervalMinutes}
            onChange={(n) => set({ intervalMinutes: typeof n === 'number' ? n : Number(n) })}
          />
          <Switch
            mt="lg"
            label={t('detection.enabled')}
            checked={v.enabled}
            onChange={(e) => set({ enabled: e.currentTarget.checked })}
          />
        </SimpleGrid>
        {v.format === 'csv' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('detection.valueColumn')}
              value={v.columns?.value ?? 'value'}
              onChange={(e) => set({ columns: { ...v.columns, value: e.currentTarget.value } })}
            />
            <TextInput
              label={t('detection.typeColumn')}
              value={v.columns?.type ?? ''}
              onChange={(e) => set({ columns: { ...v.columns, type: e.currentTarget.value } })}
            />
          </SimpleGrid>
        )}
        {can.manage && (
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('detection.save')}
            </Button>
          </Group>
        )}
        <ErrorAlert error={save.error} />
      </Stack>
    </Paper>
  );
}

function Runs({ feedId }: { feedId: string }) {
  const { t } = useTranslation();
  const [errorsOnly, setErrorsOnly] = useState(false);
  const runs = useInfiniteQuery({
    queryKey: ['detection', 'runs', feedId, errorsOnly],
    queryFn: ({ pageParam }) => detectionApi.runs(feedId, errorsOnly, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Paper withBorder p="md" mt="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('detection.runs')}
        </Title>
        <Checkbox
          label={t('detection.errorsOnly')}
          checked={errorsOnly}
          onChange={(e) => setErrorsOnly(e.currentTarget.checked)}
        />
      </Group>
      <ErrorAlert error={runs.error} />
      {runs.data && items.length === 0 && <Text c="dimmed">{t('detection.noRuns')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={720} tabIndex={0} aria-label={t('detection.runs')}>
          <Table striped data-testid="runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('detection.lastChecked')}</Table.Th>
                <Table.Th>{t('detection.outcome')}</Table.Th>
                <Table.Th>{t('detection.httpStatus')}</Table.Th>
                <Table.Th>{t('detection.lines')}</Table.Th>
                <Table.Th>{t('detection.accepted')}</Table.Th>
                <Table.Th>{t('detection.badLines')}</Table.Th>
                <Table.Th>{t('detection.error')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{when(r.startedAt)}</Table.Td>
                  <Table.Td>{t(`detection.outcomes.${r.outcome}`)}</Table.Td>
                  <Table.Td>{r.httpStatus ?? '—'}</Table.Td>
                  <Table.Td>{r.lines.toLocaleString()}</Table.Td>
                  <Table.Td>{r.accepted.toLocaleString()}</Table.Td>
                  <Table.Td>{r.badLines.toLocaleString()}</Table.Td>
                  <Table.Td>{r.error ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {runs.hasNextPage && (
        <Button variant="light" mt="sm" onClick={() => runs.fetchNextPage()} loading={runs.isFetchingNextPage}>
          {t('detection.more')}
        </Button>
      )}
    </Paper>
  );
}

export function NewFeedPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <>
      <DetectionNav />
      <PageHeader title={t('detection.newFeed')} />
      <FeedForm feed={null} onSaved={(f) => navigate({ to: '/detection/feeds/$id', params: { id: f.id } })} />
    </>
  );
}

export function FeedPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const can = useDetectionAbilities();
  const qc = useQueryClient();
  const feed = useQuery({ queryKey: ['detection', 'feed', id], queryFn: () => detectionApi.feed(id) });
  const collect = useMutation({
    mutationFn: () => detectionApi.collect(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['detection'] }),
  });
  const f = feed.data;
  return (
    <>
      <DetectionNav />
      <PageHeader
        title={f ? f.name : t('detection.editFeed')}
        actions={
          can.manage && (
            <Button onClick={() => collect.mutate()} loading={collect.isPending}>
              {t('detection.collectNow')}
            </Button>
          )
        }
      />
      <ErrorAlert error={feed.error ?? collect.error} />
      {f && (
        <>
          <Paper withBorder p="md" mb="md">
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <div>
                <Text size="xs" c="dimmed" fw={700}>
                  {t('detection.health')}
                </Text>
                <HealthBadge health={f.health} />
              </div>
              <div>
                <Text size="xs" c="dimmed" fw={700}>
                  {t('detection.lastChecked')}
                </Text>
                <Text>{when(f.lastCheckedAt)}</Text>
              </div>
              <div>
                <Text size="xs" c="dimmed" fw={700}>
                  {t('detection.lastChanged')}
                </Text>
                <Text data-testid="last-changed">{when(f.lastChangedAt)}</Text>
              </div>
              <div>
                <Text size="xs" c="dimmed" fw={700}>
                  {t('detection.nextRun')}
                </Text>
                <Text>{when(f.nextRunAt)}</Text>
              </div>
            </SimpleGrid>
            {f.lastError && (
              <Alert color="red" mt="sm" title={t('detection.lastError')}>
                {f.lastError}
              </Alert>
            )}
          </Paper>
          <FeedForm feed={f} onSaved={() => qc.invalidateQueries({ queryKey: ['detection'] })} />
          <Runs feedId={f.id} />
        </>
      )}
    </>
  );
}
