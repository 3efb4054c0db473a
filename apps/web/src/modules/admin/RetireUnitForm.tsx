import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { todayInTokyo } from '../../format';
import { adminApi, type Unit } from './api';

/** Units are never deleted: retiring one sets the last day it is in force. */
export function RetireUnitForm({ unit, onDone }: { unit: Unit; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [validTo, setValidTo] = useState(todayInTokyo());
  const mutation = useMutation({
    mutationFn: () => adminApi.updateUnit(unit.id, { validTo }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'units'] });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('admin.units.retireExplain', { name: unit.name })}</Text>
        <ErrorAlert error={mutation.error} />
        <TextInput
          type="date"
          label={t('admin.units.validTo')}
          required
          value={validTo}
          onChange={(event) => setValidTo(event.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button type="submit" color="red.9" loading={mutation.isPending} disabled={!validTo}>
            {t('admin.units.retire')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
