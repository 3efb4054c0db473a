import {
  Alert,
  Badge,
  Button,
  Checkbox,
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
import { useMutation, useQueries } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { CAPTURE_POLL_MS, type CaptureProfile, type SourceObservable, capturesPending, requestsApi } from './api';
import { CaptureProgressText } from './RequestPage';
import { type SourceKind, SourceLoader } from './SourceLoader';
import './strings';

const PROFILES: CaptureProfile[] = ['desktop', 'iphone', 'android'];

/**
 * Takedowns in bulk: a campaign's or a case's URLs are picked, previewed grouped by hosting provider (the recipient
 * mapped to the AS announcing each address), and drafted as one takedown request per provider; each site is then
 * captured in the background, the page following the progress (取得中 12/20) until none is queued. The drafts then follow the usual approval on their own pages.
 */
export function TakedownBatchPage() {
  const { t, i18n } = useTranslation();
  const search = useSearch({ strict: false }) as { campaignId?: string; caseId?: string };
  const [source, setSource] = useState<{ kind: SourceKind; id: string } | null>(null);
  const [urls, setUrls] = useState<SourceObservable[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [title, setTitle] = useState(() => t('requests.tk.defaultSubject'));
  const [reason, setReason] = useState('');
  const [capture, setCapture] = useState(true);
  const [profile, setProfile] = useState<CaptureProfile>('desktop');
  const pickedUrls = urls.filter((o) => picked.has(o.id)).map((o) => o.value);
  const preview = useMutation({ mutationFn: () => requestsApi.group(pickedUrls) });
  const create = useMutation({
    mutationFn: () =>
      requestsApi.takedowns({
        urls: pickedUrls,
        title: title.trim(),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(source?.kind === 'campaign' ? { campaignId: source.id } : {}),
        ...(source?.kind === 'case' ? { caseId: source.id } : {}),
        capture,
        profile,
      }),
  });
  const setPick = (next: Set<string>) => {
    setPicked(next);
    preview.reset();
  };
  const allPicked = urls.length > 0 && picked.size === urls.length;
  const error = [preview.error, create.error].find((e) => e instanceof ApiError) as ApiError | undefined;
  const reasonLabel = (r: string) => t(`requests.tk.reasons.${r}`, { defaultValue: r });
  const date = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(i18n.language) : '');
  const result = create.data;
  // The captures run in the background: each drafted request is followed until none of its captures is queued.
  const followed = useQueries({
    queries: (result && result.captures.length > 0 ? result.requests : []).map((r) => ({
      queryKey: ['requests', 'one', r.id],
      queryFn: () => requestsApi.get(r.id),
      refetchInterval: (query: { state: { data?: Awaited<ReturnType<typeof requestsApi.get>>; error: unknown } }) =>
        !query.state.error && (!query.state.data || capturesPending(query.state.data)) ? CAPTURE_POLL_MS : false,
    })),
  });
  const itemOf = new Map(followed.flatMap((f) => (f.data?.items ?? []).map((i) => [i.id, i] as const)));
  const progress = result
    ? {
        total: result.captures.length,
        queued: result.captures.filter((c) => (itemOf.get(c.itemId)?.captureState ?? 'queued') === 'queued').length,
        done: result.captures.filter((c) => itemOf.get(c.itemId)?.captureState === 'done').length,
        failed: result.captures.filter((c) => itemOf.get(c.itemId)?.captureState === 'failed').length,
      }
    : null;
  const captureCell = (itemId: string) => {
    const i = itemOf.get(itemId);
    if (i?.capture?.lastOutcome)
      return t(`requests.siteOutcomes.${i.capture.lastOutcome}`, { defaultValue: i.capture.lastOutcome });
    if (i?.captureState === 'failed') return reasonLabel(i.captureFailure ?? 'failed');
    return t('requests.captureQueued');
  };
  return (
    <Stack gap="md">
      <PageHeader title={t('requests.tk.title')} description={t('requests.tk.description')} />
      <Paper withBorder p="md">
        <Stack>
          <SourceLoader
            initialKind={search.caseId ? 'case' : 'campaign'}
            initialId={search.caseId ?? search.campaignId ?? ''}
            onLoaded={(items, src) => {
              setUrls(items.filter((o) => o.type === 'url'));
              setLoaded(true);
              setSource(src);
              setPick(new Set());
              create.reset();
            }}
          />
          {loaded && urls.length === 0 && <Text c="dimmed">{t('requests.tk.noUrls')}</Text>}
          {urls.length > 0 && (
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend>
                <Text fw={600}>
                  {t('requests.tk.urls')}（{t('requests.tk.selected', { count: picked.size })}）
                </Text>
              </legend>
              <Stack gap={4} mt="xs">
                <Checkbox
                  label={t('requests.tk.selectAll')}
                  checked={allPicked}
                  indeterminate={picked.size > 0 && !allPicked}
                  onChange={() => setPick(allPicked ? new Set() : new Set(urls.map((o) => o.id)))}
                />
                {urls.map((o) => (
                  <Checkbox
                    key={o.id}
                    label={o.value}
                    styles={{ label: { wordBreak: 'break-all' } }}
                    checked={picked.has(o.id)}
                    onChange={(e) => {
                      const next = new Set(picked);
                      if (e.currentTarget.checked) next.add(o.id);
                      else next.delete(o.id);
                      setPick(next);
                    }}
                  />
                ))}
              </Stack>
            </fieldset>
          )}
          <Group>
            <Button
              variant="default"
              onClick={() => preview.mutate()}
              disabled={picked.size === 0}
              loading={preview.isPending}
            >
              {t('requests.tk.preview')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      {preview.data && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('requests.tk.groups')}
          </Title>
          <Table aria-label={t('requests.tk.groups')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('requests.recipient')}</Table.Th>
                <Table.Th>{t('requests.tk.provider')}</Table.Th>
                <Table.Th>{t('requests.tk.asn')}</Table.Th>
                <Table.Th>{t('requests.tk.count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.data.groups.map((g) => (
                <Table.Tr key={`${g.recipientId ?? ''}-${g.asn ?? ''}-${g.items[0]?.url ?? ''}`}>
                  <Table.Td>
                    {g.recipientName ?? (
                      <Badge color="orange" variant="light">
                        {t('requests.tk.unregistered')}
                        {g.contact?.email ? `: ${g.contact.email}` : ''}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{g.provider ?? ''}</Table.Td>
                  <Table.Td>{g.asn ?? ''}</Table.Td>
                  <Table.Td>{g.items.length}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {preview.data.unresolved.length > 0 && (
            <UrlReasons title={t('requests.tk.unresolved')} rows={preview.data.unresolved} label={reasonLabel} />
          )}
        </Paper>
      )}
      <Paper withBorder p="md">
        <Stack>
          <TextInput
            label={t('requests.tk.subject')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            required
          />
          <Textarea
            label={t('requests.tk.requestReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={2}
            required
          />
          <Group align="flex-end">
            <Checkbox
              label={t('requests.tk.capture')}
              checked={capture}
              onChange={(e) => setCapture(e.currentTarget.checked)}
            />
            <Select
              label={t('requests.tk.profile')}
              data={PROFILES.map((v) => ({ value: v, label: t(`requests.tk.profiles.${v}`) }))}
              value={profile}
              onChange={(v) => setProfile((v as CaptureProfile | null) ?? 'desktop')}
              allowDeselect={false}
              disabled={!capture}
              w={180}
            />
          </Group>
          {error && (
            <Alert color="red" role="alert" title={error.code}>
              {error.message}
            </Alert>
          )}
          <Group>
            <Button
              onClick={() => create.mutate()}
              loading={create.isPending}
              disabled={picked.size === 0 || !title.trim() || !reason.trim() || Boolean(result)}
            >
              {t('requests.tk.submit')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      {result && (
        <Paper withBorder p="md" data-testid="takedown-result">
          <Stack>
            <Alert color="green" role="status" title={t('requests.tk.created', { count: result.requests.length })} />
            <Title order={2} size="h4">
              {t('requests.tk.drafts')}
            </Title>
            <Table aria-label={t('requests.tk.drafts')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('requests.reference')}</Table.Th>
                  <Table.Th>{t('requests.recipient')}</Table.Th>
                  <Table.Th>{t('requests.tk.asn')}</Table.Th>
                  <Table.Th>{t('requests.tk.count')}</Table.Th>
                  <Table.Th>{t('requests.tk.notice')}</Table.Th>
                  <Table.Th>{t('requests.tk.open')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.requests.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>{r.reference}</Table.Td>
                    <Table.Td>{r.recipientName}</Table.Td>
                    <Table.Td>{r.asn ?? ''}</Table.Td>
                    <Table.Td>{r.items.length}</Table.Td>
                    <Table.Td>{r.noticeReference ?? ''}</Table.Td>
                    <Table.Td>
                      <Link to="/requests/$id" params={{ id: r.id }}>
                        {t('requests.tk.open')}: {r.recipientName}
                      </Link>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {result.captures.length > 0 && (
              <>
                <Title order={2} size="h4">
                  {t('requests.tk.captures')}
                </Title>
                {progress && <CaptureProgressText progress={progress} />}
                <Table aria-label={t('requests.tk.captures')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>URL</Table.Th>
                      <Table.Th>{t('requests.site')}</Table.Th>
                      <Table.Th>{t('requests.screenshot')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {result.captures.map((c) => (
                      <Table.Tr key={c.itemId}>
                        <Table.Td style={{ wordBreak: 'break-all' }}>{c.url}</Table.Td>
                        <Table.Td>{captureCell(c.itemId)}</Table.Td>
                        <Table.Td>
                          {itemOf.get(c.itemId)?.captureState !== 'done'
                            ? ''
                            : itemOf.get(c.itemId)?.capture?.screenshot
                              ? t('requests.screenshotTaken')
                              : t('requests.noScreenshot')}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </>
            )}
            {result.deferred.length > 0 && (
              <UrlReasons
                title={t('requests.tk.deferred')}
                rows={result.deferred.flatMap((d) =>
                  d.urls.map((url) => ({
                    url,
                    reason: `${reasonLabel(d.reason)}${d.recipientName ? `（${d.recipientName}）` : ''}${
                      d.retryAt ? ` ${t('requests.tk.retryAt')}: ${date(d.retryAt)}` : ''
                    }`,
                  })),
                )}
                label={(r) => r}
              />
            )}
            {result.unresolved.length > 0 && (
              <UrlReasons title={t('requests.tk.unresolved')} rows={result.unresolved} label={reasonLabel} />
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

function UrlReasons(props: { title: string; rows: { url: string; reason: string }[]; label: (r: string) => string }) {
  const { t } = useTranslation();
  return (
    <>
      <Title order={3} size="h5" mt="md">
        {props.title}
      </Title>
      <Table aria-label={props.title}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>URL</Table.Th>
            <Table.Th>{t('requests.tk.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.rows.map((r) => (
            <Table.Tr key={`${r.url}-${r.reason}`}>
              <Table.Td style={{ wordBreak: 'break-all' }}>{r.url}</Table.Td>
              <Table.Td>{props.label(r.reason)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
