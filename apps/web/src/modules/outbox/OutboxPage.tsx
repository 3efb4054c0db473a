import { Badge, Button, Code, Group, Modal, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import './strings';

type Status = 'queued' | 'sent' | 'failed' | 'held';
const STATUSES: Status[] = ['queued', 'sent', 'failed', 'held'];
const statusColor: Record<Status, string> = { queued: 'blue', sent: 'teal', failed: 'red', held: 'orange' };

interface OutboxItem {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  status: Status;
  attempts: number;
  lastError: string | null;
  attachments: { filename: string; contentType: string; size: number; sha256: string }[];
  createdAt: string;
  sentAt: string | null;
}
interface OutboxDetail extends OutboxItem {
  bodyLength: number;
  smtpMessageId: string | null;
}

function Detail({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: ['outbox', id],
    queryFn: () => api.get<OutboxDetail>(`/api/admin/outbox/${id}`),
  });
  const retry = useMutation({
    mutationFn: () => api.post<unknown>(`/api/admin/outbox/${id}/retry`),
    onSuccess: () => {
      notifications.show({
        color: 'teal',
        message: t('outbox.retried'),
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      void queryClient.invalidateQueries({ queryKey: ['outbox'] });
    },
  });
  const d = detail.data;
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('outbox.detail')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('outbox.close') }}
    >
      <ErrorAlert error={detail.error ?? retry.error} />
      {d && (
        <Stack gap="xs">
          <Text>
            <b>{t('outbox.subject')}:</b> {d.subject}
          </Text>
          <Text style={{ wordBreak: 'break-all' }}>
            <b>{t('outbox.to')}:</b> {[...d.to, ...d.cc].join(', ')}
          </Text>
          <Text>
            <b>{t('outbox.status')}:</b> {t(`outbox.statuses.${d.status}`)} ・ {t('outbox.attempts')} {d.attempts}
          </Text>
          <Text>
            <b>{t('outbox.createdAt')}:</b> {formatDateTime(d.createdAt)} ・ <b>{t('outbox.sentAt')}:</b>{' '}
            {formatDateTime(d.sentAt)}
          </Text>
          <Text>
            <b>{t('outbox.bodyLength')}:</b> {d.bodyLength}
          </Text>
          {d.smtpMessageId && (
            <Text style={{ wordBreak: 'break-all' }}>
              <b>{t('outbox.smtpMessageId')}:</b> <Code>{d.smtpMessageId}</Code>
            </Text>
          )}
          {d.lastError && (
            <Text c="red.8" style={{ wordBreak: 'break-all' }}>
              <b>{t('outbox.lastError')}:</b> {d.lastError}
            </Text>
          )}
          {d.attachments.length > 0 && (
            <Text size="sm">
              <b>{t('outbox.attachments')}:</b> {d.attachments.map((a) => `${a.filename} (${a.size})`).join('、')}
            </Text>
          )}
          <Group justify="flex-end">
            {(d.status === 'failed' || d.status === 'held') && (
              <Button onClick={() => retry.mutate()} loading={retry.isPending}>
                {t('outbox.retry')}
              </Button>
            )}
            <Button variant="default" onClick={onClose}>
              {t('outbox.close')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

export function OutboxPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('all');
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['outbox', 'list', status],
    queryFn: () =>
      api.get<{ items: OutboxItem[]; nextCursor: string | null }>('/api/admin/outbox', {
        status: status === 'all' ? undefined : status,
        limit: 100,
      }),
  });
  return (
    <>
      <PageHeader title={t('outbox.title')} description={t('outbox.description')} />
      <Stack gap="sm">
        <SegmentedControl
          aria-label={t('outbox.status')}
          value={status}
          onChange={setStatus}
          data={['all', ...STATUSES].map((s) => ({ value: s, label: t(`outbox.statuses.${s}`) }))}
          style={{ maxWidth: '100%', overflowX: 'auto' }}
        />
        <ErrorAlert error={list.error} />
        <Table.ScrollContainer minWidth={560} tabIndex={0} aria-label={t('outbox.title')}>
          <Table striped withTableBorder data-testid="outbox-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('outbox.createdAt')}</Table.Th>
                <Table.Th>{t('outbox.subject')}</Table.Th>
                <Table.Th>{t('outbox.to')}</Table.Th>
                <Table.Th>{t('outbox.status')}</Table.Th>
                <Table.Th>{t('outbox.attempts')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.createdAt)}</Table.Td>
                  <Table.Td>
                    <Button variant="subtle" size="compact-sm" onClick={() => setOpen(m.id)}>
                      {m.subject || '—'}
                    </Button>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{m.to.join(', ')}</Table.Td>
                  <Table.Td>
                    <Badge color={statusColor[m.status]} variant="light">
                      {t(`outbox.statuses.${m.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{m.attempts}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data && list.data.items.length === 0 && <Text c="dimmed">{t('common.noRecords')}</Text>}
      </Stack>
      {open && <Detail id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
