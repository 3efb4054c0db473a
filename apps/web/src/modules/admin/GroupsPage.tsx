import { Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import '../outbox/strings';

interface NeedToKnowGroup {
  id: string;
  name: string;
  description: string;
}

/** Need-to-know groups: list and create (GET/POST /api/admin/groups). */
export function GroupsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const list = useQuery({
    queryKey: ['admin', 'groups'],
    queryFn: () => api.get<{ items: NeedToKnowGroup[] }>('/api/admin/groups'),
  });
  const create = useMutation({
    mutationFn: () => api.post<NeedToKnowGroup>('/api/admin/groups', { name: name.trim(), description }),
    onSuccess: () => {
      notifications.show({
        color: 'teal',
        message: t('documents.created'),
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      setName('');
      setDescription('');
      void queryClient.invalidateQueries({ queryKey: ['admin', 'groups'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <>
      <PageHeader title={t('documents.groupsTitle')} description={t('documents.groupsDescription')} />
      <Stack gap="md">
        <Paper withBorder p="sm" component="form" onSubmit={submit}>
          <Group align="flex-end" gap="xs">
            <TextInput
              style={{ flex: 1, minWidth: 200 }}
              label={t('documents.groupName')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <TextInput
              style={{ flex: 2, minWidth: 200 }}
              label={t('documents.groupDescription')}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <Button type="submit" loading={create.isPending}>
              {t('documents.createGroup')}
            </Button>
          </Group>
          <ErrorAlert error={create.error} />
        </Paper>
        <ErrorAlert error={list.error} />
        <Table.ScrollContainer minWidth={360} tabIndex={0} aria-label={t('documents.groupsTitle')}>
          <Table striped withTableBorder data-testid="groups-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('documents.groupName')}</Table.Th>
                <Table.Th>{t('documents.groupDescription')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td>{g.name}</Table.Td>
                  <Table.Td>{g.description}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data && list.data.items.length === 0 && <Text c="dimmed">{t('common.noRecords')}</Text>}
      </Stack>
    </>
  );
}
