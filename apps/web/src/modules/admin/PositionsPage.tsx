import { ActionIcon, Badge, Button, Modal, Table, Text } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RequireAbility } from '../../components/RequireAbility';
import { scrollRegion } from '../../components/scrollRegion';
import type { Position } from './api';
import { PositionForm } from './PositionForm';
import { positionsQuery } from './queries';

function PositionsContent() {
  const { t } = useTranslation();
  const positions = useQuery(positionsQuery);
  const [editing, setEditing] = useState<Position | 'new' | null>(null);
  const items = [...(positions.data?.items ?? [])].sort((a, b) => a.rank - b.rank || a.code.localeCompare(b.code));
  return (
    <>
      <PageHeader
        title={t('admin.positions.title')}
        description={t('admin.positions.description')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
            {t('admin.positions.create')}
          </Button>
        }
      />
      <ErrorAlert error={positions.error} />
      <Table.ScrollContainer minWidth={520} scrollAreaProps={scrollRegion(t('admin.positions.title'))}>
        <Table striped verticalSpacing="xs" aria-label={t('admin.positions.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.positions.rank')}</Table.Th>
              <Table.Th>{t('admin.positions.name')}</Table.Th>
              <Table.Th>{t('admin.positions.code')}</Table.Th>
              <Table.Th>{t('admin.positions.isHead')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((position) => (
              <Table.Tr key={position.id}>
                <Table.Td>{position.rank}</Table.Td>
                <Table.Td>
                  {position.name}
                  {position.nameEn && (
                    <Text size="xs" c="dimmed" lang="en">
                      {position.nameEn}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {position.code}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {position.isHead && (
                    <Badge variant="light" color="indigo">
                      {t('admin.positions.head')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`${t('common.edit')}: ${position.name}`}
                    onClick={() => setEditing(position)}
                  >
                    <IconPencil size={18} aria-hidden />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {positions.isSuccess && items.length === 0 && <Text c="dimmed">{t('common.noRecords')}</Text>}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={t(editing === 'new' ? 'admin.positions.create' : 'admin.positions.edit')}
      >
        {editing !== null && (
          <PositionForm position={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
        )}
      </Modal>
    </>
  );
}

export function PositionsPage() {
  return (
    <RequireAbility ability="manageOrganisation">
      <PositionsContent />
    </RequireAbility>
  );
}
