import { Alert, Button, Paper, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useDetectionAbilities } from './abilities';
import { detectionApi } from './api';
import { DetectionNav } from './DetectionNav';
import { HealthBadge } from './HealthBadge';
import './strings';

export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('ja-JP') : '—');

export function FeedsPage() {
  const { t } = useTranslation();
  const can = useDetectionAbilities();
  const feeds = useQuery({ queryKey: ['detection', 'feeds'], queryFn: detectionApi.feeds });
  return (
    <>
      <DetectionNav />
      <PageHeader
        title={t('detection.feedsTitle')}
        description={t('detection.feedsDescription')}
        actions={
          can.manage && (
            <Button component={Link} to="/detection/feeds/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t('detection.newFeed')}
            </Button>
          )
        }
      />
      <ErrorAlert error={feeds.error} />
      {feeds.data && feeds.data.items.length === 0 && <Alert>{t('detection.noFeeds')}</Alert>}
      {feeds.data && feeds.data.items.length > 0 && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={720} tabIndex={0} aria-label={t('detection.feedsTitle')}>
            <Table striped data-testid="feeds">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('detection.name')}</Table.Th>
                  <Table.Th>{t('detection.health')}</Table.Th>
                  <Table.Th>{t('detection.lastChecked')}</Table.Th>
                  <Table.Th>{t('detection.lastChanged')}</Table.Th>
                  <Table.Th>{t('detection.lastError')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {feeds.data.items.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td>
                      <Link to="/detection/feeds/$id" params={{ id: f.id }}>
                        {f.name}
                      </Link>
                      <Text size="xs" c="dimmed">
                        {f.format} · TLP:{f.tlp.toUpperCase()} · {f.intervalMinutes} min
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <HealthBadge health={f.health} />
                    </Table.Td>
                    <Table.Td>{when(f.lastCheckedAt)}</Table.Td>
                    <Table.Td>{when(f.lastChangedAt)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{f.lastError ?? '—'}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </>
  );
}
