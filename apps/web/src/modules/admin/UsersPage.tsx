import { ActionIcon, Badge, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPencil, IconPlus, IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RequireAbility } from '../../components/RequireAbility';
import { scrollRegion } from '../../components/scrollRegion';
import { formatDateTime } from '../../format';
import { type AdminUser, adminApi, type UserFilters } from './api';
import { CreateUserModal, UserDrawer } from './UserDialogs';
import { useReferenceData } from './useReferenceData';

function UsersContent() {
  const { t } = useTranslation();
  const reference = useReferenceData();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [status, setStatus] = useState<'active' | 'disabled' | ''>('active');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<AdminUser | null>(null);
  const filters: UserFilters = { q: debouncedQ, status, unitId: unitId ?? undefined };
  const users = useInfiniteQuery({
    queryKey: ['admin', 'users', filters],
    queryFn: ({ pageParam }) => adminApi.users(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const records = users.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('admin.users.title')}
        description={t('admin.users.description')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            {t('admin.users.create')}
          </Button>
        }
      />
      <Stack gap="sm">
        <Group gap="sm" align="flex-end" wrap="wrap" component="search" aria-label={t('admin.users.filters')}>
          <TextInput
            label={t('admin.users.search')}
            placeholder={t('admin.users.searchPlaceholder')}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            w={{ base: '100%', sm: 280 }}
          />
          <Select
            label={t('admin.users.statusFilter')}
            data={[
              { value: 'active', label: t('admin.users.status.active') },
              { value: 'disabled', label: t('admin.users.status.disabled') },
              { value: '', label: t('common.all') },
            ]}
            value={status}
            allowDeselect={false}
            onChange={(value) => setStatus((value ?? '') as 'active' | 'disabled' | '')}
            w={{ base: '100%', sm: 160 }}
          />
          <Select
            label={t('admin.users.unit')}
            placeholder={t('common.all')}
            data={reference.unitOptions}
            value={unitId}
            onChange={setUnitId}
            clearable
            searchable
            w={{ base: '100%', sm: 260 }}
          />
        </Group>
        <ErrorAlert error={users.error} />
        <DataTable<AdminUser>
          withTableBorder
          striped
          minHeight={records.length === 0 ? 160 : undefined}
          records={records}
          fetching={users.isFetching && !users.isFetchingNextPage}
          noRecordsText={t('common.noRecords')}
          aria-label={t('admin.users.title')}
          scrollAreaProps={scrollRegion(t('admin.users.title'))}
          columns={[
            {
              accessor: 'login',
              title: t('admin.users.login'),
              render: (user) => (
                <Text size="sm" ff="monospace">
                  {user.login}
                </Text>
              ),
            },
            {
              accessor: 'name',
              title: t('admin.users.name'),
              render: (user) => (
                <div>
                  <Text size="sm">{user.name}</Text>
                  <Text size="xs" c="dimmed">
                    {user.nameKana}
                  </Text>
                </div>
              ),
            },
            { accessor: 'unitName', title: t('admin.users.unit') },
            { accessor: 'positionName', title: t('admin.users.position'), render: (user) => user.positionName ?? '—' },
            {
              accessor: 'roles',
              title: t('admin.users.roles'),
              render: (user) => user.roles.map(reference.roleLabel).join('、'),
            },
            {
              accessor: 'status',
              title: t('admin.users.statusFilter'),
              render: (user) => (
                <Badge color={user.status === 'active' ? 'teal' : 'gray'} variant="light">
                  {t(`admin.users.status.${user.status}`)}
                </Badge>
              ),
            },
            {
              accessor: 'lastLoginAt',
              title: t('admin.users.lastLogin'),
              render: (user) => formatDateTime(user.lastLoginAt),
            },
            {
              accessor: 'actions',
              title: t('common.actions'),
              textAlign: 'right',
              render: (user) => (
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`${t('common.edit')}: ${user.login}`}
                  onClick={() => setSelected(user)}
                >
                  <IconPencil size={18} aria-hidden />
                </ActionIcon>
              ),
            },
          ]}
        />
        {users.hasNextPage && (
          <Group justify="center">
            <Button variant="default" onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
              {t('common.more')}
            </Button>
          </Group>
        )}
      </Stack>
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
      <UserDrawer user={selected} onClose={() => setSelected(null)} />
    </>
  );
}

export function UsersPage() {
  return (
    <RequireAbility ability="manageUsers">
      <UsersContent />
    </RequireAbility>
  );
}
