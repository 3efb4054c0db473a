import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { requestsApi } from './api';
import './strings';

/** Measures: time to takedown / freeze per recipient, open requests by age (charts over the unit's requests). */
export function RequestsDashboardPage() {
  const { t } = useTranslation();
  const m = useQuery({ queryKey: ['requests', 'measures'], queryFn: requestsApi.measures });
  const d = m.data;
  const outcome = (d?.timeToOutcome ?? []).map((x) => ({
    name: `${x.recipientName}（${t(`requests.outcomes.${x.outcome}`)}）`,
    hours: Math.round((x.medianHours ?? 0) * 10) / 10,
    count: x.count,
  }));
  return (
    <Stack gap="md">
      <PageHeader title={t('requests.dashboardTitle')} />
      <Group>
        <Text data-testid="open-total">
          {t('requests.openTotal')}: {d?.openTotal ?? 0}
        </Text>
        {Object.entries(d?.openByStatus ?? {}).map(([k, v]) => (
          <Text key={k} data-testid={`open-${k}`}>
            {t(`requests.statuses.${k}`)}: {v}
          </Text>
        ))}
      </Group>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          {t('requests.openByAge')}
        </Title>
        <BarChart
          h={220}
          data={d?.openByAge ?? []}
          dataKey="bucket"
          series={[{ name: 'count', label: t('requests.count'), color: 'blue.6' }]}
        />
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          {t('requests.timeToOutcome')}
        </Title>
        <BarChart
          h={240}
          data={outcome}
          dataKey="name"
          series={[{ name: 'hours', label: t('requests.hours'), color: 'teal.6' }]}
        />
        <Stack gap={2} mt="sm" data-testid="time-to-outcome">
          {outcome.map((o) => (
            <Text key={o.name} size="sm">
              {o.name}: {o.hours} {t('requests.hours')}（{o.count}）
            </Text>
          ))}
        </Stack>
      </Paper>
    </Stack>
  );
}
