import { Alert, Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { CASE_TYPES, STAGES, STATUSES, casesApi } from './api';
import './strings';

/** The cases the user is a member of: search (cases and timelines), filters, keyset "more", and a new-case form. */
export function CasesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [stage, setStage] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [type, setType] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const filters = {
    q: q || undefined,
    stage: stage ?? undefined,
    status: status ?? undefined,
    type: type ?? undefined,
  };
  const list = useInfiniteQuery({
    queryKey: ['cases', 'list', filters],
    queryFn: ({ pageParam }) => casesApi.list({ ...filters, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  // A search for a short or rare word may stop after a bounded walk of the user's cases and return a partial page
  // (possibly empty) with a cursor to resume: continue by itself a few times while nothing has been found yet.
  const pages = list.data?.pages ?? [];
  const last = pages[pages.length - 1];
  const partial = Boolean(last?.partial);
  const { hasNextPage, isFetching, fetchNextPage } = list;
  useEffect(() => {
    if (partial && items.length === 0 && hasNextPage && !isFetching && pages.length < 8) void fetchNextPage();
  }, [partial, items.length, hasNextPage, isFetching, pages.length, fetchNextPage]);
  const opt = (group: string, values: readonly string[]) =>
    values.map((v) => ({ value: v, label: t(`cases.${group}.${v}`) }));

  return (
    <Stack gap="md">
      <PageHeader
        title={t('cases.listTitle')}
        actions={<Button onClick={() => setCreating((c) => !c)}>{t('cases.newCase')}</Button>}
      />
      {creating && <NewCaseForm onCreated={(id) => navigate({ to: '/cases/$id', params: { id } })} />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setQ(text.trim());
        }}
      >
        <Group align="flex-end">
          <TextInput label={t('cases.search')} value={text} onChange={(e) => setText(e.currentTarget.value)} w={320} />
          <Select
            label={t('cases.stage')}
            data={opt('stages', STAGES)}
            value={stage}
            onChange={setStage}
            clearable
            w={140}
          />
          <Select
            label={t('cases.status')}
            data={opt('statuses', STATUSES)}
            value={status}
            onChange={setStatus}
            clearable
            w={140}
          />
          <Select
            label={t('cases.type')}
            data={opt('types', CASE_TYPES)}
            value={type}
            onChange={setType}
            clearable
            w={180}
          />
          <Button type="submit" variant="default">
            {t('cases.searchButton')}
          </Button>
        </Group>
      </form>
      {list.isError && <Alert color="red">{String(list.error)}</Alert>}
      <Table striped data-testid="cases-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('cases.caseNumber')}</Table.Th>
            <Table.Th>{t('cases.title')}</Table.Th>
            <Table.Th>{t('cases.type')}</Table.Th>
            <Table.Th>{t('cases.stage')}</Table.Th>
            <Table.Th>{t('cases.status')}</Table.Th>
            <Table.Th>{t('cases.tlp')}</Table.Th>
            <Table.Th>{t('cases.updatedAt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.caseNumber}</Table.Td>
              <Table.Td>
                <Link to="/cases/$id" params={{ id: c.id }}>
                  {c.title}
                </Link>
              </Table.Td>
              <Table.Td>{t(`cases.types.${c.type}`)}</Table.Td>
              <Table.Td>{t(`cases.stages.${c.stage}`)}</Table.Td>
              <Table.Td>{t(`cases.statuses.${c.status}`)}</Table.Td>
              <Table.Td>
                <Badge variant="outline" color="dark">
                  {c.tlp.toUpperCase()}
                </Badge>
              </Table.Td>
              <Table.Td>{new Date(c.updatedAt).toLocaleString(i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.isSuccess && items.length === 0 && !list.hasNextPage && <Text c="dimmed">{t('cases.none')}</Text>}
      {list.hasNextPage && (
        <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {partial ? t('cases.continueSearch') : t('cases.more')}
        </Button>
      )}
    </Stack>
  );
}

function NewCaseForm({ onCreated, reportId }: { onCreated: (id: string) => void; reportId?: string }) {
  const { t, i18n } = useTranslation();
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [type, setType] = useState<string | null>('cyber_crime');
  const [cls, setCls] = useState<string | null>(null);
  const vocab = useQuery({ queryKey: ['cases', 'classifications'], queryFn: casesApi.classifications });
  const create = useMutation({
    mutationFn: () =>
      casesApi.create({
        title,
        summary,
        type: type ?? 'cyber_crime',
        classificationCode: cls,
        ...(reportId ? { reportId } : {}),
      }),
    onSuccess: (r) => onCreated(r.id),
  });
  const en = i18n.language === 'en';
  return (
    <Paper withBorder p="md">
      <Stack>
        <TextInput label={t('cases.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
        <Textarea
          label={t('cases.summary')}
          value={summary}
          onChange={(e) => setSummary(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <Group>
          <Select
            label={t('cases.type')}
            data={CASE_TYPES.map((v) => ({ value: v, label: t(`cases.types.${v}`) }))}
            value={type}
            onChange={setType}
          />
          <Select
            label={t('cases.classification')}
            data={(vocab.data?.items ?? []).map((c) => ({
              value: c.code,
              label: `${'　'.repeat(c.level - 1)}${en ? c.labelEn : c.labelJa}`,
            }))}
            value={cls}
            onChange={setCls}
            searchable
            clearable
            w={360}
          />
        </Group>
        {create.isError && <Alert color="red">{String(create.error)}</Alert>}
        <Group>
          <Button onClick={() => create.mutate()} disabled={!title.trim()} loading={create.isPending}>
            {t('cases.create')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
