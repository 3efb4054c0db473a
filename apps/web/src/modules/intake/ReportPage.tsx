import { Alert, Anchor, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/session';
import { OpenCaseButton } from '../cases/OpenCaseButton';
import { ChannelDetails, PersonHistory, PromoteCluster } from './ReportExtras';
import { CATEGORIES, OUTCOMES, duration, intakeApi } from './api';
import './strings';

/** One report: narrative, extracted values with roles, the category suggestion to confirm, 受理票, lifecycle. */
export function ReportPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams({ from: '/app/intake/reports/$id' });
  const qc = useQueryClient();
  const me = useMe();
  const report = useQuery({ queryKey: ['intake', 'report', id], queryFn: () => intakeApi.report(id) });
  const [category, setCategory] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['intake'] });
  const act = useMutation({
    mutationFn: ({ action, body }: { action: 'acknowledge' | 'assign' | 'category' | 'close'; body?: object }) =>
      intakeApi.act(id, action, body),
    onSuccess: refresh,
  });
  const role = useMutation({
    mutationFn: ({ obs, value }: { obs: string; value: string }) => intakeApi.role(id, obs, value),
    onSuccess: refresh,
  });
  if (report.isError) return <Alert color="red">{String(report.error)}</Alert>;
  const r = report.data;
  if (!r) return null;
  const lang = i18n.language;
  const chosen = category ?? r.category ?? r.suggestedCategory;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('intake.receiptNumber')} {r.receiptNumber} {r.urgent && <Badge color="red">{t('intake.urgent')}</Badge>}
        </Title>
        <Group>
          <Button component="a" href={`/api/intake/reports/${r.id}/juri-hyo.pdf`} target="_blank" variant="light">
            {t('intake.printJuriHyo')}
          </Button>
          <OpenCaseButton reportId={r.id} summary={r.summary} />
          {r.status !== 'closed' && !r.acknowledgedAt && (
            <Button onClick={() => act.mutate({ action: 'acknowledge' })}>{t('intake.acknowledge')}</Button>
          )}
          {r.status !== 'closed' && me && (
            <Button
              variant="default"
              onClick={() => act.mutate({ action: 'assign', body: { assigneeId: me.user.id } })}
            >
              {t('intake.assignMe')}
            </Button>
          )}
        </Group>
      </Group>
      <Text>
        {r.statusLabel} · {r.channelLabel} · {r.ownerUnitName} · {t('intake.sinceReceipt')}:{' '}
        <span data-testid="report-clock">
          {duration(r.clocks.sinceReceipt?.workingMs, lang)} / {duration(r.clocks.sinceReceipt?.calendarMs, lang)}
        </span>
        {r.cluster && (
          <>
            {' '}
            · {t('intake.cluster')}:{' '}
            <span data-testid="report-cluster">{t('intake.clusterSize', { count: r.cluster.size })}</span>
          </>
        )}
      </Text>
      {act.isError && <Alert color="red">{String(act.error)}</Alert>}
      <Paper withBorder p="md">
        <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="narrative">
          {r.narrative}
        </Text>
        {r.additions.map((a) => (
          <Text key={a.id} mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
            + {a.text}
          </Text>
        ))}
      </Paper>
      <ChannelDetails report={r} />
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          {t('intake.category')}
        </Title>
        <Group align="flex-end">
          <Select
            label={
              r.category
                ? t('intake.confirmed')
                : `${t('intake.suggested')} (${Math.round((r.suggestedScore ?? 0) * 100)}%)`
            }
            data={[...CATEGORIES]}
            value={chosen}
            onChange={setCategory}
            allowDeselect={false}
          />
          <Button onClick={() => chosen && act.mutate({ action: 'category', body: { category: chosen } })}>
            {t('intake.confirmCategory')}
          </Button>
        </Group>
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          {t('intake.reporter')}
        </Title>
        <Text>{r.reporter ? Object.values(r.reporter).filter(Boolean).join(' / ') : t('intake.anonymous')}</Text>
      </Paper>
      <PersonHistory report={r} />
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          {t('intake.observables')}
        </Title>
        <Table data-testid="observables">
          <Table.Tbody>
            {r.observables.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>{o.type}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{o.display}</Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`${t('intake.role')} ${o.display}`}
                    data={(['suspect', 'victim', 'unknown'] as const).map((v) => ({
                      value: v,
                      label: t(`intake.roles.${v}`),
                    }))}
                    value={o.role}
                    onChange={(v) => v && role.mutate({ obs: o.id, value: v })}
                    allowDeselect={false}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <PromoteCluster report={r} />
      {r.attachments.length > 0 && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            {t('intake.attachmentsList')}
          </Title>
          {r.attachments.map((a) => (
            <Group key={a.id} gap="xs">
              <Anchor href={`/api/intake/reports/${r.id}/attachments/${a.id}`}>{a.name}</Anchor>
              <Text size="sm">{a.detectedType ?? '—'}</Text>
              {a.flags.map((f) => (
                <Badge key={f} color="orange" variant="light">
                  {f}
                </Badge>
              ))}
            </Group>
          ))}
        </Paper>
      )}
      {r.status !== 'closed' && (
        <Group align="flex-end">
          <Select
            label={t('intake.outcome')}
            data={OUTCOMES.map((o) => ({ value: o, label: t(`intake.outcomes.${o}`) }))}
            value={outcome}
            onChange={setOutcome}
          />
          <Button
            color="gray"
            disabled={!outcome}
            onClick={() => outcome && act.mutate({ action: 'close', body: { outcome } })}
          >
            {t('intake.close')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
