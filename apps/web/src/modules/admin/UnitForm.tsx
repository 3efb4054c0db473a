import { Button, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { adminApi, type Unit, type UnitInput, type UnitKind, unitKinds } from './api';
import { unitOptions } from './unitTree';

interface Props {
  unit: Unit | null;
  units: Unit[];
  onDone: (unit: Unit) => void;
}

interface Values {
  code: string;
  name: string;
  nameKana: string;
  kind: UnitKind;
  parentId: string | null;
  abbreviation: string;
  validFrom: string;
  validTo: string;
  sortOrder: number | string;
}

function toInput(values: Values): UnitInput {
  return {
    code: values.code.trim(),
    name: values.name.trim(),
    nameKana: values.nameKana.trim(),
    kind: values.kind,
    parentId: values.parentId,
    abbreviation: values.abbreviation.trim() || null,
    validFrom: values.validFrom || undefined,
    validTo: values.validTo || null,
    sortOrder: typeof values.sortOrder === 'number' ? values.sortOrder : undefined,
  };
}

/** Create a unit (unit = null) or edit one. */
export function UnitForm({ unit, units, onDone }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      code: unit?.code ?? '',
      name: unit?.name ?? '',
      nameKana: unit?.nameKana ?? '',
      kind: unit?.kind ?? 'division',
      parentId: unit?.parentId ?? null,
      abbreviation: unit?.abbreviation ?? '',
      validFrom: unit?.validFrom ?? '',
      validTo: unit?.validTo ?? '',
      sortOrder: unit?.sortOrder ?? '',
    },
    validate: {
      code: (value) => (value.trim() ? null : t('validation.required')),
      name: (value) => (value.trim() ? null : t('validation.required')),
      validTo: (value, values) =>
        value && values.validFrom && value < values.validFrom ? t('admin.units.validToBeforeFrom') : null,
    },
  });
  const mutation = useMutation({
    mutationFn: (values: Values) => {
      const input = toInput(values);
      if (!unit) return adminApi.createUnit(input);
      const { code: _code, ...changes } = input;
      return adminApi.updateUnit(unit.id, unit.code === input.code ? changes : input);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'units'] });
      onDone(saved);
    },
  });

  return (
    <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={mutation.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label={t('admin.units.name')} required {...form.getInputProps('name')} data-autofocus />
          <TextInput label={t('admin.units.nameKana')} {...form.getInputProps('nameKana')} />
          <TextInput label={t('admin.units.code')} required {...form.getInputProps('code')} />
          <TextInput
            label={t('admin.units.abbreviation')}
            description={t('admin.units.abbreviationHint')}
            {...form.getInputProps('abbreviation')}
          />
          <Select
            label={t('admin.units.kind')}
            required
            allowDeselect={false}
            data={unitKinds.map((kind) => ({ value: kind, label: t(`unitKinds.${kind}`) }))}
            {...form.getInputProps('kind')}
          />
          <Select
            label={t('admin.units.parent')}
            placeholder={t('admin.units.noParent')}
            clearable
            searchable
            data={unitOptions(units, unit?.id)}
            {...form.getInputProps('parentId')}
          />
          <TextInput label={t('admin.units.validFrom')} type="date" {...form.getInputProps('validFrom')} />
          <TextInput
            label={t('admin.units.validTo')}
            description={t('admin.units.validToHint')}
            type="date"
            {...form.getInputProps('validTo')}
          />
          <NumberInput
            label={t('admin.units.sortOrder')}
            min={0}
            allowDecimal={false}
            {...form.getInputProps('sortOrder')}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            {t(unit ? 'common.save' : 'common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
