import {
  Alert,
  Anchor,
  Box,
  Button,
  Checkbox,
  Container,
  FileInput,
  Group,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { type Receipt, intakeApi } from './api';
import './strings';

const WHAT = [
  'money',
  'auction',
  'posted_about_me',
  'account',
  'virus',
  'message',
  'illegal_content',
  'other',
] as const;
const lines = (text: string) =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 20);

/** The citizen's report form: no sign-in, phone first, Japanese first. */
export function PublicReportPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState('report');
  const [reporterType, setReporterType] = useState('individual');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [what, setWhat] = useState<string[]>([]);
  const [occurredOn, setOccurredOn] = useState('');
  const [narrative, setNarrative] = useState('');
  const [amount, setAmount] = useState('');
  const [urls, setUrls] = useState('');
  const [phones, setPhones] = useState('');
  const [incidentType, setIncidentType] = useState<string | null>(null);
  const [ransomNote, setRansomNote] = useState('');
  const [extension, setExtension] = useState('');
  const [consentBanks, setConsentBanks] = useState(false);
  const [consentNco, setConsentNco] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [website, setWebsite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const contact =
      reporterType === 'anonymous'
        ? undefined
        : Object.fromEntries(
            Object.entries({ name, phone, email, organisation: undefined }).filter(([, v]) => v && v.trim() !== ''),
          );
    const report = {
      kind,
      reporterType,
      ...(contact && Object.keys(contact).length > 0 ? { contact } : {}),
      ...(what.length > 0 ? { whatHappened: what } : {}),
      ...(occurredOn ? { occurredOn } : {}),
      narrative,
      ...(amount && Number(amount) >= 0 ? { amountYen: Math.floor(Number(amount)) } : {}),
      indicators: { urls: lines(urls), phones: lines(phones) },
      ...(reporterType === 'business' && incidentType
        ? {
            business: {
              incidentType,
              ...(ransomNote ? { ransomNote } : {}),
              ...(extension ? { encryptedExtension: extension } : {}),
            },
          }
        : {}),
      consent: { shareWithBanks: consentBanks, shareWithNco: consentNco },
      ...(website ? { website } : {}),
    };
    try {
      const r = await intakeApi.submit(report, files.slice(0, 5));
      sessionStorage.setItem('renkei.intake.receipt', JSON.stringify(r));
      setReceipt(r);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(err instanceof ApiError ? err.message || err.code : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Container size="sm" px="sm" py="md">
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={1} size="h3">
          {t('intake.publicTitle')}
        </Title>
        <LanguageSwitch />
      </Group>
      <Stack gap="sm" component="main" id="main">
        <Alert color="red" variant="light" title="110">
          {t('intake.emergency')}
        </Alert>
        <Text size="sm">{t('intake.notHigaitodoke')}</Text>
        {receipt ? (
          <Paper withBorder p="md" role="status" aria-live="polite">
            <Title order={2} size="h4" mb="sm">
              {t('intake.received')}
            </Title>
            <Text>
              {t('intake.receiptNumber')}:{' '}
              <Text span fw={700} data-testid="receipt-number">
                {receipt.receiptNumber}
              </Text>
            </Text>
            <Text style={{ wordBreak: 'break-all' }}>
              {t('intake.statusToken')}:{' '}
              <Text span ff="monospace" data-testid="status-token">
                {receipt.statusToken}
              </Text>
            </Text>
            <Text size="sm" mt="sm">
              {t('intake.keepThese')}
            </Text>
            <Anchor component={Link} to="/report/status" mt="sm" display="block">
              {t('intake.goStatus')}
            </Anchor>
          </Paper>
        ) : (
          <form onSubmit={submit} noValidate={false}>
            <Stack gap="md">
              <Radio.Group label={t('intake.kind')} value={kind} onChange={setKind}>
                <Stack gap={6} mt={6}>
                  {(['report', 'consultation', 'information'] as const).map((k) => (
                    <Radio key={k} value={k} label={t(`intake.kinds.${k}`)} />
                  ))}
                </Stack>
              </Radio.Group>
              <Radio.Group label={t('intake.reporterType')} value={reporterType} onChange={setReporterType}>
                <Stack gap={6} mt={6}>
                  {(['individual', 'business', 'anonymous'] as const).map((k) => (
                    <Radio key={k} value={k} label={t(`intake.reporterTypes.${k}`)} />
                  ))}
                </Stack>
              </Radio.Group>
              {reporterType !== 'anonymous' && (
                <>
                  <TextInput
                    label={t('intake.name')}
                    value={name}
                    onChange={(e) => setName(e.currentTarget.value)}
                    autoComplete="name"
                  />
                  <TextInput
                    label={t('intake.phone')}
                    value={phone}
                    onChange={(e) => setPhone(e.currentTarget.value)}
                    type="tel"
                    autoComplete="tel"
                  />
                  <TextInput
                    label={t('intake.email')}
                    value={email}
                    onChange={(e) => setEmail(e.currentTarget.value)}
                    type="email"
                    autoComplete="email"
                  />
                </>
              )}
              <Checkbox.Group label={t('intake.whatHappened')} value={what} onChange={setWhat}>
                <Stack gap={6} mt={6}>
                  {WHAT.map((w) => (
                    <Checkbox key={w} value={w} label={t(`intake.what.${w}`)} />
                  ))}
                </Stack>
              </Checkbox.Group>
              <TextInput
                label={t('intake.occurredOn')}
                type="date"
                value={occurredOn}
                onChange={(e) => setOccurredOn(e.currentTarget.value)}
              />
              <Textarea
                label={t('intake.narrative')}
                description={t('intake.narrativeHint')}
                required
                autosize
                minRows={5}
                maxLength={20000}
                value={narrative}
                onChange={(e) => setNarrative(e.currentTarget.value)}
              />
              <TextInput
                label={t('intake.amount')}
                inputMode="numeric"
                value={amount}
                onChange={(e) => setAmount(e.currentTarget.value.replace(/[^0-9]/g, ''))}
              />
              <Textarea
                label={t('intake.urls')}
                autosize
                minRows={2}
                value={urls}
                onChange={(e) => setUrls(e.currentTarget.value)}
              />
              <Textarea
                label={t('intake.phones')}
                autosize
                minRows={2}
                value={phones}
                onChange={(e) => setPhones(e.currentTarget.value)}
              />
              {reporterType === 'business' && (
                <Paper withBorder p="sm">
                  <Stack gap="sm">
                    <Text fw={600}>{t('intake.business')}</Text>
                    <Select
                      label={t('intake.incidentType')}
                      data={(['ransomware', 'ddos', 'other'] as const).map((v) => ({
                        value: v,
                        label: t(`intake.incidentTypes.${v}`),
                      }))}
                      value={incidentType}
                      onChange={setIncidentType}
                    />
                    {incidentType === 'ransomware' && (
                      <>
                        <Textarea
                          label={t('intake.ransomNote')}
                          autosize
                          minRows={2}
                          value={ransomNote}
                          onChange={(e) => setRansomNote(e.currentTarget.value)}
                        />
                        <TextInput
                          label={t('intake.encryptedExtension')}
                          value={extension}
                          onChange={(e) => setExtension(e.currentTarget.value)}
                        />
                      </>
                    )}
                  </Stack>
                </Paper>
              )}
              <FileInput
                label={t('intake.attachments')}
                multiple
                clearable
                accept="image/*,.eml,message/rfc822,application/pdf,text/plain"
                value={files}
                onChange={(f) => setFiles(f.slice(0, 5))}
              />
              <Checkbox
                label={t('intake.consentBanks')}
                checked={consentBanks}
                onChange={(e) => setConsentBanks(e.currentTarget.checked)}
              />
              <Checkbox
                label={t('intake.consentNco')}
                checked={consentNco}
                onChange={(e) => setConsentNco(e.currentTarget.checked)}
              />
              <Box
                aria-hidden="true"
                style={{ position: 'absolute', left: '-10000px', width: 1, height: 1, overflow: 'hidden' }}
              >
                <label>
                  {t('intake.honeypot')}
                  <input
                    type="text"
                    name="website"
                    tabIndex={-1}
                    autoComplete="off"
                    value={website}
                    onChange={(e) => setWebsite(e.currentTarget.value)}
                  />
                </label>
              </Box>
              {error && (
                <Alert color="red" role="alert">
                  {error}
                </Alert>
              )}
              <Button type="submit" size="md" loading={busy} disabled={narrative.trim() === ''} fullWidth>
                {busy ? t('intake.sending') : t('intake.submit')}
              </Button>
              <Anchor component={Link} to="/report/status" size="sm">
                {t('intake.goStatus')}
              </Anchor>
            </Stack>
          </form>
        )}
      </Stack>
    </Container>
  );
}
