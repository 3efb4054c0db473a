import { Alert, Button, Container, Group, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { type PublicStatus, type Receipt, intakeApi } from './api';
import './strings';

function remembered(): Receipt | null {
  try {
    const raw = sessionStorage.getItem('renkei.intake.receipt');
    return raw ? (JSON.parse(raw) as Receipt) : null;
  } catch {
    return null;
  }
}

/** The reporter's status page: receipt number and code in, only what a reporter may see out; add information. */
export function ReportStatusPage() {
  const { t, i18n } = useTranslation();
  const initial = remembered();
  const [receipt, setReceipt] = useState(initial?.receiptNumber ?? '');
  const [token, setToken] = useState(initial?.statusToken ?? '');
  const [status, setStatus] = useState<PublicStatus | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fmt = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo' });

  async function run(fn: () => Promise<PublicStatus>, done?: string) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setStatus(await fn());
      if (done) setNotice(done);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 404
          ? t('intake.notFound')
          : err instanceof ApiError
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  }

  const check = (e: FormEvent) => {
    e.preventDefault();
    void run(() => intakeApi.status(receipt.trim(), token.trim()));
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const s = await intakeApi.addition(receipt.trim(), token.trim(), text);
      setText('');
      return s;
    }, t('intake.added'));
  };

  return (
    <Container size="sm" px="sm" py="md">
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={1} size="h3">
          {t('intake.statusTitle')}
        </Title>
        <LanguageSwitch />
      </Group>
      <Stack component="main" id="main" gap="md">
        <form onSubmit={check}>
          <Stack gap="sm">
            <TextInput
              label={t('intake.receiptNumber')}
              required
              value={receipt}
              onChange={(e) => setReceipt(e.currentTarget.value)}
            />
            <TextInput
              label={t('intake.statusToken')}
              required
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
              autoComplete="off"
            />
            <Button type="submit" loading={busy}>
              {t('intake.check')}
            </Button>
          </Stack>
        </form>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {notice && (
          <Alert color="green" role="status">
            {notice}
          </Alert>
        )}
        {status && (
          <Paper withBorder p="md">
            <Stack gap="xs">
              <Text>
                {t('intake.receiptNumber')}: <strong>{status.receiptNumber}</strong>
              </Text>
              <Text>
                {t('intake.status')}: <strong data-testid="public-status">{status.statusLabel}</strong>
              </Text>
              <Text>
                {t('intake.receivedAt')}: {fmt(status.receivedAt)}
              </Text>
              {status.message && (
                <Text>
                  {t('intake.message')}: {status.message}
                </Text>
              )}
              <Text data-testid="additions-count">
                {t('intake.additions')}: {status.additions.length}
              </Text>
            </Stack>
            {status.status !== 'closed' && (
              <form onSubmit={add}>
                <Stack gap="sm" mt="md">
                  <Textarea
                    label={t('intake.addInfoLabel')}
                    required
                    autosize
                    minRows={3}
                    value={text}
                    onChange={(e) => setText(e.currentTarget.value)}
                  />
                  <Button type="submit" variant="light" loading={busy} disabled={text.trim() === ''}>
                    {t('intake.addInfo')}
                  </Button>
                </Stack>
              </form>
            )}
          </Paper>
        )}
      </Stack>
    </Container>
  );
}
