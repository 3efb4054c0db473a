import { Alert, Button, Group, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { type Report, duration, intakeApi } from './api';
import './strings';

/**
 * Earlier and later consultations of the same person. Loaded only when the officer asks (each read is audited on
 * the server, and only reports of units the officer may see are listed).
 */
export function PersonHistory({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const history = useQuery({
    queryKey: ['intake', 'person-history', report.id],
    queryFn: () => intakeApi.personHistory(report.id),
    enabled: open,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (report.personHistoryCount === 0) return null;
  return (
    <Paper withBorder p="md" aria-labelledby="person-history-title">
      <Group justify="space-between">
        <Title order={2} size="h4" id="person-history-title">
          {t('intake.personHistory', { count: report.personHistoryCount })}
        </Title>
        {!open && (
          <Button variant="light" onClick={() => setOpen(true)}>
            {t('intake.showPersonHistory')}
          </Button>
        )}
      </Group>
      {open && (
        <>
          <Text size="xs" c="dimmed" mt={4}>
            {t('intake.personHistoryAudited')}
          </Text>
          {history.isError && <Alert color="red">{String(history.error)}</Alert>}
          <Table mt="xs" data-testid="person-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('intake.receiptNumber')}</Table.Th>
                <Table.Th>{t('intake.receivedAt')}</Table.Th>
                <Table.Th>{t('intake.category')}</Table.Th>
                <Table.Th>{t('intake.status')}</Table.Th>
                <Table.Th>{t('intake.summary')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(history.data?.items ?? []).map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>
                    <Link to="/intake/reports/$id" params={{ id: h.id }} className="intake-link">
                      {h.receiptNumber}
                    </Link>
                  </Table.Td>
                  <Table.Td>
                    {h.receivedAt.slice(0, 10)} ({duration(h.clocks.sinceReceipt?.calendarMs, i18n.language)})
                  </Table.Td>
                  <Table.Td>{h.category ?? h.suggestedCategory}</Table.Td>
                  <Table.Td>{h.statusLabel}</Table.Td>
                  <Table.Td>{h.summary}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Paper>
  );
}

/** Promotes the report's similar-text cluster to a campaign of the observables module. */
export function PromoteCluster({ report }: { report: Report }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const promote = useMutation({ mutationFn: () => intakeApi.promote(report.cluster?.id ?? '', name.trim()) });
  if (!report.cluster || report.cluster.size < 2) return null;
  const err = promote.error instanceof ApiError ? promote.error : null;
  return (
    <Paper withBorder p="md" aria-labelledby="promote-title">
      <Title order={2} size="h4" id="promote-title" mb="xs">
        {t('intake.promote.title', { count: report.cluster.size })}
      </Title>
      {promote.data ? (
        <Alert color="green" role="status">
          {t('intake.promote.done', { count: promote.data.linked })}{' '}
          <Link to="/intel/entities/$id" params={{ id: promote.data.campaignId }} className="intake-link">
            {promote.data.name}
          </Link>
        </Alert>
      ) : (
        <Group align="flex-end">
          <TextInput
            label={t('intake.promote.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            w={320}
          />
          <Button disabled={name.trim() === ''} loading={promote.isPending} onClick={() => promote.mutate()}>
            {t('intake.promote.submit')}
          </Button>
        </Group>
      )}
      {err && (
        <Alert color="red" role="alert" mt="sm">
          {err.status === 403 ? t('intake.promote.forbidden') : err.message}
        </Alert>
      )}
    </Paper>
  );
}

const show = (v: unknown) => (v === true ? '✓' : v === false ? '—' : String(v));

/** The channel-specific structured details (IHC, NPA online window, partner, business template). */
export function ChannelDetails({ report }: { report: Report }) {
  const { t } = useTranslation();
  const groups: [string, Record<string, unknown> | null | undefined, string][] = [
    ['intake.ihc.legend', report.details.ihc as Record<string, unknown> | null | undefined, 'ihc'],
    ['intake.npa.legend', report.details.npa, 'npa'],
    ['intake.business', report.details.business, 'biz'],
    ['intake.partnerName', report.details.partner, 'partner'],
    ['intake.channels.patrol', report.details.patrol, 'patrol'],
  ];
  const units = useQuery({
    queryKey: ['intake', 'units'],
    queryFn: intakeApi.units,
    enabled: Boolean(report.details.npa?.routedUnitId),
  });
  const unitName = (id: unknown) => units.data?.items.find((u) => u.id === id)?.name ?? String(id);
  const present = groups.filter(([, v]) => v && Object.keys(v).length > 0);
  if (present.length === 0) return null;
  return (
    <>
      {present.map(([title, v, prefix]) => (
        <Paper key={prefix} withBorder p="md" data-testid={`details-${prefix}`}>
          <Title order={2} size="h4" mb="xs">
            {t(title)}
          </Title>
          <Table>
            <Table.Tbody>
              {Object.entries(v ?? {}).map(([k, x]) => (
                <Table.Tr key={k}>
                  <Table.Th scope="row" w={240}>
                    {t(`intake.fieldNames.${k}`, { defaultValue: k })}
                  </Table.Th>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{k === 'routedUnitId' ? unitName(x) : show(x)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ))}
    </>
  );
}
