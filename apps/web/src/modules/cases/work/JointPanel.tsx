import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { jst } from './api';
import './formStrings';

interface Joint {
  id: string;
  kind: string;
  kindLabel: string;
  partnerKind: string;
  partnerName: string;
  startedOn: string;
  endedOn: string | null;
  shares: { id: string; direction: string; sharedAt: string; what: string; channel: string | null }[];
}

const base = (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}/joint`;

function ShareForm({ caseId, joint }: { caseId: string; joint: Joint }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [direction, setDirection] = useState<string | null>('sent');
  const [what, setWhat] = useState('');
  const [channel, setChannel] = useState('');
  const f = (k: string) => t(`casework.forms.joint.${k}`);
  const save = useMutation({
    mutationFn: () =>
      api.post(`${base(caseId)}/${joint.id}/shares`, {
        direction,
        what: what.trim(),
        ...(channel.trim() ? { channel: channel.trim() } : {}),
      }),
    onSuccess: () => {
      setWhat('');
      setChannel('');
      void qc.invalidateQueries({ queryKey: ['casework', 'joint', caseId] });
    },
  });
  return (
    <Stack
      gap="xs"
      component="form"
      aria-label={`${f('recordShare')} ${joint.partnerName}`}
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        if (what.trim()) save.mutate();
      }}
    >
      {save.error && <ErrorAlert error={save.error} />}
      <Group grow align="end">
        <Select
          label={f('direction')}
          data={['sent', 'received'].map((d) => ({ value: d, label: f(`directions.${d}`) }))}
          value={direction}
          onChange={setDirection}
          allowDeselect={false}
        />
        <TextInput label={f('what')} value={what} onChange={(e) => setWhat(e.currentTarget.value)} required />
        <TextInput label={f('channel')} value={channel} onChange={(e) => setChannel(e.currentTarget.value)} />
        <Button type="submit" disabled={!what.trim()} loading={save.isPending}>
          {f('recordShare')}
        </Button>
      </Group>
    </Stack>
  );
}

/** 合同捜査・共同捜査 of one case: the partners, what was shared with them, and a new joint investigation. */
export function JointPanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ['casework', 'joint', caseId];
  const list = useQuery({ queryKey: key, queryFn: () => api.get<{ items: Joint[] }>(base(caseId)) });
  const [kind, setKind] = useState<string | null>('joint');
  const [partnerKind, setPartnerKind] = useState<string | null>('prefecture');
  const [partnerName, setPartnerName] = useState('');
  const [startedOn, setStartedOn] = useState(new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10));
  const [notes, setNotes] = useState('');
  const f = (k: string) => t(`casework.forms.joint.${k}`);
  const create = useMutation({
    mutationFn: () =>
      api.post<Joint>(base(caseId), {
        kind,
        partnerKind,
        partnerName: partnerName.trim(),
        startedOn,
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      }),
    onSuccess: () => {
      setPartnerName('');
      setNotes('');
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const items = list.data?.items ?? [];
  return (
    <Stack gap="sm">
      {list.error && <ErrorAlert error={list.error} />}
      {items.length === 0 && <Text size="sm">{f('none')}</Text>}
      {items.map((j) => (
        <Paper key={j.id} withBorder p="xs">
          <Text fw={600}>
            {j.kindLabel}：{j.partnerName}（{j.startedOn}
            {j.endedOn ? `〜${j.endedOn}` : '〜'}）
          </Text>
          <Stack gap={2} my="xs">
            {j.shares.map((x) => (
              <Text size="sm" key={x.id}>
                {jst(x.sharedAt)} {f(`directions.${x.direction}`)}：{x.what}
                {x.channel ? `（${x.channel}）` : ''}
              </Text>
            ))}
          </Stack>
          <ShareForm caseId={caseId} joint={j} />
        </Paper>
      ))}
      <Stack
        gap="xs"
        component="form"
        aria-label={f('create')}
        onSubmit={(e: React.FormEvent) => {
          e.preventDefault();
          if (partnerName.trim()) create.mutate();
        }}
      >
        {create.error && <ErrorAlert error={create.error} />}
        {create.isSuccess && <Alert color="green">{f('created')}</Alert>}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={f('kind')}
            data={['joint', 'cooperative'].map((k) => ({ value: k, label: f(`kinds.${k}`) }))}
            value={kind}
            onChange={setKind}
            allowDeselect={false}
          />
          <Select
            label={f('partnerKind')}
            data={['prefecture', 'national', 'other'].map((k) => ({ value: k, label: f(`partnerKinds.${k}`) }))}
            value={partnerKind}
            onChange={setPartnerKind}
            allowDeselect={false}
          />
          <TextInput
            label={f('partnerName')}
            value={partnerName}
            onChange={(e) => setPartnerName(e.currentTarget.value)}
            required
          />
          <TextInput
            type="date"
            label={f('startedOn')}
            value={startedOn}
            onChange={(e) => setStartedOn(e.currentTarget.value)}
            required
          />
        </SimpleGrid>
        <Textarea label={f('notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} autosize />
        <Group>
          <Button type="submit" disabled={!partnerName.trim()} loading={create.isPending}>
            {f('create')}
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}
