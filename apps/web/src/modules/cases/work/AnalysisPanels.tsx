import { Badge, Button, Checkbox, Group, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { type Analysis, type CheckItem, workApi } from './api';
import './strings';

const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

/** One analysis request: purpose, equipment, tools, the procedure checklist, status and decision. */
export function AnalysisCard({ a, children }: { a: Analysis; children?: React.ReactNode }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const editable = (a.status === 'draft' || a.status === 'returned') && !children;
  const [checks, setChecks] = useState<CheckItem[]>(a.checklist);
  const tick = useMutation({
    mutationFn: (next: CheckItem[]) => workApi.updateAnalysis(a.caseId, a.id, { checklist: next }),
  });
  const toggle = (i: number) => {
    const next = checks.map((c, j) => (j === i ? { ...c, done: !c.done } : c));
    setChecks(next);
    tick.mutate(next);
  };
  const submit = useMutation({
    mutationFn: () => workApi.submitAnalysis(a.caseId, a.id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['casework', 'analysis'] }),
  });
  const shown = editable ? checks : a.checklist;
  return (
    <Paper withBorder p="sm" data-testid={`analysis-${a.id}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={700}>{a.purpose}</Text>
          <Badge data-testid="analysis-status">{t(`casework.analysisStatuses.${a.status}`)}</Badge>
        </Group>
        <Text size="sm">{`${t('casework.requestedBy')}: ${a.requestedByName ?? ''}${a.approverName ? ` / ${t('casework.approver')}: ${a.approverName}` : ''}`}</Text>
        <Text size="sm">{`${t('casework.equipment')}: ${a.equipment.join('、')}`}</Text>
        <Text size="sm">{`${t('casework.tools')}: ${a.tools.map((x) => `${x.name} ${x.version}`).join('、')}`}</Text>
        {a.decisionNote && <Text size="sm">{`${t('casework.note')}: ${a.decisionNote}`}</Text>}
        <Stack gap={4} aria-label={t('casework.checklist')} role="group">
          {shown.map((c, i) => (
            <Checkbox key={c.item} label={c.item} checked={c.done} disabled={!editable} onChange={() => toggle(i)} />
          ))}
        </Stack>
        {(tick.error ?? submit.error) && <ErrorAlert error={tick.error ?? submit.error} />}
        {editable && (
          <Group>
            <Button
              onClick={() => submit.mutate()}
              disabled={checks.some((c) => !c.done) || tick.isPending}
              loading={submit.isPending}
            >
              {t('casework.submit')}
            </Button>
          </Group>
        )}
        {children}
      </Stack>
    </Paper>
  );
}

/** The case's analysis requests and the form for a new one (mountable on the case page). */
export function AnalysisPanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['casework', 'analysis', caseId], queryFn: () => workApi.analyses(caseId) });
  const evidence = useQuery({ queryKey: ['casework', 'evidence', caseId], queryFn: () => workApi.evidence(caseId) });
  const [items, setItems] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('');
  const [equipment, setEquipment] = useState('');
  const [tools, setTools] = useState('');
  const create = useMutation({
    mutationFn: () =>
      workApi.createAnalysis(caseId, {
        evidenceIds: items,
        purpose,
        equipment: lines(equipment),
        tools: lines(tools).map((l) => {
          const at = l.lastIndexOf(' ');
          return at > 0 ? { name: l.slice(0, at), version: l.slice(at + 1) } : { name: l, version: '' };
        }),
      }),
    onSuccess: () => {
      setPurpose('');
      setItems([]);
      void qc.invalidateQueries({ queryKey: ['casework', 'analysis', caseId] });
    },
  });
  return (
    <Stack gap="sm">
      {(list.data?.items ?? []).map((a) => (
        <AnalysisCard key={a.id} a={a} />
      ))}
      <Paper withBorder p="sm" aria-labelledby="new-analysis-title">
        <Title order={3} size="h5" id="new-analysis-title" mb="xs">
          {t('casework.newAnalysis')}
        </Title>
        {create.error && <ErrorAlert error={create.error} />}
        <Stack gap="xs">
          <Checkbox.Group label={t('casework.evidence')} value={items} onChange={setItems}>
            <Stack gap={4} mt={4}>
              {(evidence.data?.items ?? []).map((e) => (
                <Checkbox key={e.id} value={e.id} label={e.title} />
              ))}
            </Stack>
          </Checkbox.Group>
          <TextInput
            label={t('casework.purpose')}
            value={purpose}
            onChange={(e) => setPurpose(e.currentTarget.value)}
            required
          />
          <Textarea
            label={t('casework.equipment')}
            value={equipment}
            onChange={(e) => setEquipment(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Textarea
            label={t('casework.tools')}
            value={tools}
            onChange={(e) => setTools(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Group>
            <Button
              onClick={() => create.mutate()}
              disabled={!purpose.trim() || items.length === 0}
              loading={create.isPending}
            >
              {t('casework.newAnalysis')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

function Decision({ a }: { a: Analysis }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: (d: 'approve' | 'return') => workApi.decide(a.caseId, a.id, d, note || undefined),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['casework', 'approvals'] }),
  });
  return (
    <Stack gap="xs">
      {decide.error && <ErrorAlert error={decide.error} />}
      <TextInput label={t('casework.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      <Group>
        <Button onClick={() => decide.mutate('approve')} loading={decide.isPending}>
          {t('casework.approve')}
        </Button>
        <Button variant="default" disabled={!note.trim()} onClick={() => decide.mutate('return')}>
          {t('casework.return')}
        </Button>
      </Group>
    </Stack>
  );
}

/** `/analysis-approvals`: analysis requests waiting for my approval as the requester's superior. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['casework', 'approvals'], queryFn: workApi.approvals });
  const items = q.data?.items ?? [];
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('casework.approvalsTitle')}
      </Title>
      {q.error && <ErrorAlert error={q.error} />}
      {items.length === 0 && q.isSuccess && <Text size="sm">{t('casework.noApprovals')}</Text>}
      {items.map((a) => (
        <AnalysisCard key={a.id} a={a}>
          <Decision a={a} />
        </AnalysisCard>
      ))}
    </Stack>
  );
}
