import { Button, Checkbox, Group, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { type AdminUser, adminApi, type UserInput } from './api';
import { useReferenceData } from './useReferenceData';

interface Props {
  user: AdminUser | null;
  /** Editing oneself: the server refuses changes to one's own roles and unit (SELF_ADMINISTRATION), so the UI does not offer them. */
  isSelf?: boolean;
  onCreated?: (result: { user: AdminUser; initialPassword: string }) => void;
  onSaved?: (user: AdminUser) => void;
}

interface Values {
  login: string;
  name: string;
  nameKana: string;
  unitId: string | null;
  positionId: string | null;
  roles: string[];
  groupIds: string[];
  clearance: string;
}

// As the server accepts them: lower-case letters, digits and . _ - ; 2–64 characters.
const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export function UserForm({ user, isSelf = false, onCreated, onSaved }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const reference = useReferenceData();
  const form = useForm<Values>({
    initialValues: {
      login: user?.login ?? '',
      name: user?.name ?? '',
      nameKana: user?.nameKana ?? '',
      unitId: user?.unitId ?? null,
      positionId: user?.positionId ?? null,
      roles: user?.roles ?? [],
      groupIds: user?.groupIds ?? [],
      clearance: String(user?.clearance ?? 1),
    },
    validate: {
      login: (value) => (user || LOGIN_PATTERN.test(value) ? null : t('admin.users.loginInvalid')),
      name: (value) => (value.trim() ? null : t('validation.required')),
      nameKana: (value) => (value.trim() ? null : t('validation.required')),
      unitId: (value) => (value ? null : t('validation.required')),
      roles: (value) => (value.length > 0 ? null : t('admin.users.rolesRequired')),
    },
  });
  const mutation = useMutation({
    mutationFn: async (values: Values) => {
      const input: UserInput = {
        name: values.name.trim(),
        nameKana: values.nameKana.trim(),
        unitId: values.unitId ?? '',
        positionId: values.positionId,
        roles: values.roles,
        groupIds: values.groupIds,
        clearance: Number(values.clearance),
      };
      if (user) {
        const { roles, unitId, ...rest } = input;
        return { updated: await adminApi.updateUser(user.id, isSelf ? rest : { ...rest, roles, unitId }) };
      }
      return { created: await adminApi.createUser({ ...input, login: values.login.trim() }) };
    },
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
      if (result.created) onCreated?.(result.created);
      if (result.updated) onSaved?.(result.updated);
    },
  });

  return (
    <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={mutation.error ?? reference.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t('admin.users.login')}
            description={user ? t('admin.users.loginFixed') : t('admin.users.loginHint')}
            required
            disabled={user !== null}
            autoComplete="off"
            {...form.getInputProps('login')}
          />
          <Select
            label={t('admin.users.clearance')}
            required
            allowDeselect={false}
            data={['1', '2', '3'].map((value) => ({ value, label: t(`clearance.${value}`) }))}
            {...form.getInputProps('clearance')}
          />
          <TextInput label={t('admin.users.name')} required {...form.getInputProps('name')} />
          <TextInput label={t('admin.users.nameKana')} required {...form.getInputProps('nameKana')} />
          <Select
            label={t('admin.users.unit')}
            required
            searchable
            disabled={isSelf}
            data={reference.unitOptions}
            nothingFoundMessage={t('common.noMatches')}
            {...form.getInputProps('unitId')}
          />
          <Select
            label={t('admin.users.position')}
            clearable
            data={reference.positionOptions}
            {...form.getInputProps('positionId')}
          />
        </SimpleGrid>
        <Checkbox.Group label={t('admin.users.roles')} required {...form.getInputProps('roles')}>
          {isSelf && (
            <Text size="xs" c="dimmed">
              {t('admin.users.cannotChangeOwnRoles')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing={6} mt={6}>
            {reference.roles.map((role) => (
              <Checkbox
                key={role.code}
                value={role.code}
                label={reference.roleName(role)}
                title={role.description}
                disabled={isSelf}
              />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <MultiSelect
          label={t('admin.users.groups')}
          description={t('admin.users.groupsHint')}
          data={reference.groupOptions}
          searchable
          clearable
          {...form.getInputProps('groupIds')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            {t(user ? 'common.save' : 'common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
