import { Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { IconFilter, IconX } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditFilters, type AuditResult, auditResults, emptyAuditFilters } from './api';

interface Props {
  initial: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}

/** Filters are applied on submit, so typing does not fire a query per key. */
export function AuditFilterForm({ initial, onApply }: Props) {
  const { t } = useTranslation();
  const [values, setValues] = useState<AuditFilters>(initial);
  const set = (key: keyof AuditFilters) => (event: { currentTarget: { value: string } }) =>
    setValues((previous) => ({ ...previous, [key]: event.currentTarget.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(values);
  };
  const clear = () => {
    setValues(emptyAuditFilters);
    onApply(emptyAuditFilters);
  };
  return (
    <search aria-label={t('audit.filters')}>
      <form onSubmit={submit}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
          <TextInput label={t('audit.actor')} value={values.actor} onChange={set('actor')} />
          <TextInput
            label={t('audit.action')}
            placeholder="auth.login"
            value={values.action}
            onChange={set('action')}
          />
          <Select
            label={t('audit.result')}
            placeholder={t('common.all')}
            clearable
            data={auditResults.map((result) => ({ value: result, label: t(`audit.results.${result}`) }))}
            value={values.result || null}
            onChange={(value) => setValues((previous) => ({ ...previous, result: (value ?? '') as AuditResult | '' }))}
          />
          <TextInput label={t('audit.targetType')} value={values.targetType} onChange={set('targetType')} />
          <TextInput label={t('audit.targetId')} value={values.targetId} onChange={set('targetId')} />
          <TextInput label={t('audit.from')} type="date" value={values.fromDay} onChange={set('fromDay')} />
          <TextInput label={t('audit.to')} type="date" value={values.toDay} onChange={set('toDay')} />
          <Group align="flex-end" gap="xs">
            <Button type="submit" leftSection={<IconFilter size={16} aria-hidden />}>
              {t('audit.apply')}
            </Button>
            <Button variant="default" onClick={clear} leftSection={<IconX size={16} aria-hidden />}>
              {t('audit.clear')}
            </Button>
          </Group>
        </SimpleGrid>
      </form>
    </search>
  );
}
