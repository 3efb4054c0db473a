import {
  Alert,
  Button,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import './formStrings';

interface Assistance {
  id: string;
  scope: string;
  direction: string;
  source: string;
  counterpart: string;
  channel: string | null;
  reference: string | null;
  subject: string;
  status: string;
  requestedOn: string;
  dueOn: string | null;
  answeredOn: string | null;
}

const STATUSES = ['requested', 'sent', 'in_progress', 'answered', 'closed', 'refused'];
const opt = (s: string) => (s.trim() ? s.trim() : undefined);
const today = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);

/** 捜査共助 and international assistance (ICPO, MLAT, 24/7) of one case: the list with statuses, and a new request. */
export function AssistancePanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ['casework', 'assistance', caseId];
  const list = useQuery({
    queryKey: key,
    queryFn: () => api.get<{ items: Assistance[] }>('/api/case-assistance', { caseId }),
  });
  const [scope, setScope] = useState<string | null>('domestic');
  const [direction, setDirection] = useState<string | null>('outgoing');
  const [source, setSource] = useState<string | null>('prefecture');
  const [channel, setChannel] = useState<string | null>(null);
  const [counterpart, setCounterpart] = useState('');
  const [subject, setSubject] = useState('');
  const [details, setDetails] = useState('');
  const [requestedOn, setRequestedOn] = useState(today());
  const [dueOn, setDueOn] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.post<Assistance>('/api/case-assistance', {
        caseId,
        scope,
        direction,
        source,
        counterpart: counterpart.trim(),
        subject: subject.trim(),
        details: opt(details),
        requestedOn,
        dueOn: opt(dueOn),
        ...(scope === 'international' && channel ? { channel } : {}),
      }),
    onSuccess: () => {
      setCounterpart('');
      setSubject('');
      setDetails('');
      setDueOn('');
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const patch = useMutation({
    mutationFn: ({ id, status }: { id: string; status: string }) =>
      api.patch<Assistance>(`/api/case-assistance/${id}`, {
        status,
        ...(status === 'answered' ? { answeredOn: today() } : {}),
        ...(status === 'sent' ? { sentOn: today() } : {}),
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const f = (k: string) => t(`casework.forms.assist.${k}`);
  const items = list.data?.items ?? [];
  return (
    <Stack gap="sm">
      {list.error && <ErrorAlert error={list.error} />}
      {patch.error && <ErrorAlert error={patch.error} />}
      {items.length === 0 ? (
        <Text size="sm">{f('none')}</Text>
      ) : (
        <Table striped data-testid="assistance-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{f('direction')}</Table.Th>
              <Table.Th>{f('counterpart')}</Table.Th>
              <Table.Th>{f('subject')}</Table.Th>
              <Table.Th>{f('dates')}</Table.Th>
              <Table.Th>{f('status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  {f(`directions.${a.direction}`)} / {f(`scopes.${a.scope}`)}
                  {a.channel ? `（${f(`channels.${a.channel}`)}）` : ''}
                </Table.Td>
                <Table.Td>{a.counterpart}</Table.Td>
                <Table.Td>{a.subject}</Table.Td>
                <Table.Td>
                  {a.requestedOn}
                  {a.dueOn ? ` → ${a.dueOn}` : ''}
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`${f('status')} ${a.subject}`}
                    data={STATUSES.map((s) => ({ value: s, label: f(`statuses.${s}`) }))}
                    value={a.status}
                    onChange={(v) => v && v !== a.status && patch.mutate({ id: a.id, status: v })}
                    allowDeselect={false}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Stack
        gap="xs"
        component="form"
        aria-labelledby="cw-assist-form"
        onSubmit={(e: React.FormEvent) => {
          e.preventDefault();
          if (counterpart.trim() && subject.trim()) create.mutate();
        }}
      >
        <Title order={3} size="h5" id="cw-assist-form">
          {f('new')}
        </Title>
        {create.error && <ErrorAlert error={create.error} />}
        {create.isSuccess && <Alert color="green">{f('saved')}</Alert>}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={f('scope')}
            data={['domestic', 'international'].map((s) => ({ value: s, label: f(`scopes.${s}`) }))}
            value={scope}
            onChange={(v) => {
              setScope(v);
              setSource(v === 'international' ? 'foreign' : 'prefecture');
              setChannel(v === 'international' ? 'icpo' : null);
            }}
            allowDeselect={false}
          />
          <Select
            label={f('direction')}
            data={['incoming', 'outgoing'].map((s) => ({ value: s, label: f(`directions.${s}`) }))}
            value={direction}
            onChange={setDirection}
            allowDeselect={false}
          />
          <Select
            label={f('source')}
            data={['prefecture', 'ihc', 'npa', 'foreign'].map((s) => ({ value: s, label: f(`sources.${s}`) }))}
            value={source}
            onChange={setSource}
            allowDeselect={false}
          />
          {scope === 'international' && (
            <Select
              label={f('channel')}
              data={['icpo', 'mlat', '24-7'].map((s) => ({ value: s, label: f(`channels.${s}`) }))}
              value={channel}
              onChange={setChannel}
              allowDeselect={false}
              required
            />
          )}
          <TextInput
            label={f('counterpart')}
            value={counterpart}
            onChange={(e) => setCounterpart(e.currentTarget.value)}
            required
            maxLength={200}
          />
          <TextInput
            type="date"
            label={f('requestedOn')}
            value={requestedOn}
            onChange={(e) => setRequestedOn(e.currentTarget.value)}
            required
          />
          <TextInput type="date" label={f('dueOn')} value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} />
        </SimpleGrid>
        <TextInput
          label={f('subject')}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          required
          maxLength={500}
        />
        <Textarea
          label={f('details')}
          value={details}
          onChange={(e) => setDetails(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <Group>
          <Button type="submit" disabled={!counterpart.trim() || !subject.trim()} loading={create.isPending}>
            {f('new')}
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}
