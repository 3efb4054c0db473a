import { Button, Group, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { intelApi } from './api';
import './strings';

/** Raw or defanged value in; the server canonicalises it and the observable page opens. */
export function SearchBox({ autoFocus = false }: { autoFocus?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const lookup = useMutation({
    mutationFn: (v: string) => intelApi.lookup(v),
    onSuccess: (found) => {
      void navigate({ to: '/intel/observables/$id', params: { id: found.observable.id } });
    },
  });
  const notFound = lookup.error instanceof ApiError && lookup.error.status === 404;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) lookup.mutate(value.trim());
  };
  return (
    <form onSubmit={submit}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label={t('intel.searchLabel')}
          placeholder={t('intel.searchPlaceholder')}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          autoFocus={autoFocus}
          spellCheck={false}
          autoComplete="off"
        />
        <Button type="submit" loading={lookup.isPending} leftSection={<IconSearch size={16} aria-hidden />}>
          {t('intel.search')}
        </Button>
      </Group>
      {notFound ? (
        <p role="alert" style={{ color: 'var(--mantine-color-red-8)' }}>
          {t('intel.notFound')}
        </p>
      ) : (
        <ErrorAlert error={lookup.error} />
      )}
    </form>
  );
}
