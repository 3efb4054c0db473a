import { Button, Checkbox, Group, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { adminApi, type Position, type PositionInput } from './api';

interface Values {
  code: string;
  name: string;
  nameEn: string;
  rank: number | string;
  isHead: boolean;
}

export function PositionForm({ position, onDone }: { position: Position | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      code: position?.code ?? '',
      name: position?.name ?? '',
      nameEn: position?.nameEn ?? '',
      rank: position?.rank ?? '',
      isHead: position?.isHead ?? false,
    },
    validate: {
      code: (value) => (value.trim() ? null : t('validation.required')),
      name: (value) => (value.trim() ? null : t('validation.required')),
      rank: (value) => (typeof value === 'number' && value >= 1 ? null : t('admin.positions.rankInvalid')),
    },
  });
  const mutation = useMutation({
    mutationFn: (values: Values) => {
      const input: PositionInput = {
        code: values.code.trim(),
        name: values.name.trim(),
        nameEn: values.nameEn.trim(),
        rank: Number(values.rank),
        isHead: values.isHead,
      };
      return position ? adminApi.updatePosition(position.id, input) : adminApi.createPosition(input);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'positions'] });
      onDone();
    },
  });
  return (
    <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={mutation.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label={t('admin.positions.name')} required {...form.getInputProps('name')} data-autofocus />
          <TextInput label={t('admin.positions.nameEn')} lang="en" {...form.getInputProps('nameEn')} />
          <TextInput label={t('admin.positions.code')} required {...form.getInputProps('code')} />
          <NumberInput
            label={t('admin.positions.rank')}
            description={t('admin.positions.rankHint')}
            required
            min={1}
            allowDecimal={false}
            {...form.getInputProps('rank')}
          />
        </SimpleGrid>
        <Checkbox label={t('admin.positions.isHead')} {...form.getInputProps('isHead', { type: 'checkbox' })} />
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            {t(position ? 'common.save' : 'common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
