import { Button, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RequireAbility } from '../../components/RequireAbility';
import { scrollRegion } from '../../components/scrollRegion';

interface DeadJob {
  id: string;
  type: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const deadLettersKey = ['admin', 'jobs', 'dead'];

/** Background jobs that used up their retries; the administrator can put one back to run. */
function DeadLettersContent() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const jobs = useQuery({
    queryKey: deadLettersKey,
    queryFn: () => api.get<{ items: DeadJob[] }>('/api/admin/jobs/dead-letters'),
  });
  const retry = useMutation({
    mutationFn: (id: string) => api.post<void>(`/api/admin/jobs/${id}/retry`),
    onSuccess: () => client.invalidateQueries({ queryKey: deadLettersKey }),
  });
  const when = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(i18n.language, { timeZone: 'Asia/Tokyo' }) : '—';
  const items = jobs.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('admin.jobs.title')} description={t('admin.jobs.description')} />
      <ErrorAlert error={jobs.error ?? retry.error} />
      <Table.ScrollContainer minWidth={640} scrollAreaProps={scrollRegion(t('admin.jobs.title'))}>
        <Table striped verticalSpacing="xs" aria-label={t('admin.jobs.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.jobs.type')}</Table.Th>
              <Table.Th>{t('admin.jobs.attempts')}</Table.Th>
              <Table.Th>{t('admin.jobs.lastError')}</Table.Th>
              <Table.Th>{t('admin.jobs.finishedAt')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((job) => (
              <Table.Tr key={job.id}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {job.type}
                  </Text>
                </Table.Td>
                <Table.Td>{job.attempts}</Table.Td>
                <Table.Td>{job.lastError ?? '—'}</Table.Td>
                <Table.Td>{when(job.finishedAt)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" loading={retry.isPending} onClick={() => retry.mutate(job.id)}>
                    {t('admin.jobs.retry')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {jobs.isSuccess && items.length === 0 && <Text c="dimmed">{t('admin.jobs.none')}</Text>}
    </>
  );
}

export function DeadLettersPage() {
  return (
    <RequireAbility ability="manageUsers">
      <DeadLettersContent />
    </RequireAbility>
  );
}
