import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useMe } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { STAGES, casesApi } from './api';
import { DamagesSection, MembersSection, ObservablesSection, PersonsSection, TasksSection } from './CaseSections';
import './strings';

/** One case: what it is, members, reports, observables, persons, damages, tasks, attachments and the timeline. */
export function CasePage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/app/cases/$id' });
  const qc = useQueryClient();
  const me = useMe();
  const navigate = useNavigate();
  const c = useQuery({ queryKey: ['cases', 'case', id], queryFn: () => casesApi.get(id), retry: false });
  const refresh = () => qc.invalidateQueries({ queryKey: ['cases'] });
  const [stage, setStage] = useState<string | null>(null);
  const changeStage = useMutation({ mutationFn: (s: string) => casesApi.update(id, { stage: s }), onSuccess: refresh });

  if (c.error instanceof ApiError && c.error.status === 404) return <NotFoundWithOverride id={id} onJoined={refresh} />;
  if (c.isError) return <Alert color="red">{String(c.error)}</Alert>;
  const d = c.data;
  if (!d) return null;
  const canWrite = d.myRole !== 'reader';
  const isLead = d.myRole === 'lead';

  return (
    <Stack gap="md">
      <PageHeader
        title={`${d.caseNumber} ${d.title}`}
        actions={
          <Group gap="xs">
            {canWrite && me?.abilities.writeRequests && (
              <Button
                variant="default"
                onClick={() => navigate({ to: '/requests/takedowns/new', search: { caseId: d.id } })}
              >
                {t('cases.takedowns')}
              </Button>
            )}
            <Button component="a" href={`/api/cases/${d.id}/summary.pdf`} target="_blank" variant="light">
              {t('cases.print')}
            </Button>
          </Group>
        }
      />
      <Group gap="xs">
        <Badge>{t(`cases.types.${d.type}`)}</Badge>
        <Badge color="grape" data-testid="case-stage">
          {t(`cases.stages.${d.stage}`)}
        </Badge>
        <Badge color="gray">{t(`cases.statuses.${d.status}`)}</Badge>
        <Badge variant="outline" color="dark">
          TLP:{d.tlp.toUpperCase()}
        </Badge>
        <Badge variant="outline" color="red">
          {t('cases.confidentiality')} {d.confidentiality}
        </Badge>
        <Text size="sm">
          {t('cases.leadUnit')}: {d.leadUnitName} · {t('cases.myRole')}: {t(`cases.roles.${d.myRole}`)}
        </Text>
      </Group>
      {d.summary && (
        <Paper withBorder p="md">
          <Text style={{ whiteSpace: 'pre-wrap' }}>{d.summary}</Text>
        </Paper>
      )}
      {isLead && (
        <Group align="flex-end">
          <Select
            label={t('cases.changeStage')}
            data={STAGES.map((s) => ({ value: s, label: t(`cases.stages.${s}`) }))}
            value={stage ?? d.stage}
            onChange={setStage}
            w={200}
          />
          <Button
            variant="default"
            onClick={() => stage && changeStage.mutate(stage)}
            disabled={!stage || stage === d.stage}
          >
            {t('cases.save')}
          </Button>
        </Group>
      )}
      <MembersSection c={d} isLead={isLead} onChange={refresh} />
      {d.reports.length > 0 && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            {t('cases.reports')}
          </Title>
          {d.reports.map((r) => (
            <Text key={r.id}>
              <Link to="/intake/reports/$id" params={{ id: r.id }}>
                {r.receiptNumber}
              </Link>{' '}
              {r.summary}
            </Text>
          ))}
        </Paper>
      )}
      <ObservablesSection id={d.id} canWrite={canWrite} />
      <PersonsSection c={d} canWrite={canWrite} onChange={refresh} />
      <DamagesSection c={d} canWrite={canWrite} onChange={refresh} />
      <TasksSection c={d} canWrite={canWrite} onChange={refresh} />
      <Attachments id={d.id} items={d.attachments} canWrite={canWrite} onChange={refresh} />
      <Timeline id={d.id} canWrite={canWrite} />
    </Stack>
  );
}

function Attachments(props: {
  id: string;
  items: { id: string; name: string; size: number }[];
  canWrite: boolean;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const up = useMutation({ mutationFn: (f: File) => casesApi.upload(props.id, f), onSuccess: props.onChange });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        {t('cases.attachments')}
      </Title>
      {props.items.map((a) => (
        <Text key={a.id}>
          <a href={`/api/cases/${props.id}/attachments/${a.id}`}>{a.name}</a> ({a.size.toLocaleString()} B)
        </Text>
      ))}
      {props.canWrite && (
        <input
          type="file"
          aria-label={t('cases.upload')}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) up.mutate(f);
          }}
        />
      )}
      {up.isError && <Alert color="red">{String(up.error)}</Alert>}
    </Paper>
  );
}

function Timeline({ id, canWrite }: { id: string; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [body, setBody] = useState('');
  const tl = useQuery({ queryKey: ['cases', 'timeline', id], queryFn: () => casesApi.timeline(id) });
  const add = useMutation({
    mutationFn: () => casesApi.note(id, body),
    onSuccess: () => {
      setBody('');
      return qc.invalidateQueries({ queryKey: ['cases'] });
    },
  });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        {t('cases.timeline')}
      </Title>
      {canWrite && (
        <Group align="flex-end" mb="sm">
          <Textarea
            label={t('cases.note')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            w={480}
          />
          <Button onClick={() => add.mutate()} disabled={!body.trim()}>
            {t('cases.add')}
          </Button>
        </Group>
      )}
      <Table data-testid="case-timeline">
        <Table.Tbody>
          {(tl.data?.items ?? []).map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td w={180}>{new Date(e.at).toLocaleString(i18n.language)}</Table.Td>
              <Table.Td>{e.body}</Table.Td>
              <Table.Td w={140}>{e.author ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function NotFoundWithOverride({ id, onJoined }: { id: string; onJoined: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const join = useMutation({ mutationFn: () => casesApi.override(id, reason), onSuccess: onJoined });
  return (
    <Stack>
      <Alert color="gray" data-testid="case-not-found">
        {t('cases.notFound')}
      </Alert>
      <Paper withBorder p="md">
        <Title order={2} size="h4">
          {t('cases.override')}
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          {t('cases.overrideHint')}
        </Text>
        <Group align="flex-end">
          <TextInput
            label={t('cases.overrideReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            w={420}
          />
          <Button color="red" variant="light" disabled={reason.trim().length < 10} onClick={() => join.mutate()}>
            {t('cases.override')}
          </Button>
        </Group>
        {join.isError && <Alert color="red">{String(join.error)}</Alert>}
      </Paper>
    </Stack>
  );
}
