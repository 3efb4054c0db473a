import { Alert, Button, Group, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { BusinessSection, type BusinessFields, IhcSection, NpaSection, type NpaFields, compact } from './EntrySections';
import { CATEGORIES, type IhcFields, intakeApi } from './api';
import './strings';

const CHANNELS = ['phone', 'counter', 'mail', 'npa_online', 'ihc', 'patrol', 'partner'] as const;

/** Staff entry from every channel; keyboard first (focus starts in the channel, Ctrl+Enter saves). */
export function StaffEntryPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [channel, setChannel] = useState<string | null>('phone');
  const [kind, setKind] = useState<string | null>('consultation');
  const [reporterType, setReporterType] = useState<string | null>('individual');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [narrative, setNarrative] = useState('');
  const [amount, setAmount] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [partner, setPartner] = useState('');
  const [partnerRef, setPartnerRef] = useState('');
  const [patrolOn, setPatrolOn] = useState('');
  const [patrolWhere, setPatrolWhere] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [ihc, setIhc] = useState<IhcFields>({});
  const [npa, setNpa] = useState<NpaFields>({});
  const [business, setBusiness] = useState<BusinessFields>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    if (!channel || !kind || !reporterType || narrative.trim() === '') return;
    setBusy(true);
    setError(null);
    const contact = Object.fromEntries(
      Object.entries({ name, phone, organisation: reporterType === 'business' ? organisation : '' }).filter(
        ([, v]) => v.trim() !== '',
      ),
    );
    const ihcBody = channel === 'ihc' ? compact(ihc) : undefined;
    const npaBody = channel === 'npa_online' ? compact(npa) : undefined;
    const bizBody = reporterType === 'business' && business.incidentType ? compact(business) : undefined;
    try {
      const out = await intakeApi.create({
        channel,
        kind,
        reporterType,
        narrative,
        ...(Object.keys(contact).length > 0 && reporterType !== 'anonymous' ? { contact } : {}),
        ...(amount ? { amountYen: Number(amount) } : {}),
        ...(category ? { category } : {}),
        ...(note ? { note } : {}),
        ...(channel === 'partner' && partner
          ? { partner: { name: partner, ...(partnerRef ? { reference: partnerRef } : {}) } }
          : {}),
        ...(channel === 'patrol' && (patrolOn || patrolWhere)
          ? { patrol: compact({ foundOn: patrolOn, location: patrolWhere }) }
          : {}),
        ...(ihcBody ? { ihc: ihcBody } : {}),
        ...(npaBody ? { npa: npaBody } : {}),
        ...(bizBody ? { business: bizBody } : {}),
      });
      await navigate({ to: '/intake/reports/$id', params: { id: out.id } });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void save();
    }
  };

  return (
    <Stack gap="md" maw={760}>
      <Title order={1} size="h2">
        {t('intake.staffTitle')}
      </Title>
      <form onSubmit={onSubmit} onKeyDown={onKey}>
        <Stack gap="sm">
          <Group grow align="flex-start">
            <Select
              label={t('intake.channel')}
              data={CHANNELS.map((c) => ({ value: c, label: t(`intake.channels.${c}`) }))}
              value={channel}
              onChange={setChannel}
              allowDeselect={false}
              data-autofocus
              autoFocus
            />
            <Select
              label={t('intake.kind')}
              data={(['report', 'consultation', 'information'] as const).map((k) => ({
                value: k,
                label: t(`intake.kinds.${k}`),
              }))}
              value={kind}
              onChange={setKind}
              allowDeselect={false}
            />
            <Select
              label={t('intake.reporterType')}
              data={(['individual', 'business', 'anonymous'] as const).map((k) => ({
                value: k,
                label: t(`intake.reporterTypes.${k}`),
              }))}
              value={reporterType}
              onChange={setReporterType}
              allowDeselect={false}
            />
          </Group>
          {channel === 'partner' && (
            <Group grow>
              <TextInput
                label={t('intake.partnerName')}
                value={partner}
                onChange={(e) => setPartner(e.currentTarget.value)}
              />
              <TextInput
                label={t('intake.partnerReference')}
                value={partnerRef}
                onChange={(e) => setPartnerRef(e.currentTarget.value)}
              />
            </Group>
          )}
          {channel === 'patrol' && (
            <Group grow align="flex-start">
              <TextInput
                type="date"
                label={t('intake.patrol.foundOn')}
                value={patrolOn}
                onChange={(e) => setPatrolOn(e.currentTarget.value)}
              />
              <TextInput
                label={t('intake.patrol.location')}
                value={patrolWhere}
                onChange={(e) => setPatrolWhere(e.currentTarget.value)}
              />
            </Group>
          )}
          {channel === 'ihc' && <IhcSection value={ihc} onChange={setIhc} />}
          {channel === 'npa_online' && <NpaSection value={npa} onChange={setNpa} />}
          {reporterType === 'business' && (
            <TextInput
              label={t('intake.organisation')}
              value={organisation}
              onChange={(e) => setOrganisation(e.currentTarget.value)}
            />
          )}
          {reporterType !== 'anonymous' && (
            <Group grow>
              <TextInput label={t('intake.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
              <TextInput label={t('intake.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
            </Group>
          )}
          <Textarea
            label={t('intake.narrative')}
            required
            autosize
            minRows={5}
            value={narrative}
            onChange={(e) => setNarrative(e.currentTarget.value)}
          />
          {reporterType === 'business' && <BusinessSection value={business} onChange={setBusiness} />}
          <Group grow align="flex-start">
            <TextInput
              label={t('intake.amount')}
              inputMode="numeric"
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value.replace(/[^0-9]/g, ''))}
            />
            <Select
              label={t('intake.category')}
              placeholder={t('intake.categoryNone')}
              data={[...CATEGORIES]}
              value={category}
              onChange={setCategory}
              clearable
            />
          </Group>
          <Textarea
            label={t('intake.note')}
            autosize
            minRows={2}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy} disabled={narrative.trim() === ''}>
              {t('intake.save')}
            </Button>
            <Text size="sm" c="dimmed">
              {t('intake.shortcut')}
            </Text>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
