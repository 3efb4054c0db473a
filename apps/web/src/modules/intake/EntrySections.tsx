import { Checkbox, Fieldset, Group, NumberInput, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type IhcFields, intakeApi } from './api';
import './strings';

// Channel-specific parts of the staff entry form; each sends only what was filled in.

type Setter<T> = (next: T) => void;
const dateProps = { type: 'date' as const, w: 180 };

/** インターネット・ホットラインセンター (domain.md §2.2). */
export function IhcSection({ value, onChange }: { value: IhcFields; onChange: Setter<IhcFields> }) {
  const { t } = useTranslation();
  const set = (patch: Partial<IhcFields>) => onChange({ ...value, ...patch });
  const text = (k: 'category' | 'referenceNumber' | 'url') => ({
    label: t(`intake.ihc.${k}`),
    value: value[k] ?? '',
    onChange: (e: { currentTarget: { value: string } }) => set({ [k]: e.currentTarget.value }),
  });
  const date = (k: 'judgmentDate' | 'deletionRequestedOn' | 'deletionConfirmedOn') => ({
    ...dateProps,
    label: t(`intake.ihc.${k}`),
    value: value[k] ?? '',
    onChange: (e: { currentTarget: { value: string } }) => set({ [k]: e.currentTarget.value }),
  });
  return (
    <Fieldset legend={t('intake.ihc.legend')} data-testid="ihc-fields">
      <Stack gap="xs">
        <Group grow>
          <TextInput {...text('category')} />
          <TextInput {...text('referenceNumber')} />
        </Group>
        <TextInput {...text('url')} />
        <Group align="flex-end">
          <TextInput {...date('judgmentDate')} />
          <TextInput {...date('deletionRequestedOn')} />
          <TextInput {...date('deletionConfirmedOn')} />
        </Group>
        <Checkbox
          label={t('intake.ihc.preservationHold')}
          checked={value.preservationHold === true}
          onChange={(e) => set({ preservationHold: e.currentTarget.checked })}
        />
      </Stack>
    </Fieldset>
  );
}

export interface NpaFields {
  prefecture?: string;
  routedUnitId?: string;
  reference?: string;
}

/** 警察庁オンライン受付窓口: entries arrive routed to a prefecture and an HQ division or station. */
export function NpaSection({ value, onChange }: { value: NpaFields; onChange: Setter<NpaFields> }) {
  const { t } = useTranslation();
  const units = useQuery({ queryKey: ['intake', 'units'], queryFn: intakeApi.units });
  return (
    <Fieldset legend={t('intake.npa.legend')} data-testid="npa-fields">
      <Group grow align="flex-start">
        <TextInput
          label={t('intake.npa.prefecture')}
          value={value.prefecture ?? ''}
          onChange={(e) => onChange({ ...value, prefecture: e.currentTarget.value })}
        />
        <Select
          label={t('intake.npa.routedUnit')}
          data={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={value.routedUnitId ?? null}
          onChange={(v) => onChange({ ...value, routedUnitId: v ?? undefined })}
          searchable
          clearable
        />
        <TextInput
          label={t('intake.npa.reference')}
          value={value.reference ?? ''}
          onChange={(e) => onChange({ ...value, reference: e.currentTarget.value })}
        />
      </Group>
    </Fieldset>
  );
}

export interface BusinessFields {
  incidentType?: 'ransomware' | 'ddos' | 'other';
  occurredAt?: string;
  discoveredAt?: string;
  currentState?: 'recovered' | 'ongoing' | 'intermittent';
  impact?: string;
  initialResponse?: string;
  criticalInfrastructure?: boolean;
  ransomNote?: string;
  encryptedExtension?: string;
  leakThreat?: boolean;
  ransomDemanded?: boolean;
  intrusionVector?: string;
  iocs?: string;
  ddosType?: string;
  peakGbps?: number;
  durationMinutes?: number;
  mitigation?: string;
}

/** The NCO common template for business victims (ransomware / DDoS, domain.md §3). */
export function BusinessSection({ value, onChange }: { value: BusinessFields; onChange: Setter<BusinessFields> }) {
  const { t } = useTranslation();
  const set = (patch: Partial<BusinessFields>) => onChange({ ...value, ...patch });
  const text = (k: 'occurredAt' | 'discoveredAt' | 'encryptedExtension' | 'intrusionVector') => ({
    label: t(`intake.biz.${k}`),
    value: value[k] ?? '',
    onChange: (e: { currentTarget: { value: string } }) => set({ [k]: e.currentTarget.value }),
  });
  const area = (k: 'impact' | 'initialResponse' | 'ransomNote' | 'iocs' | 'mitigation') => ({
    label: t(`intake.biz.${k}`),
    value: value[k] ?? '',
    autosize: true,
    minRows: 2,
    onChange: (e: { currentTarget: { value: string } }) => set({ [k]: e.currentTarget.value }),
  });
  const flag = (k: 'criticalInfrastructure' | 'leakThreat' | 'ransomDemanded') => ({
    label: t(`intake.biz.${k}`),
    checked: value[k] === true,
    onChange: (e: { currentTarget: { checked: boolean } }) => set({ [k]: e.currentTarget.checked }),
  });
  return (
    <Fieldset legend={t('intake.business')} data-testid="business-fields">
      <Stack gap="xs">
        <Group grow align="flex-start">
          <Select
            label={t('intake.incidentType')}
            data={(['ransomware', 'ddos', 'other'] as const).map((v) => ({
              value: v,
              label: t(`intake.incidentTypes.${v}`),
            }))}
            value={value.incidentType ?? null}
            onChange={(v) => set({ incidentType: (v as BusinessFields['incidentType']) ?? undefined })}
            clearable
          />
          <Select
            label={t('intake.biz.currentState')}
            data={(['recovered', 'ongoing', 'intermittent'] as const).map((v) => ({
              value: v,
              label: t(`intake.biz.states.${v}`),
            }))}
            value={value.currentState ?? null}
            onChange={(v) => set({ currentState: (v as BusinessFields['currentState']) ?? undefined })}
            clearable
          />
        </Group>
        <Group grow>
          <TextInput {...text('occurredAt')} />
          <TextInput {...text('discoveredAt')} />
        </Group>
        <Textarea {...area('impact')} />
        <Textarea {...area('initialResponse')} />
        <Checkbox {...flag('criticalInfrastructure')} />
        {value.incidentType === 'ransomware' && (
          <>
            <Group grow>
              <TextInput {...text('encryptedExtension')} />
              <TextInput {...text('intrusionVector')} />
            </Group>
            <Textarea {...area('ransomNote')} />
            <Group>
              <Checkbox {...flag('ransomDemanded')} />
              <Checkbox {...flag('leakThreat')} />
            </Group>
          </>
        )}
        {value.incidentType === 'ddos' && (
          <Group grow align="flex-start">
            <Select
              label={t('intake.biz.ddosType')}
              data={['T1498', 'T1498.001', 'T1498.002', 'T1499', 'other']}
              value={value.ddosType ?? null}
              onChange={(v) => set({ ddosType: v ?? undefined })}
              clearable
            />
            <NumberInput
              label={t('intake.biz.peakGbps')}
              min={0}
              value={value.peakGbps ?? ''}
              onChange={(v) => set({ peakGbps: typeof v === 'number' ? v : undefined })}
            />
            <NumberInput
              label={t('intake.biz.durationMinutes')}
              min={0}
              allowDecimal={false}
              value={value.durationMinutes ?? ''}
              onChange={(v) => set({ durationMinutes: typeof v === 'number' ? v : undefined })}
            />
          </Group>
        )}
        {value.incidentType === 'ddos' && <Textarea {...area('mitigation')} />}
        <Textarea {...area('iocs')} />
      </Stack>
    </Fieldset>
  );
}

/** Drops empty strings (the server's date fields refuse them) and empty objects. */
export function compact<T extends object>(v: T): Partial<T> | undefined {
  const out = Object.fromEntries(
    Object.entries(v).filter(([, x]) => x !== undefined && x !== null && !(typeof x === 'string' && x.trim() === '')),
  ) as Partial<T>;
  return Object.keys(out).length > 0 ? out : undefined;
}
