import { Alert, Button, Group, Paper, Select, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useMe } from '../../api/session';
import { type BulkAction, CATEGORIES, OUTCOMES, intakeApi } from './api';
import './strings';

const ACTIONS: BulkAction[] = ['acknowledge', 'assign', 'route', 'category', 'close'];

/**
 * One action on the selected reports. The server does it in one transaction, all or nothing, audited per report;
 * a report the user may not see (or one that stops the action) is named in the refusal.
 */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [action, setAction] = useState<BulkAction | null>(null);
  const [value, setValue] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const units = useQuery({ queryKey: ['intake', 'units'], queryFn: intakeApi.units, enabled: action === 'route' });
  const run = useMutation({
    mutationFn: () => {
      if (!action) throw new Error('no action');
      const extra: Record<string, string> = {};
      if (action === 'assign' && me) extra.assigneeId = me.user.id;
      if (action === 'route' && value) extra.unitId = value;
      if (action === 'category' && value) extra.category = value;
      if (action === 'close' && value) extra.outcome = value;
      return intakeApi.bulk({ ids, action, ...extra });
    },
    onSuccess: (out) => {
      setDone(out.changed);
      setAction(null);
      setValue(null);
      onDone();
    },
    onMutate: () => setDone(null),
  });
  const needsValue = action === 'route' || action === 'category' || action === 'close';
  const options =
    action === 'route'
      ? (units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))
      : action === 'category'
        ? [...CATEGORIES]
        : action === 'close'
          ? OUTCOMES.map((o) => ({ value: o, label: t(`intake.outcomes.${o}`) }))
          : [];
  const err = run.error instanceof ApiError ? run.error : null;

  return (
    <Paper withBorder p="sm" aria-labelledby="bulk-title" data-testid="bulk-bar">
      <Group align="flex-end">
        <Text id="bulk-title" fw={600}>
          {t('intake.bulk.selected', { count: ids.length })}
        </Text>
        <Select
          label={t('intake.bulk.action')}
          data={ACTIONS.map((a) => ({ value: a, label: t(`intake.bulk.actions.${a}`) }))}
          value={action}
          onChange={(v) => {
            setAction(v as BulkAction | null);
            setValue(null);
          }}
          w={220}
        />
        {needsValue && (
          <Select
            label={t(`intake.bulk.values.${action}`)}
            data={options}
            value={value}
            onChange={setValue}
            searchable={action === 'route'}
            w={260}
          />
        )}
        <Button
          disabled={ids.length === 0 || !action || (needsValue && !value)}
          loading={run.isPending}
          onClick={() => run.mutate()}
        >
          {t('intake.bulk.apply')}
        </Button>
      </Group>
      {err && (
        <Alert color="red" role="alert" mt="sm">
          {err.code === 'NOT_FOUND'
            ? t('intake.bulk.refusedHidden')
            : err.code === 'CONFLICT'
              ? t('intake.bulk.refusedConflict')
              : err.message}
        </Alert>
      )}
      {done !== null && (
        <Alert color="green" role="status" mt="sm">
          {t('intake.bulk.done', { count: done })}
        </Alert>
      )}
    </Paper>
  );
}
