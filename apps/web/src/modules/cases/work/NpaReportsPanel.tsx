import { Alert, Anchor, Button, Group, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { jst } from './api';
import './formStrings';

interface NpaReport {
  id: string;
  kind: string;
  title: string;
  period: string | null;
  caseId: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** 警察庁への報告 (periodic or immediate) of this case: create, download the JSON file, mark as sent. */
export function NpaReportsPanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ['casework', 'npa', caseId];
  const list = useQuery({
    queryKey: key,
    queryFn: () => api.get<{ items: NpaReport[] }>('/api/npa-reports'),
    retry: false,
  });
  const [kind, setKind] = useState<string | null>('immediate');
  const [period, setPeriod] = useState('');
  const [note, setNote] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.post<NpaReport>('/api/npa-reports', {
        kind,
        caseId,
        ...(kind === 'periodic' && period ? { period } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: () => {
      setNote('');
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const sent = useMutation({
    mutationFn: (id: string) => api.post(`/api/npa-reports/${id}/sent`, {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const f = (k: string) => t(`casework.forms.npa.${k}`);
  // Only cyber analysts may report to the NPA: others see a short note, not an error.
  if (list.error instanceof ApiError && list.error.status === 403) return <Text size="sm">{f('notAllowed')}</Text>;
  const items = (list.data?.items ?? []).filter((r) => r.caseId === caseId);
  return (
    <Stack gap="sm">
      {list.error && <ErrorAlert error={list.error} />}
      {sent.error && <ErrorAlert error={sent.error} />}
      {items.length === 0 ? (
        <Text size="sm">{f('none')}</Text>
      ) : (
        <Table striped data-testid="npa-table">
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{f(`kinds.${r.kind}`)}</Table.Td>
                <Table.Td>{r.title}</Table.Td>
                <Table.Td>{jst(r.createdAt)}</Table.Td>
                <Table.Td>
                  <Anchor href={`/api/npa-reports/${r.id}/file`} download>
                    {f('download')}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {r.sentAt ? (
                    `${f('sentAt')} ${jst(r.sentAt)}`
                  ) : (
                    <Button size="xs" variant="light" onClick={() => sent.mutate(r.id)} loading={sent.isPending}>
                      {f('markSent')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Stack
        gap="xs"
        component="form"
        aria-label={f('create')}
        onSubmit={(e: React.FormEvent) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        {create.error && <ErrorAlert error={create.error} />}
        {create.isSuccess && <Alert color="green">{f('created')}</Alert>}
        <Group grow>
          <Select
            label={f('kind')}
            data={['immediate', 'periodic'].map((k) => ({ value: k, label: f(`kinds.${k}`) }))}
            value={kind}
            onChange={setKind}
            allowDeselect={false}
          />
          {kind === 'periodic' && (
            <TextInput
              type="month"
              label={f('period')}
              value={period}
              onChange={(e) => setPeriod(e.currentTarget.value)}
            />
          )}
        </Group>
        <Textarea
          label={f('note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <Group>
          <Button type="submit" loading={create.isPending}>
            {f('create')}
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}
