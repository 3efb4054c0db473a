import { Button, Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { adminApi } from './api';

interface Values {
  userId: string | null;
  name: string;
  expiresInDays: number | string;
}

/** Issues a token for an account; the secret comes back once and is passed to `onCreated`. */
export function CreateTokenForm({ onCreated }: { onCreated: (token: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useQuery({
    queryKey: ['admin', 'users', 'token-owners'],
    queryFn: () => adminApi.users({ status: 'active' }, null, 200),
  });
  const form = useForm<Values>({
    initialValues: { userId: null, name: '', expiresInDays: 90 },
    validate: {
      userId: (value) => (value ? null : t('validation.required')),
      name: (value) => (value.trim() ? null : t('validation.required')),
      expiresInDays: (value) =>
        typeof value === 'number' && value >= 1 && value <= 730 ? null : t('admin.tokens.expiryInvalid'),
    },
  });
  const mutation = useMutation({
    mutationFn: (values: Values) =>
      adminApi.createToken({
        userId: values.userId ?? '',
        name: values.name.trim(),
        expiresInDays: Number(values.expiresInDays),
      }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'tokens'] });
      onCreated(created.token);
    },
  });
  const userOptions = (users.data?.items ?? []).map((user) => ({
    value: user.id,
    label: `${user.name}（${user.login}）`,
  }));
  return (
    <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={mutation.error ?? users.error} />
        <Select
          label={t('admin.tokens.user')}
          required
          searchable
          data={userOptions}
          nothingFoundMessage={t('common.noMatches')}
          {...form.getInputProps('userId')}
        />
        <TextInput
          label={t('admin.tokens.name')}
          description={t('admin.tokens.nameHint')}
          required
          {...form.getInputProps('name')}
        />
        <NumberInput
          label={t('admin.tokens.expiresInDays')}
          required
          min={1}
          max={730}
          allowDecimal={false}
          {...form.getInputProps('expiresInDays')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            {t('admin.tokens.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
