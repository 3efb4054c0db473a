import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { type SupportRequest, hm, jst, workApi } from './api';
import './strings';

/** The working-time clock of one request: elapsed working time against its due time. */
export function SupportClockBadge({ r }: { r: SupportRequest }) {
  const { t, i18n } = useTranslation();
  const color = r.clock.overdue ? 'red' : r.clock.running ? 'blue' : 'gray';
  return (
    <Badge color={color} variant="light" data-testid="support-clock">
      {t('casework.clockOf', { working: hm(r.clock.workingMs, i18n.language), due: jst(r.clock.dueAt) })}
    </Badge>
  );
}

function Decide({ r }: { r: SupportRequest }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const done = () => qc.invalidateQueries({ queryKey: ['casework'] });
  const accept = useMutation({ mutationFn: () => workApi.accept(r.id), onSuccess: done });
  const decline = useMutation({ mutationFn: () => workApi.decline(r.id, reason), onSuccess: done });
  const back = useMutation({ mutationFn: () => workApi.handBack(r.id, reason), onSuccess: done });
  const complete = useMutation({ mutationFn: () => workApi.complete(r.id), onSuccess: done });
  const error = accept.error ?? decline.error ?? back.error ?? complete.error;
  if (r.status !== 'requested' && r.status !== 'accepted') return null;
  return (
    <Stack gap={4}>
      {error && <ErrorAlert error={error} />}
      <TextInput
        size="xs"
        label={t('casework.reason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
      <Group gap="xs">
        {r.status === 'requested' ? (
          <>
            <Button size="xs" onClick={() => accept.mutate()} loading={accept.isPending}>
              {t('casework.accept')}
            </Button>
            <Button size="xs" variant="default" disabled={!reason.trim()} onClick={() => decline.mutate()}>
              {t('casework.decline')}
            </Button>
          </>
        ) : (
          <>
            <Button size="xs" variant="default" onClick={() => complete.mutate()}>
              {t('casework.complete')}
            </Button>
            <Button size="xs" variant="default" disabled={!reason.trim()} onClick={() => back.mutate()}>
              {t('casework.handBack')}
            </Button>
          </>
        )}
      </Group>
    </Stack>
  );
}

/** A table of support requests with their clocks; `decide` adds the asked unit's buttons. */
export function SupportTable({ items, decide }: { items: SupportRequest[]; decide: boolean }) {
  const { t } = useTranslation();
  if (items.length === 0) return <Text size="sm">{t('casework.noRequests')}</Text>;
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped data-testid="support-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('casework.summary')}</Table.Th>
            <Table.Th>{t('casework.from')}</Table.Th>
            <Table.Th>{t('casework.status')}</Table.Th>
            <Table.Th>{t('casework.clock')}</Table.Th>
            {decide && <Table.Th>{t('casework.action')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id} data-testid={`support-${r.id}`}>
              <Table.Td>
                <Text fw={700} size="sm">
                  {r.summary}
                </Text>
                <Text size="xs">
                  {t(`casework.kinds.${r.kind}`)} · {t(`casework.urgencies.${r.urgency}`)}
                  {r.caseId && (
                    <>
                      {' · '}
                      <Link to="/cases/$id/work" params={{ id: r.caseId }}>
                        {r.caseNumber ?? t('casework.open')}
                      </Link>
                    </>
                  )}
                </Text>
                {r.reason && <Text size="xs">{`${t('casework.reason')}: ${r.reason}`}</Text>}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{r.fromUnit.name}</Text>
                <Text size="xs">{r.requestedBy.name}</Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="outline" data-testid="support-status">
                  {t(`casework.statuses.${r.status}`)}
                </Badge>
                {r.assignee && <Text size="xs">{`${t('casework.assignee')}: ${r.assignee.name}`}</Text>}
                {r.escalatedAt && (
                  <Text size="xs" c="red.8">
                    {t('casework.escalated')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <SupportClockBadge r={r} />
              </Table.Td>
              {decide && (
                <Table.Td>
                  <Decide r={r} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function WorkloadPanel() {
  const { t, i18n } = useTranslation();
  const w = useQuery({ queryKey: ['casework', 'workload'], queryFn: workApi.workload, retry: false });
  if (!w.data) return null;
  const median = w.data.last90Days.medianWorkingMsToDecision;
  return (
    <Paper withBorder p="sm" aria-labelledby="workload-title">
      <Title order={2} size="h4" id="workload-title" mb="xs">
        {t('casework.workload')}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Text size="sm">{`${t('casework.waiting')}: ${w.data.waiting}`}</Text>
        <Text size="sm">{`${t('casework.overdue')}: ${w.data.overdue}`}</Text>
        <Text size="sm">{`${t('casework.median')}: ${median === null ? '—' : hm(median, i18n.language)}`}</Text>
        <Text size="sm">{w.data.byAssignee.map((a) => `${a.name} ${a.open}`).join('、')}</Text>
      </SimpleGrid>
    </Paper>
  );
}

/** `/support`: the requests my unit received (with the clock and the decision buttons) and those I sent. */
export function SupportInboxPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('inbox');
  const inbox = useQuery({ queryKey: ['casework', 'support', 'inbox'], queryFn: () => workApi.support('inbox') });
  const outbox = useQuery({ queryKey: ['casework', 'support', 'outbox'], queryFn: () => workApi.support('outbox') });
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('casework.supportTitle')}
      </Title>
      <WorkloadPanel />
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List>
          <Tabs.Tab value="inbox">{t('casework.inbox')}</Tabs.Tab>
          <Tabs.Tab value="outbox">{t('casework.outbox')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="inbox" pt="sm">
          {inbox.error && <ErrorAlert error={inbox.error} />}
          <SupportTable items={inbox.data?.items ?? []} decide />
        </Tabs.Panel>
        <Tabs.Panel value="outbox" pt="sm">
          <SupportTable items={outbox.data?.items ?? []} decide={false} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** The form a case lead uses to ask the cyber division for support (mountable on the case page). */
export function RequestSupportForm({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [kind, setKind] = useState<string | null>('analysis');
  const [urgency, setUrgency] = useState<string | null>('normal');
  const [summary, setSummary] = useState('');
  const [details, setDetails] = useState('');
  const send = useMutation({
    mutationFn: () =>
      workApi.requestSupport({ caseId, kind: kind ?? 'analysis', urgency: urgency ?? 'normal', summary, details }),
    onSuccess: () => {
      setSummary('');
      setDetails('');
      void qc.invalidateQueries({ queryKey: ['casework'] });
    },
  });
  const kinds = ['analysis', 'investigation', 'advice', 'preservation', 'other'];
  return (
    <Stack gap="xs">
      {send.error && <ErrorAlert error={send.error} />}
      {send.isSuccess && <Alert color="green">{t('casework.requestSent')}</Alert>}
      <Group grow>
        <Select
          label={t('casework.kind')}
          data={kinds.map((k) => ({ value: k, label: t(`casework.kinds.${k}`) }))}
          value={kind}
          onChange={setKind}
          allowDeselect={false}
        />
        <Select
          label={t('casework.urgency')}
          data={['urgent', 'normal', 'low'].map((u) => ({ value: u, label: t(`casework.urgencies.${u}`) }))}
          value={urgency}
          onChange={setUrgency}
          allowDeselect={false}
        />
      </Group>
      <TextInput
        label={t('casework.summary')}
        value={summary}
        onChange={(e) => setSummary(e.currentTarget.value)}
        required
      />
      <Textarea
        label={t('casework.details')}
        value={details}
        onChange={(e) => setDetails(e.currentTarget.value)}
        autosize
        minRows={2}
      />
      <Group>
        <Button onClick={() => send.mutate()} disabled={!summary.trim()} loading={send.isPending}>
          {t('casework.requestSupport')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The support requests of one case, with their clocks (mountable on the case page). */
export function CaseSupportPanel({ caseId }: { caseId: string }) {
  const q = useQuery({
    queryKey: ['casework', 'support', 'case', caseId],
    queryFn: () => workApi.supportForCase(caseId),
  });
  return <SupportTable items={q.data?.items ?? []} decide={false} />;
}
