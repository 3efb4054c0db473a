import { Alert, Anchor, Badge, Button, Checkbox, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BulkBar } from './BulkBar';
import { CATEGORIES, duration, intakeApi } from './api';
import './strings';

/** A timestamp as JST month/day hour:minute. */
const jst = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(new Date(iso).getTime() + 9 * 3600_000);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
};

/** The queue of the reports the user may see, with clocks and cluster sizes; the duty desk above it. */
export function QueuePage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const [channel, setChannel] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [age, setAge] = useState<string | null>(null);
  const [cluster, setCluster] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const filters = {
    status: status ?? undefined,
    channel: channel ?? undefined,
    category: category ?? undefined,
    olderThanHours: age ?? undefined,
    cluster: cluster ?? undefined,
  };
  const queue = useQuery({
    queryKey: ['intake', 'queue', filters],
    queryFn: () => intakeApi.queue(filters),
  });
  const items = queue.data?.items ?? [];
  const toggle = (id: string, on: boolean) =>
    setSelected((was) => (on ? [...new Set([...was, id])] : was.filter((x) => x !== id)));
  const allOn = items.length > 0 && items.every((r) => selected.includes(r.id));
  const duty = useQuery({ queryKey: ['intake', 'duty'], queryFn: intakeApi.duty, refetchInterval: 30_000 });
  const ack = useMutation({
    mutationFn: intakeApi.ackDuty,
    onSuccess: () => qc.invalidateQueries({ queryKey: ['intake'] }),
  });
  const lang = i18n.language;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('intake.queueTitle')}
        </Title>
        <Group>
          <Button component={Link} to="/intake/routing-rules" variant="default">
            {t('intake.rules.title')}
          </Button>
          <Button component={Link} to="/intake/new">
            {t('intake.newEntry')}
          </Button>
        </Group>
      </Group>
      <Paper withBorder p="sm" aria-labelledby="duty-title">
        <Title order={2} size="h4" id="duty-title" mb="xs">
          {t('intake.duty')}
        </Title>
        {(duty.data?.items ?? []).length === 0 ? (
          <Text size="sm">{t('intake.dutyNone')}</Text>
        ) : (
          <Stack gap="xs" data-testid="duty-list">
            {duty.data?.items.map((d) => (
              <Alert key={d.id} color="red" variant="light">
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Link
                      to="/intake/reports/$id"
                      params={{ id: d.reportId }}
                      className="intake-link"
                      style={{ fontWeight: 700 }}
                    >
                      {d.receiptNumber}
                    </Link>{' '}
                    <Text span size="sm">
                      {d.summary}
                    </Text>
                    <Text size="xs">
                      {d.reasons.map((r) => `${r.reason}: ${r.matched.join('・')}`).join(' / ')} —{' '}
                      {duration(d.waitingMs, lang)}
                    </Text>
                  </div>
                  <Button size="xs" color="red" onClick={() => ack.mutate(d.id)} loading={ack.isPending}>
                    {t('intake.acknowledge')}
                  </Button>
                </Group>
              </Alert>
            ))}
          </Stack>
        )}
      </Paper>
      <Group>
        <Select
          label={t('intake.status')}
          data={['received', 'assigned', 'in_progress', 'closed']}
          value={status}
          onChange={setStatus}
          clearable
          placeholder={t('intake.filters.all')}
        />
        <Select
          label={t('intake.channel')}
          data={['web', 'phone', 'counter', 'mail', 'npa_online', 'ihc', 'patrol', 'partner']}
          value={channel}
          onChange={setChannel}
          clearable
          placeholder={t('intake.filters.all')}
        />
        <Select
          label={t('intake.category')}
          data={[...CATEGORIES]}
          value={category}
          onChange={setCategory}
          clearable
          placeholder={t('intake.filters.all')}
        />
        <Select
          label={t('intake.filters.age')}
          data={['4', '24', '72', '168'].map((h) => ({
            value: h,
            label: t('intake.filters.olderThan', { count: Number(h) }),
          }))}
          value={age}
          onChange={setAge}
          clearable
          placeholder={t('intake.filters.all')}
        />
        {cluster && (
          <Button variant="light" onClick={() => setCluster(null)} data-testid="cluster-filter">
            {t('intake.filters.clusterOff')}
          </Button>
        )}
      </Group>
      <BulkBar ids={selected} onDone={() => setSelected([])} />
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover data-testid="intake-queue">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>
                <Checkbox
                  aria-label={t('intake.bulk.selectAll')}
                  checked={allOn}
                  onChange={(e) => setSelected(e.currentTarget.checked ? items.map((r) => r.id) : [])}
                />
              </Table.Th>
              <Table.Th>{t('intake.receiptNumber')}</Table.Th>
              <Table.Th>{t('intake.status')}</Table.Th>
              <Table.Th>{t('intake.category')}</Table.Th>
              <Table.Th>{t('intake.summary')}</Table.Th>
              <Table.Th>{t('intake.unit')}</Table.Th>
              <Table.Th>{t('intake.sinceReceipt')}</Table.Th>
              <Table.Th>{t('intake.cluster')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id} data-receipt={r.receiptNumber}>
                <Table.Td>
                  <Checkbox
                    aria-label={t('intake.bulk.select', { receipt: r.receiptNumber })}
                    checked={selected.includes(r.id)}
                    onChange={(e) => toggle(r.id, e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td>
                  <Link to="/intake/reports/$id" params={{ id: r.id }} className="intake-link">
                    {r.receiptNumber}
                  </Link>
                  {r.urgent && (
                    <Badge color="red" ml={4}>
                      {t('intake.urgent')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{r.statusLabel}</Table.Td>
                <Table.Td>
                  {r.category ?? (
                    <Text span c="dimmed" size="sm">
                      {t('intake.suggested')}: {r.suggestedCategory}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ maxWidth: 320 }}>
                  <Text size="sm" lineClamp={2}>
                    {r.summary}
                  </Text>
                </Table.Td>
                <Table.Td>{r.ownerUnitName}</Table.Td>
                <Table.Td data-testid="clock">
                  {duration(r.clocks.sinceReceipt?.workingMs, lang)} /{' '}
                  {duration(r.clocks.sinceReceipt?.calendarMs, lang)}
                </Table.Td>
                <Table.Td data-testid="cluster-size">
                  {r.cluster ? (
                    <>
                      <Anchor component="button" type="button" onClick={() => r.cluster && setCluster(r.cluster.id)}>
                        {t('intake.clusterSize', { count: r.cluster.size })}
                      </Anchor>
                      {r.cluster.size > 1 && (
                        <Text size="xs">
                          {jst(r.cluster.firstAt)} – {jst(r.cluster.latestAt)}
                        </Text>
                      )}
                    </>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
