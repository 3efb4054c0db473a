import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { CATEGORIES, type RoutingRule, intakeApi } from './api';
import './strings';

const ANY = '*';
const TARGETS = ['cyber', 'receiving', 'unit'] as const;

/** The editable routing rules: first match by order wins; reports matching none stay with the receiving unit. */
export function RoutingRulesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: ['intake', 'routing-rules'], queryFn: intakeApi.routingRules });
  const units = useQuery({ queryKey: ['intake', 'units'], queryFn: intakeApi.units });
  const [draft, setDraft] = useState<RoutingRule[] | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (rules.data && draft === null) {
      setDraft(
        rules.data.items.map(({ category, urgent, target, targetUnitId, enabled, note }) => ({
          category,
          urgent,
          target,
          targetUnitId: targetUnitId ?? null,
          enabled: enabled !== false,
          note: note ?? '',
        })),
      );
    }
  }, [rules.data, draft]);
  const save = useMutation({
    mutationFn: (list: RoutingRule[]) => intakeApi.saveRoutingRules(list),
    onSuccess: () => {
      setSaved(true);
      setDraft(null);
      void qc.invalidateQueries({ queryKey: ['intake', 'routing-rules'] });
    },
  });
  const list = draft ?? [];
  const update = (i: number, patch: Partial<RoutingRule>) => {
    setSaved(false);
    setDraft(list.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const move = (i: number, by: -1 | 1) => {
    const next = [...list];
    const [r] = next.splice(i, 1);
    if (r) next.splice(i + by, 0, r);
    setSaved(false);
    setDraft(next);
  };
  const unitOptions = (units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  const error = save.error instanceof ApiError ? save.error : null;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('intake.rules.title')}
        </Title>
        <Button component={Link} to="/intake" variant="default">
          {t('intake.queueTitle')}
        </Button>
      </Group>
      <Text size="sm">{t('intake.rules.help')}</Text>
      {rules.isError && <Alert color="red">{String(rules.error)}</Alert>}
      <Table.ScrollContainer minWidth={960}>
        <Table data-testid="routing-rules">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('intake.rules.order')}</Table.Th>
              <Table.Th>{t('intake.category')}</Table.Th>
              <Table.Th>{t('intake.urgent')}</Table.Th>
              <Table.Th>{t('intake.rules.target')}</Table.Th>
              <Table.Th>{t('intake.rules.enabled')}</Table.Th>
              <Table.Th>{t('intake.rules.note')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('intake.rules.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((r, i) => {
              const n = i + 1;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: rules have no identity until saved; order is the key
                <Table.Tr key={i} data-rule={n}>
                  <Table.Td>{n}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('intake.rules.categoryOf', { n })}
                      data={[{ value: ANY, label: t('intake.rules.any') }, ...CATEGORIES]}
                      value={r.category ?? ANY}
                      onChange={(v) => update(i, { category: !v || v === ANY ? null : v })}
                      allowDeselect={false}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('intake.rules.urgentOf', { n })}
                      data={[
                        { value: ANY, label: t('intake.rules.any') },
                        { value: 'yes', label: t('intake.rules.urgentOnly') },
                        { value: 'no', label: t('intake.rules.notUrgent') },
                      ]}
                      value={r.urgent === null ? ANY : r.urgent ? 'yes' : 'no'}
                      onChange={(v) => update(i, { urgent: v === 'yes' ? true : v === 'no' ? false : null })}
                      allowDeselect={false}
                      w={150}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Select
                        aria-label={t('intake.rules.targetOf', { n })}
                        data={TARGETS.map((v) => ({ value: v, label: t(`intake.rules.targets.${v}`) }))}
                        value={r.target}
                        onChange={(v) => v && update(i, { target: v as RoutingRule['target'] })}
                        allowDeselect={false}
                        w={170}
                      />
                      {r.target === 'unit' && (
                        <Select
                          aria-label={t('intake.rules.unitOf', { n })}
                          data={unitOptions}
                          value={r.targetUnitId ?? null}
                          onChange={(v) => update(i, { targetUnitId: v })}
                          searchable
                          w={200}
                        />
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Checkbox
                      aria-label={t('intake.rules.enabledOf', { n })}
                      checked={r.enabled !== false}
                      onChange={(e) => update(i, { enabled: e.currentTarget.checked })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={t('intake.rules.noteOf', { n })}
                      value={r.note ?? ''}
                      onChange={(e) => update(i, { note: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('intake.rules.up', { n })}
                        disabled={i === 0}
                        onClick={() => move(i, -1)}
                      >
                        <IconArrowUp size={16} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('intake.rules.down', { n })}
                        disabled={i === list.length - 1}
                        onClick={() => move(i, 1)}
                      >
                        <IconArrowDown size={16} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('intake.rules.remove', { n })}
                        onClick={() => {
                          setSaved(false);
                          setDraft(list.filter((_, j) => j !== i));
                        }}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {error && (
        <Alert color="red" role="alert">
          {error.status === 403 ? t('intake.rules.forbidden') : error.message}
        </Alert>
      )}
      {saved && (
        <Alert color="green" role="status">
          {t('intake.saved')}
        </Alert>
      )}
      <Group>
        <Button
          variant="default"
          onClick={() => {
            setSaved(false);
            setDraft([...list, { category: null, urgent: null, target: 'receiving', enabled: true, note: '' }]);
          }}
        >
          {t('intake.rules.add')}
        </Button>
        <Button onClick={() => save.mutate(list)} loading={save.isPending} disabled={draft === null}>
          {t('intake.rules.save')}
        </Button>
      </Group>
    </Stack>
  );
}
