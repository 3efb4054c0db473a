import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Group,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { csrfHeader } from '../../intel/csrf';
import { jst } from './api';
import './packageStrings';

interface Partner {
  id: string;
  name: string;
  kind: string;
  official: boolean;
}
interface Joint {
  id: string;
  kindLabel: string;
  partnerName: string;
}
interface Entry {
  id: string;
  at: string;
  kind: string;
  body: string;
}
interface Withheld {
  type: string;
  id: string;
  label: string;
  reason: string;
  reasonLabel: { ja: string; en: string };
}
interface Preview {
  recipient: { id: string; name: string };
  blocked: string | null;
  caseNumberIncluded: boolean;
  sent: Record<string, number>;
  withheld: Record<string, number>;
  withheldItems: Withheld[];
}

const NONE = 'none';
const base = (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}`;

/** A failed call, with the server's reason (which object, which property) when it gives one. */
async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; reason?: unknown };
  };
  const reason = typeof body.error?.reason === 'string' ? `（${body.error.reason}）` : '';
  return new ApiError(
    res.status,
    body.error?.code ?? `HTTP_${res.status}`,
    `${body.error?.message ?? res.statusText}${reason}`,
  );
}

function fileNameOf(res: Response): string {
  const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return m?.[1] ?? 'case-package.stix.json';
}

/** Export: choose the partner and entries, see what is withheld and why, then download the bundle. */
function ExportForm({ caseId, partners, joints }: { caseId: string; partners: Partner[]; joints: Joint[] }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const f = (k: string, o?: Record<string, unknown>) => t(`casework.package.${k}`, o ?? {});
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [jointId, setJointId] = useState<string | null>(null);
  const [observables, setObservables] = useState(true);
  const [selected, setSelected] = useState<string[]>([]);
  const timeline = useQuery({
    queryKey: ['casework', 'package', 'timeline', caseId],
    queryFn: () => api.get<{ items: Entry[] }>(`${base(caseId)}/timeline`, { limit: 200 }),
  });
  const body = () => ({
    partnerId: partnerId ?? undefined,
    ...(jointId ? { jointId } : {}),
    timelineIds: selected,
    observables,
  });
  const preview = useMutation({ mutationFn: () => api.post<Preview>(`${base(caseId)}/package/preview`, body()) });
  const download = useMutation({
    mutationFn: async () => {
      const res = await fetch(`${base(caseId)}/package/export`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...(await csrfHeader()), 'Content-Type': 'application/json' },
        body: JSON.stringify(body()),
      });
      if (!res.ok) throw await failure(res);
      const name = fileNameOf(res);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return name;
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['casework', 'joint', caseId] });
      void qc.invalidateQueries({ queryKey: ['casework', 'package', 'timeline', caseId] });
    },
  });
  // Any change of the choice asks for a new preview before a download.
  const changed = () => {
    preview.reset();
    download.reset();
  };
  const p = preview.data;
  const n = (k: string) => p?.sent[k] ?? 0;
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  const entries = timeline.data?.items ?? [];
  return (
    <Stack
      gap="xs"
      component="form"
      aria-label={f('exportForm')}
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        if (partnerId) preview.mutate();
      }}
    >
      <Title order={3} size="h5">
        {f('exportForm')}
      </Title>
      <Group grow align="end">
        <Select
          label={f('partner')}
          description={f('partnerHint')}
          data={partners.map((x) => ({ value: x.id, label: x.name }))}
          value={partnerId}
          onChange={(v) => {
            setPartnerId(v);
            changed();
          }}
          required
          searchable
        />
        <Select
          label={f('joint')}
          data={[
            { value: NONE, label: f('noJoint') },
            ...joints.map((j) => ({ value: j.id, label: `${j.kindLabel}：${j.partnerName}` })),
          ]}
          value={jointId ?? NONE}
          onChange={(v) => {
            setJointId(v && v !== NONE ? v : null);
            changed();
          }}
          allowDeselect={false}
        />
      </Group>
      <Checkbox
        label={f('observables')}
        checked={observables}
        onChange={(e) => {
          setObservables(e.currentTarget.checked);
          changed();
        }}
      />
      {timeline.error && <ErrorAlert error={timeline.error} />}
      <Checkbox.Group
        label={f('timeline')}
        value={selected}
        onChange={(v) => {
          setSelected(v);
          changed();
        }}
      >
        <ScrollArea.Autosize mah={260} type="auto">
          <Stack gap={4} mt={4}>
            {entries.length === 0 && <Text size="sm">{f('timelineNone')}</Text>}
            {entries.map((e) => (
              <Checkbox key={e.id} value={e.id} label={`${jst(e.at)} ${e.body}`} />
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Checkbox.Group>
      <Group>
        <Button type="submit" variant="light" disabled={!partnerId} loading={preview.isPending}>
          {f('preview')}
        </Button>
        <Button
          type="button"
          disabled={!p || p.blocked !== null}
          loading={download.isPending}
          onClick={() => download.mutate()}
        >
          {f('download')}
        </Button>
      </Group>
      {preview.error && <ErrorAlert error={preview.error} />}
      {download.error && <ErrorAlert error={download.error} />}
      {download.data && (
        <Alert color="green" role="status">
          {f('downloaded', { file: download.data })}
        </Alert>
      )}
      {p && (
        <Paper withBorder p="xs" aria-label={f('sends')} role="region">
          {p.blocked ? (
            <Alert color="red" role="status">
              {f('blocked', {
                partner: p.recipient.name,
                reason: p.withheldItems[0]?.reasonLabel[lang] ?? p.blocked,
              })}
            </Alert>
          ) : (
            <Stack gap={4}>
              <Text size="sm">
                {f('sends')}：
                {f('counts', {
                  report: n('report'),
                  indicators: n('indicator') + n('vulnerability'),
                  notes: n('note'),
                })}
              </Text>
              <Text size="sm">{p.caseNumberIncluded ? f('caseNumberIn') : f('caseNumberOut')}</Text>
              <Text size="sm" fw={600}>
                {p.withheldItems.length ? f('withheldTitle', { n: p.withheldItems.length }) : f('withheldNone')}
              </Text>
              {p.withheldItems.length > 0 && (
                <Table striped aria-label={f('withheldTitle', { n: p.withheldItems.length })}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{f('kind')}</Table.Th>
                      <Table.Th>{f('item')}</Table.Th>
                      <Table.Th>{f('reason')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {p.withheldItems.map((w) => (
                      <Table.Tr key={`${w.type}:${w.id}`}>
                        <Table.Td>{f(`kinds.${w.type}`)}</Table.Td>
                        <Table.Td>{w.label}</Table.Td>
                        <Table.Td>{w.reasonLabel[lang]}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          )}
        </Paper>
      )}
    </Stack>
  );
}

/** Import: a STIX bundle from a partner (or any producer) into this case, all or nothing. */
function ImportForm({ caseId, partners, joints }: { caseId: string; partners: Partner[]; joints: Joint[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const f = (k: string, o?: Record<string, unknown>) => t(`casework.package.${k}`, o ?? {});
  const [file, setFile] = useState<File | null>(null);
  const [from, setFrom] = useState<string>(NONE);
  const [jointId, setJointId] = useState<string>(NONE);
  const run = useMutation({
    mutationFn: async () => {
      const q = new URLSearchParams({ name: file!.name });
      if (from !== NONE) q.set('partner', from);
      if (jointId !== NONE) q.set('joint', jointId);
      const res = await fetch(`${base(caseId)}/package/import?${q.toString()}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...(await csrfHeader()), 'Content-Type': 'application/stix+json' },
        body: file,
      });
      if (!res.ok) throw await failure(res);
      return (await res.json()) as { from: string; observables: number; timeline: number };
    },
    onSuccess: () => {
      setFile(null);
      void qc.invalidateQueries({ queryKey: ['casework', 'joint', caseId] });
      void qc.invalidateQueries({ queryKey: ['casework', 'package', 'timeline', caseId] });
    },
  });
  return (
    <Stack
      gap="xs"
      component="form"
      aria-label={f('importForm')}
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        if (file) run.mutate();
      }}
    >
      <Title order={3} size="h5">
        {f('importForm')}
      </Title>
      <Group grow align="end">
        <FileInput
          label={f('file')}
          accept="application/json,application/stix+json,.json"
          value={file}
          onChange={(v) => {
            setFile(v);
            run.reset();
          }}
          clearable
          clearButtonProps={{ 'aria-label': f('clearFile') }}
          required
        />
        <Select
          label={f('from')}
          data={[{ value: NONE, label: f('fromNone') }, ...partners.map((x) => ({ value: x.id, label: x.name }))]}
          value={from}
          onChange={(v) => setFrom(v ?? NONE)}
          allowDeselect={false}
        />
        <Select
          label={f('joint')}
          data={[
            { value: NONE, label: f('noJoint') },
            ...joints.map((j) => ({ value: j.id, label: `${j.kindLabel}：${j.partnerName}` })),
          ]}
          value={jointId}
          onChange={(v) => setJointId(v ?? NONE)}
          allowDeselect={false}
        />
      </Group>
      <Group>
        <Button type="submit" disabled={!file} loading={run.isPending}>
          {f('import')}
        </Button>
      </Group>
      {run.error && <ErrorAlert error={run.error} />}
      {run.data && (
        <Alert color="green" role="status">
          {f('imported', run.data)}
        </Alert>
      )}
    </Stack>
  );
}

/** The case package section of the case-work page. */
export function PackagePanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const partners = useQuery({
    queryKey: ['casework', 'package', 'partners', caseId],
    queryFn: () => api.get<{ items: Partner[] }>(`${base(caseId)}/package/partners`),
  });
  const joints = useQuery({
    queryKey: ['casework', 'joint', caseId],
    queryFn: () => api.get<{ items: Joint[] }>(`${base(caseId)}/joint`),
  });
  const ps = partners.data?.items ?? [];
  const js = joints.data?.items ?? [];
  return (
    <Stack gap="md">
      <Text size="sm">{t('casework.package.intro')}</Text>
      {partners.error && <ErrorAlert error={partners.error} />}
      <ExportForm caseId={caseId} partners={ps} joints={js} />
      <ImportForm caseId={caseId} partners={ps} joints={js} />
    </Stack>
  );
}
