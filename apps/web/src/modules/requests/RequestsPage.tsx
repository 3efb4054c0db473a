import { Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { requestsApi } from './api';
import './strings';

const STATUSES = ['draft', 'approved', 'sent', 'acknowledged', 'done', 'refused', 'expired', 'withdrawn'];

/** The unit's requests with filters (status, type, recipient) and keyset "more". */
export function RequestsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  const [typeCode, setTypeCode] = useState<string | null>(null);
  const [recipientId, setRecipientId] = useState<string | null>(null);
  const types = useQuery({ queryKey: ['requests', 'types'], queryFn: requestsApi.types });
  const recipients = useQuery({ queryKey: ['requests', 'recipients'], queryFn: requestsApi.recipients });
  const filters = {
    status: status ?? undefined,
    typeCode: typeCode ?? undefined,
    recipientId: recipientId ?? undefined,
  };
  const list = useInfiniteQuery({
    queryKey: ['requests', 'list', filters],
    queryFn: ({ pageParam }) => requestsApi.list({ ...filters, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '');
  return (
    <Stack gap="md">
      <PageHeader
        title={t('requests.listTitle')}
        actions={
          <>
            <Button component={Link} to="/requests/dashboard" variant="default">
              {t('requests.dashboard')}
            </Button>
            <Button component={Link} to="/requests/recipients" variant="default">
              {t('requests.recipientsDir')}
            </Button>
            <Button component={Link} to="/requests/takedowns/new" variant="default">
              {t('requests.takedownBatch')}
            </Button>
            <Button component={Link} to="/requests/new">
              {t('requests.newRequest')}
            </Button>
          </>
        }
      />
      <Group align="flex-end">
        <Select
          label={t('requests.status')}
          data={STATUSES.map((s) => ({ value: s, label: t(`requests.statuses.${s}`) }))}
          value={status}
          onChange={setStatus}
          clearable
          w={160}
        />
        <Select
          label={t('requests.type')}
          data={(types.data?.items ?? []).map((x) => ({ value: x.code, label: x.name }))}
          value={typeCode}
          onChange={setTypeCode}
          clearable
          w={260}
        />
        <Select
          label={t('requests.recipient')}
          data={(recipients.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
          value={recipientId}
          onChange={setRecipientId}
          clearable
          searchable
          w={260}
        />
      </Group>
      {items.length === 0 && !list.isLoading ? (
        <Text c="dimmed">{t('requests.none')}</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('requests.reference')}</Table.Th>
              <Table.Th>{t('requests.title')}</Table.Th>
              <Table.Th>{t('requests.type')}</Table.Th>
              <Table.Th>{t('requests.recipient')}</Table.Th>
              <Table.Th>{t('requests.status')}</Table.Th>
              <Table.Th>{t('requests.documentNumber')}</Table.Th>
              <Table.Th>{t('requests.due')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Link to="/requests/$id" params={{ id: r.id }}>
                    {r.reference}
                  </Link>
                </Table.Td>
                <Table.Td>{r.title}</Table.Td>
                <Table.Td>{r.typeName}</Table.Td>
                <Table.Td>{r.recipientName}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`requests.statuses.${r.status}`)}</Badge>
                </Table.Td>
                <Table.Td>{r.documentNumber ?? ''}</Table.Td>
                <Table.Td>{date(r.periodUntil ?? r.dueAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.hasNextPage && (
        <Button variant="default" onClick={() => list.fetchNextPage()}>
          {t('requests.more')}
        </Button>
      )}
    </Stack>
  );
}
