import { Anchor, Badge, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RequireAbility } from '../../components/RequireAbility';
import { scrollRegion } from '../../components/scrollRegion';
import { formatDateTime } from '../../format';
import { type AuditEntry, type AuditFilters, auditApi, emptyAuditFilters } from './api';
import { AuditFilterForm } from './AuditFilterForm';
import { VerifyChain } from './VerifyChain';

const resultColors = { success: 'teal', denied: 'red', failure: 'orange' } as const;

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  const text = typeof details === 'string' ? details : JSON.stringify(details);
  return text === '{}' ? '' : text;
}

function AuditContent() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AuditFilters>(emptyAuditFilters);
  const entries = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) => auditApi.list(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const records = entries.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        description={t('audit.description')}
        actions={
          <Button
            component="a"
            href={auditApi.exportUrl(filters)}
            download
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            {t('audit.exportCsv')}
          </Button>
        }
      />
      <Stack gap="md">
        <AuditFilterForm initial={filters} onApply={setFilters} />
        <VerifyChain />
        <ErrorAlert error={entries.error} />
        <DataTable<AuditEntry>
          withTableBorder
          striped
          idAccessor="seq"
          minHeight={records.length === 0 ? 160 : undefined}
          records={records}
          fetching={entries.isFetching && !entries.isFetchingNextPage}
          noRecordsText={t('common.noRecords')}
          aria-label={t('audit.title')}
          scrollAreaProps={scrollRegion(t('audit.title'))}
          columns={[
            { accessor: 'seq', title: '#', textAlign: 'right' },
            { accessor: 'at', title: t('audit.at'), render: (entry) => formatDateTime(entry.at), noWrap: true },
            { accessor: 'actorLogin', title: t('audit.actor'), render: (entry) => entry.actorLogin ?? '—' },
            { accessor: 'action', title: t('audit.action'), render: (entry) => <Code>{entry.action}</Code> },
            {
              accessor: 'target',
              title: t('audit.target'),
              render: (entry) => (entry.targetType ? `${entry.targetType} ${entry.targetId ?? ''}` : '—'),
            },
            {
              accessor: 'result',
              title: t('audit.result'),
              noWrap: true,
              width: 96,
              render: (entry) => (
                <Badge color={resultColors[entry.result] ?? 'gray'} variant="light">
                  {t(`audit.results.${entry.result}`, { defaultValue: entry.result })}
                </Badge>
              ),
            },
            { accessor: 'clientIp', title: t('audit.clientIp'), render: (entry) => entry.clientIp ?? '—' },
            {
              accessor: 'details',
              title: t('audit.details'),
              render: (entry) => (
                <Text size="xs" ff="monospace" lineClamp={2} maw={320} style={{ wordBreak: 'break-all' }}>
                  {detailsText(entry.details)}
                </Text>
              ),
            },
          ]}
        />
        {entries.hasNextPage && (
          <Group justify="center">
            <Button variant="default" onClick={() => void entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
              {t('common.more')}
            </Button>
          </Group>
        )}
        {records.length > 0 && (
          <Text size="xs" c="dimmed">
            {t('audit.shown', { count: records.length })}{' '}
            <Anchor href={auditApi.exportUrl(filters)} download size="xs">
              {t('audit.exportCsv')}
            </Anchor>
          </Text>
        )}
      </Stack>
    </>
  );
}

export function AuditPage() {
  return (
    <RequireAbility ability="readAudit">
      <AuditContent />
    </RequireAbility>
  );
}
