import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { workApi } from './api';
import { type VictimCheck, type VictimFields, formsApi } from './formsApi';
import './formStrings';

const WARRANT_KINDS = [
  'search_seizure',
  'seizure',
  'record_order_seizure',
  'inspection',
  'body_search',
  'arrest',
  'wiretap',
  'other',
];
const WARRANT_STATUSES = ['requested', 'issued', 'executed', 'returned', 'expired'];
const opt = (s: string) => (s.trim() ? s.trim() : undefined);

/** Registers a warrant (kind, number, court, target, validity) linked to the evidence items it authorises. */
export function WarrantForm({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const evidence = useQuery({ queryKey: ['casework', 'evidence', caseId], queryFn: () => workApi.evidence(caseId) });
  const [kind, setKind] = useState<string | null>('seizure');
  const [status, setStatus] = useState<string | null>('issued');
  const [reference, setReference] = useState('');
  const [court, setCourt] = useState('');
  const [target, setTarget] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [links, setLinks] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: () =>
      formsApi.createWarrant(caseId, {
        kind: kind ?? 'other',
        status: status ?? 'issued',
        target: target.trim(),
        reference: opt(reference),
        court: opt(court),
        issuedOn: opt(issuedOn),
        validUntil: opt(validUntil),
        links: links.map((id) => ({ type: 'evidence' as const, id })),
      }),
    onSuccess: () => {
      setReference('');
      setCourt('');
      setTarget('');
      setIssuedOn('');
      setValidUntil('');
      setLinks([]);
      void qc.invalidateQueries({ queryKey: ['casework'] });
    },
  });
  return (
    <Stack
      gap="xs"
      component="form"
      aria-labelledby="cw-warrant-form"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        if (target.trim()) save.mutate();
      }}
    >
      <Title order={3} size="h5" id="cw-warrant-form">
        {t('casework.forms.newWarrant')}
      </Title>
      {save.error && <ErrorAlert error={save.error} />}
      {save.isSuccess && <Alert color="green">{t('casework.forms.warrantSaved')}</Alert>}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('casework.forms.warrantKind')}
          data={WARRANT_KINDS.map((k) => ({ value: k, label: t(`casework.forms.warrantKinds.${k}`) }))}
          value={kind}
          onChange={setKind}
          allowDeselect={false}
        />
        <Select
          label={t('casework.forms.warrantStatus')}
          data={WARRANT_STATUSES.map((k) => ({ value: k, label: t(`casework.forms.warrantStatuses.${k}`) }))}
          value={status}
          onChange={setStatus}
          allowDeselect={false}
        />
        <TextInput
          label={t('casework.forms.reference')}
          value={reference}
          onChange={(e) => setReference(e.currentTarget.value)}
          maxLength={100}
        />
        <TextInput
          label={t('casework.forms.court')}
          value={court}
          onChange={(e) => setCourt(e.currentTarget.value)}
          maxLength={200}
        />
        <TextInput
          type="date"
          label={t('casework.forms.issuedOn')}
          value={issuedOn}
          onChange={(e) => setIssuedOn(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('casework.forms.validUntil')}
          value={validUntil}
          onChange={(e) => setValidUntil(e.currentTarget.value)}
        />
      </SimpleGrid>
      <Textarea
        label={t('casework.forms.target')}
        value={target}
        onChange={(e) => setTarget(e.currentTarget.value)}
        required
        autosize
        minRows={2}
        maxLength={4000}
      />
      <MultiSelect
        label={t('casework.forms.authorises')}
        data={(evidence.data?.items ?? []).map((e) => ({
          value: e.id,
          label: e.itemNumber ? `${e.itemNumber} ${e.title}` : e.title,
        }))}
        value={links}
        onChange={setLinks}
        searchable
        clearable
      />
      <Group>
        <Button type="submit" disabled={!target.trim()} loading={save.isPending}>
          {t('casework.forms.newWarrant')}
        </Button>
      </Group>
    </Stack>
  );
}

function CheckRow({ item, locked, onTick }: { item: VictimCheck; locked: boolean; onTick: (done: boolean) => void }) {
  return (
    <Checkbox
      label={item.label}
      checked={item.done}
      disabled={locked && !item.done}
      onChange={(e) => onTick(e.currentTarget.checked)}
    />
  );
}

/** The business-victim profile (共通様式) and its early-recovery checklist: preservation before recovery. */
export function VictimProfilePanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ['casework', 'victim', caseId];
  const q = useQuery({ queryKey: key, queryFn: () => formsApi.victim(caseId) });
  const [fields, setFields] = useState<VictimFields>({ incidentType: 'other' });
  const [consent, setConsent] = useState(false);
  useEffect(() => {
    if (q.data?.fields) setFields(q.data.fields);
    if (q.data) setConsent(q.data.ncoConsent);
  }, [q.data]);
  const save = useMutation({
    mutationFn: () => formsApi.saveVictim(caseId, { fields, ncoConsent: consent }),
    onSuccess: (data) => qc.setQueryData(key, data),
  });
  const tick = useMutation({
    mutationFn: ({ code, done }: { code: string; done: boolean }) => formsApi.tick(caseId, code, done),
    onSuccess: (data) => qc.setQueryData(key, data),
  });
  const set = (patch: Partial<VictimFields>) => setFields((f) => ({ ...f, ...patch }));
  const text = (k: 'impact' | 'initialResponse') => ({
    label: t(`casework.forms.${k}`),
    value: typeof fields[k] === 'string' ? (fields[k] as string) : '',
    onChange: (e: React.ChangeEvent<HTMLTextAreaElement>) => set({ [k]: e.currentTarget.value || undefined }),
    autosize: true,
    minRows: 2,
    maxLength: 2000,
  });
  const list = q.data?.checklist ?? [];
  const preserve = list.filter((c) => c.phase === 'preserve');
  const recover = list.filter((c) => c.phase === 'recover');
  const locked = preserve.some((c) => !c.done);
  return (
    <Stack gap="sm">
      {q.error && <ErrorAlert error={q.error} />}
      <Stack
        gap="xs"
        component="form"
        aria-label={t('casework.forms.saveProfile')}
        onSubmit={(e: React.FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {save.error && <ErrorAlert error={save.error} />}
        {save.isSuccess && <Alert color="green">{t('casework.forms.profileSaved')}</Alert>}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('casework.forms.incidentType')}
            data={['ransomware', 'ddos', 'other'].map((k) => ({
              value: k,
              label: t(`casework.forms.incidentTypes.${k}`),
            }))}
            value={fields.incidentType}
            onChange={(v) => set({ incidentType: (v ?? 'other') as VictimFields['incidentType'] })}
            allowDeselect={false}
          />
          <Select
            label={t('casework.forms.currentState')}
            data={['recovered', 'ongoing', 'intermittent'].map((k) => ({
              value: k,
              label: t(`casework.forms.currentStates.${k}`),
            }))}
            value={fields.currentState ?? null}
            onChange={(v) => set({ currentState: (v ?? undefined) as VictimFields['currentState'] })}
            clearable
          />
        </SimpleGrid>
        <Textarea {...text('impact')} />
        <Textarea {...text('initialResponse')} />
        <Checkbox
          label={t('casework.forms.ncoConsent')}
          checked={consent}
          onChange={(e) => setConsent(e.currentTarget.checked)}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('casework.forms.saveProfile')}
          </Button>
        </Group>
      </Stack>
      {q.data && !q.data.saved && <Text size="sm">{t('casework.forms.notSaved')}</Text>}
      {q.data?.saved && (
        <Stack gap="xs" data-testid="victim-checklist">
          {tick.error && <ErrorAlert error={tick.error} />}
          <Fieldset legend={t('casework.forms.preserve')}>
            <Stack gap={4}>
              {preserve.map((c) => (
                <CheckRow key={c.code} item={c} locked={false} onTick={(done) => tick.mutate({ code: c.code, done })} />
              ))}
            </Stack>
          </Fieldset>
          <Fieldset legend={t('casework.forms.recover')}>
            {locked && (
              <Text size="sm" c="dimmed">
                {t('casework.forms.recoverLocked')}
              </Text>
            )}
            <Stack gap={4} mt={4}>
              {recover.map((c) => (
                <CheckRow
                  key={c.code}
                  item={c}
                  locked={locked}
                  onTick={(done) => tick.mutate({ code: c.code, done })}
                />
              ))}
            </Stack>
          </Fieldset>
        </Stack>
      )}
    </Stack>
  );
}
