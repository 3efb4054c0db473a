import { ActionIcon, Badge, Box, Button, Group, Modal, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconArchive, IconPencil, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RequireAbility } from '../../components/RequireAbility';
import { scrollRegion } from '../../components/scrollRegion';
import { todayInTokyo } from '../../format';
import type { Unit } from './api';
import { unitsQuery } from './queries';
import { RetireUnitForm } from './RetireUnitForm';
import { UnitForm } from './UnitForm';
import { isRetired, type UnitRow, unitRows } from './unitTree';

type Dialog = { kind: 'create' } | { kind: 'edit'; unit: Unit } | { kind: 'retire'; unit: Unit } | null;

function ValidityCell({ unit, today }: { unit: Unit; today: string }) {
  const { t } = useTranslation();
  const range = `${unit.validFrom ?? '—'} 〜 ${unit.validTo ?? ''}`;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {range}
      </Text>
      {isRetired(unit, today) ? (
        <Badge color="gray" variant="filled" bg="gray.7">
          {t('admin.units.retired')}
        </Badge>
      ) : unit.validTo ? (
        <Badge color="orange" variant="outline" c="orange.9">
          {t('admin.units.retiring')}
        </Badge>
      ) : null}
    </Group>
  );
}

function UnitTableRow({ row, today, onDialog }: { row: UnitRow; today: string; onDialog: (d: Dialog) => void }) {
  const { t } = useTranslation();
  const { unit, depth } = row;
  return (
    <Table.Tr data-testid={`unit-row-${unit.code}`}>
      <Table.Td>
        <Box pl={depth * 20} style={{ borderLeft: depth > 0 ? '2px solid var(--mantine-color-gray-3)' : undefined }}>
          <Text size="sm" fw={depth === 0 ? 700 : 500} c={isRetired(unit, today) ? 'dimmed' : undefined}>
            {unit.name}
          </Text>
          {unit.nameKana && (
            <Text size="xs" c="dimmed">
              {unit.nameKana}
            </Text>
          )}
        </Box>
      </Table.Td>
      <Table.Td>{t(`unitKinds.${unit.kind}`, { defaultValue: unit.kind })}</Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {unit.code}
        </Text>
      </Table.Td>
      <Table.Td>{unit.abbreviation ?? '—'}</Table.Td>
      <Table.Td>
        <ValidityCell unit={unit} today={today} />
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Tooltip label={t('common.edit')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={`${t('common.edit')}: ${unit.name}`}
              onClick={() => onDialog({ kind: 'edit', unit })}
            >
              <IconPencil size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          {!isRetired(unit, today) && (
            <Tooltip label={t('admin.units.retire')}>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`${t('admin.units.retire')}: ${unit.name}`}
                onClick={() => onDialog({ kind: 'retire', unit })}
              >
                <IconArchive size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function UnitsContent() {
  const { t } = useTranslation();
  const [includeRetired, setIncludeRetired] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const units = useQuery(unitsQuery(includeRetired));
  const allUnits = useQuery(unitsQuery(true));
  const today = todayInTokyo();
  const rows = unitRows(units.data?.items ?? []);
  const close = () => setDialog(null);

  return (
    <>
      <PageHeader
        title={t('admin.units.title')}
        description={t('admin.units.description')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
            {t('admin.units.create')}
          </Button>
        }
      />
      <Switch
        label={t('admin.units.includeRetired')}
        checked={includeRetired}
        onChange={(event) => setIncludeRetired(event.currentTarget.checked)}
        mb="sm"
      />
      <ErrorAlert error={units.error} />
      <Table.ScrollContainer minWidth={760} scrollAreaProps={scrollRegion(t('admin.units.title'))}>
        <Table striped highlightOnHover verticalSpacing="xs" aria-label={t('admin.units.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.units.name')}</Table.Th>
              <Table.Th>{t('admin.units.kind')}</Table.Th>
              <Table.Th>{t('admin.units.code')}</Table.Th>
              <Table.Th>{t('admin.units.abbreviation')}</Table.Th>
              <Table.Th>{t('admin.units.validity')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <UnitTableRow key={row.unit.id} row={row} today={today} onDialog={setDialog} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {units.isSuccess && rows.length === 0 && <Text c="dimmed">{t('common.noRecords')}</Text>}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={dialog?.kind === 'create' || dialog?.kind === 'edit'}
        onClose={close}
        title={t(dialog?.kind === 'edit' ? 'admin.units.edit' : 'admin.units.create')}
        size="lg"
      >
        {(dialog?.kind === 'create' || dialog?.kind === 'edit') && (
          <UnitForm
            unit={dialog.kind === 'edit' ? dialog.unit : null}
            units={allUnits.data?.items ?? []}
            onDone={close}
          />
        )}
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={dialog?.kind === 'retire'}
        onClose={close}
        title={t('admin.units.retire')}
      >
        {dialog?.kind === 'retire' && <RetireUnitForm unit={dialog.unit} onDone={close} />}
      </Modal>
    </>
  );
}

export function UnitsPage() {
  return (
    <RequireAbility ability="manageOrganisation">
      <UnitsContent />
    </RequireAbility>
  );
}
