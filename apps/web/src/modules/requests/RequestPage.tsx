import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { CAPTURE_POLL_MS, type CaptureProgress, type RequestDetail, capturesPending, requestsApi } from './api';
import './strings';

const OUTCOMES = ['pending', 'taken_down', 'frozen', 'preserved', 'answered', 'refused', 'no_action'];

/** One request: items with outcomes, status history, the documents kept, and the actions its state allows. */
export function RequestPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['requests', 'one', id],
    queryFn: () => requestsApi.get(id),
    retry: false,
    // Captures run in the background after drafting: refresh until none is queued.
    refetchInterval: (query) => (capturesPending(query.state.data) ? CAPTURE_POLL_MS : false),
  });
  const [days, setDays] = useState<number | string>(30);
  const recheck = useMutation({
    mutationFn: () => requestsApi.recheck(id),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['requests', 'one', id] });
      void qc.invalidateQueries({ queryKey: ['requests', 'measures'] });
    },
  });
  const retry = useMutation({
    mutationFn: () => requestsApi.retryCaptures(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['requests', 'one', id] }),
  });
  const act = useMutation({
    mutationFn: (f: () => Promise<RequestDetail>) => f(),
    onSuccess: (d) => {
      qc.setQueryData(['requests', 'one', id], d);
      void qc.invalidateQueries({ queryKey: ['requests', 'list'] });
    },
  });
  if (q.error) return <Alert color="red">{t('requests.notFound')}</Alert>;
  const r = q.data;
  if (!r) return null;
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '');
  const open = r.status === 'sent' || r.status === 'acknowledged';
  const err = [act.error, recheck.error, retry.error].find((e) => e instanceof ApiError) as ApiError | undefined;
  const captured = r.items.some((i) => i.capture || i.captureState);
  const progress = r.captureProgress ?? null;
  // A preservation period about to run out (the server's warning job uses the same number of days).
  const daysLeft = r.periodUntil ? Math.ceil((new Date(r.periodUntil).getTime() - Date.now()) / 86_400_000) : null;
  const warnDays = r.type.rules.warnBeforeDays ?? 5;
  const maxDays = r.type.rules.preservationMaxDays ?? null;
  const periodWarning = open && daysLeft !== null && daysLeft <= warnDays;
  const down = (recheck.data?.items ?? []).filter((i) => i.outcome === 'taken_down').length;
  return (
    <Stack gap="md">
      <PageHeader title={`${r.type.name}：${r.title}`} />
      <Group>
        <Badge size="lg">{t(`requests.statuses.${r.status}`)}</Badge>
        <Text>
          {t('requests.reference')}: {r.reference}
        </Text>
        {r.documentNumber && (
          <Text data-testid="document-number">
            {t('requests.documentNumber')}: {r.documentNumber}
          </Text>
        )}
        <Text>
          {t('requests.recipient')}: {r.recipient.name}
        </Text>
        {r.dueAt && (
          <Text>
            {t('requests.due')}: {date(r.dueAt)}
          </Text>
        )}
        {r.periodUntil && (
          <Text>
            {t('requests.periodUntil')}: {date(r.periodUntil)}（{r.periodDays}日）
          </Text>
        )}
        {progress && <CaptureProgressText progress={progress} />}
      </Group>
      {periodWarning && (
        <Alert color="yellow" title={t('requests.periodWarning', { days: Math.max(daysLeft ?? 0, 0) })}>
          {maxDays !== null &&
            t('requests.periodWarningBody', { max: maxDays, left: Math.max(maxDays - (r.periodDays ?? 0), 0) })}
        </Alert>
      )}
      {err && (
        <Alert color="red" role="alert" title={err.code}>
          {err.message}
        </Alert>
      )}
      <Group>
        {r.canApprove && (
          <Button onClick={() => act.mutate(() => requestsApi.approve(id))}>{t('requests.approve')}</Button>
        )}
        {r.status === 'approved' && r.type.rules.delivery === 'mail' && (
          <Button onClick={() => act.mutate(() => requestsApi.send(id, 'mail'))}>{t('requests.sendMail')}</Button>
        )}
        {r.status === 'approved' && (
          <Button variant="default" onClick={() => act.mutate(() => requestsApi.send(id, 'print'))}>
            {t('requests.sendPrint')}
          </Button>
        )}
        {r.status === 'sent' && (
          <Button variant="default" onClick={() => act.mutate(() => requestsApi.status(id, 'acknowledged'))}>
            {t('requests.acknowledge')}
          </Button>
        )}
        {open && (
          <>
            <Button variant="default" onClick={() => act.mutate(() => requestsApi.status(id, 'done'))}>
              {t('requests.done')}
            </Button>
            <Button variant="default" color="red" onClick={() => act.mutate(() => requestsApi.status(id, 'refused'))}>
              {t('requests.refuse')}
            </Button>
            <Button variant="default" onClick={() => act.mutate(() => requestsApi.withdraw(id))}>
              {t('requests.withdraw')}
            </Button>
          </>
        )}
        {captured && r.status !== 'draft' && (
          <Button variant="default" onClick={() => recheck.mutate()} loading={recheck.isPending}>
            {t('requests.recheck')}
          </Button>
        )}
        {recheck.isSuccess && <Text role="status">{t('requests.rechecked', { down })}</Text>}
        {(progress?.failed ?? 0) > 0 && (
          <Button variant="default" onClick={() => retry.mutate()} loading={retry.isPending}>
            {t('requests.retryCaptures')}
          </Button>
        )}
        {retry.isSuccess && <Text role="status">{t('requests.retried', { count: retry.data.retried })}</Text>}
      </Group>
      {open && r.periodUntil && (
        <Group align="flex-end">
          <NumberInput label={t('requests.extendDays')} value={days} onChange={setDays} min={1} max={60} w={140} />
          <Button variant="default" onClick={() => act.mutate(() => requestsApi.extend(id, Number(days)))}>
            {t('requests.extend')}
          </Button>
        </Group>
      )}
      <Paper withBorder p="md">
        <Title order={2} size="h4">
          {t('requests.items')}
        </Title>
        <Table aria-label={t('requests.items')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('requests.itemKind')}</Table.Th>
              <Table.Th>{t('requests.items')}</Table.Th>
              <Table.Th>{t('requests.outcome')}</Table.Th>
              <Table.Th>{t('requests.outcomeAt')}</Table.Th>
              {captured && (
                <>
                  <Table.Th>{t('requests.site')}</Table.Th>
                  <Table.Th>{t('requests.checkedAt')}</Table.Th>
                  <Table.Th>{t('requests.evidence')}</Table.Th>
                </>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.items.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.kind}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{i.display}</Table.Td>
                <Table.Td>
                  {open || r.status === 'done' ? (
                    <Select
                      aria-label={`${t('requests.outcome')} ${i.position + 1}`}
                      data={OUTCOMES.map((o) => ({ value: o, label: t(`requests.outcomes.${o}`) }))}
                      value={i.outcome}
                      onChange={(v) => v && act.mutate(() => requestsApi.outcome(id, i.id, v))}
                      w={140}
                    />
                  ) : (
                    t(`requests.outcomes.${i.outcome}`)
                  )}
                </Table.Td>
                <Table.Td>
                  {date(i.outcomeAt)}
                  {i.resurfacedAt && (
                    <Badge color="red" ml="xs" title={t('requests.resurfacedAt', { at: date(i.resurfacedAt) })}>
                      {t('requests.resurfaced')}
                    </Badge>
                  )}
                </Table.Td>
                {captured && (
                  <>
                    <Table.Td data-testid="site-outcome">
                      {i.capture?.lastOutcome
                        ? t(`requests.siteOutcomes.${i.capture.lastOutcome}`, { defaultValue: i.capture.lastOutcome })
                        : i.captureState === 'queued'
                          ? t('requests.captureQueued')
                          : i.captureState === 'failed'
                            ? t(`requests.tk.reasons.${i.captureFailure ?? 'failed'}`, {
                                defaultValue: i.captureFailure ?? '',
                              })
                            : ''}
                      {i.capture?.watch === 'watching' && (
                        <Text size="xs">{t('requests.watching', { until: date(i.capture.watchUntil ?? null) })}</Text>
                      )}
                      {i.capture?.watch === 'ended' && <Text size="xs">{t('requests.watchEnded')}</Text>}
                    </Table.Td>
                    <Table.Td>{date(i.capture?.lastCheckedAt ?? null)}</Table.Td>
                    <Table.Td>
                      {i.capture && <CaptureEvidence captureId={i.capture.id} shot={i.capture.screenshot} />}
                    </Table.Td>
                  </>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4">
          {t('requests.documents')}
        </Title>
        {r.documents.map((d) => (
          <Group key={d.id}>
            <Text>{t(`requests.docKinds.${d.kind}`)}</Text>
            <Text>{d.documentNumber}</Text>
            <Anchor href={requestsApi.documentUrl(id, d.id)} target="_blank">
              {t('requests.openPdf')}
            </Anchor>
          </Group>
        ))}
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4">
          {t('requests.history')}
        </Title>
        <Table>
          <Table.Tbody>
            {r.events.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{date(e.at)}</Table.Td>
                <Table.Td>{t(`requests.eventActions.${e.action}`, { defaultValue: e.action })}</Table.Td>
                <Table.Td>{e.to ? t(`requests.statuses.${e.to}`) : ''}</Table.Td>
                <Table.Td>{e.actorName ?? ''}</Table.Td>
                <Table.Td>{e.note}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

/** 取得中 12/20 while captures are queued, 保全完了 20/20 (with the failures) once none is. */
export function CaptureProgressText(props: { progress: CaptureProgress }) {
  const { t } = useTranslation();
  const { total, queued, done, failed } = props.progress;
  const key = queued > 0 ? 'requests.capturing' : 'requests.captured';
  return (
    <Text role="status" fw={500}>
      <span data-testid="capture-progress">{t(key, { done: done + failed, total })}</span>
      {failed > 0 && t('requests.captureFailures', { count: failed })}
    </Text>
  );
}

/** A capture's evidence: whether a screenshot was taken, the SHA-256 of the HTML and the screenshot, on demand. */
function CaptureEvidence(props: { captureId: string; shot: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const q = useQuery({
    queryKey: ['requests', 'capture', props.captureId],
    queryFn: () => requestsApi.capture(props.captureId),
    enabled: open,
  });
  return (
    <Stack gap={2}>
      <Text size="sm">{props.shot ? t('requests.screenshotTaken') : t('requests.noScreenshot')}</Text>
      {!open ? (
        <Anchor component="button" type="button" size="sm" onClick={() => setOpen(true)}>
          {t('requests.showHashes')}
        </Anchor>
      ) : (
        q.data && (
          <>
            <Group gap="xs">
              {q.data.htmlFileId && (
                <Anchor size="sm" href={requestsApi.captureFileUrl(q.data.id, q.data.htmlFileId)}>
                  {t('requests.html')}
                </Anchor>
              )}
              {q.data.screenshotFileId && (
                <Anchor size="sm" href={requestsApi.captureFileUrl(q.data.id, q.data.screenshotFileId)} target="_blank">
                  {t('requests.png')}
                </Anchor>
              )}
            </Group>
            <Text size="xs" style={{ wordBreak: 'break-all' }}>
              HTML SHA-256: {q.data.htmlSha256 ?? '—'}
              {q.data.screenshotSha256 ? ` / PNG SHA-256: ${q.data.screenshotSha256}` : ''}
            </Text>
          </>
        )
      )}
    </Stack>
  );
}
