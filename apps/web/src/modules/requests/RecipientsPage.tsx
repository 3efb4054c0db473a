import { Alert, Button, Group, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { type Recipient, requestsApi } from './api';
import './strings';

const KINDS = [
  'hosting',
  'isp',
  'registrar',
  'sns',
  'bbs',
  'carrier',
  'bank',
  'funds_transfer',
  'crypto_exchange',
  'coordinator',
  'other',
];

type DirectoryEntry = Recipient & { asns?: string[]; maxPerHour?: number | null };

/** The recipients directory: list, add an organisation, map an AS to it and set its hourly sending limit. */
export function RecipientsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['requests', 'recipients'], queryFn: requestsApi.recipients });
  const items = (list.data?.items ?? []) as DirectoryEntry[];
  const [form, setForm] = useState({
    name: '',
    kind: 'hosting',
    abuseEmail: '',
    legalEmail: '',
    fax: '',
    bankCode: '',
  });
  const [net, setNet] = useState<{ recipientId: string | null; asn: string; maxPerHour: number | string }>({
    recipientId: null,
    asn: '',
    maxPerHour: '',
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['requests', 'recipients'] });
  const add = useMutation({
    mutationFn: () =>
      requestsApi.createRecipient({
        name: form.name.trim(),
        kind: form.kind,
        ...(form.abuseEmail.trim() ? { abuseEmail: form.abuseEmail.trim() } : {}),
        ...(form.legalEmail.trim() ? { legalEmail: form.legalEmail.trim() } : {}),
        ...(form.fax.trim() ? { fax: form.fax.trim() } : {}),
        ...(form.bankCode.trim() ? { bankCode: form.bankCode.trim() } : {}),
      }),
    onSuccess: () => {
      setForm({ name: '', kind: form.kind, abuseEmail: '', legalEmail: '', fax: '', bankCode: '' });
      void refresh();
    },
  });
  const map = useMutation({
    mutationFn: () =>
      requestsApi.network({
        recipientId: net.recipientId ?? '',
        ...(net.asn.trim() ? { asn: net.asn.trim().toUpperCase() } : {}),
        ...(net.maxPerHour !== '' ? { maxPerHour: Number(net.maxPerHour) } : {}),
      }),
    onSuccess: () => void refresh(),
  });
  const error = [add.error, map.error].find((e) => e instanceof ApiError) as ApiError | undefined;
  return (
    <Stack gap="md">
      <PageHeader title={t('requests.dir.title')} description={t('requests.dir.description')} />
      {error && (
        <Alert color="red" role="alert" title={error.code}>
          {error.message}
        </Alert>
      )}
      <Paper withBorder p="md">
        {items.length === 0 ? (
          <Text c="dimmed">{t('requests.dir.empty')}</Text>
        ) : (
          <Table aria-label={t('requests.dir.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('requests.dir.name')}</Table.Th>
                <Table.Th>{t('requests.dir.kind')}</Table.Th>
                <Table.Th>{t('requests.dir.abuseEmail')}</Table.Th>
                <Table.Th>{t('requests.dir.legalEmail')}</Table.Th>
                <Table.Th>{t('requests.dir.fax')}</Table.Th>
                <Table.Th>{t('requests.dir.asns')}</Table.Th>
                <Table.Th>{t('requests.dir.maxPerHour')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{t(`requests.recipientKinds.${r.kind}`, { defaultValue: r.kind })}</Table.Td>
                  <Table.Td>{r.abuseEmail ?? ''}</Table.Td>
                  <Table.Td>{r.legalEmail ?? ''}</Table.Td>
                  <Table.Td>{r.fax ?? ''}</Table.Td>
                  <Table.Td>{(r.asns ?? []).join(', ')}</Table.Td>
                  <Table.Td>{r.maxPerHour ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder p="md">
        <Stack>
          <Title order={2} size="h4">
            {t('requests.dir.add')}
          </Title>
          <Group grow align="flex-start">
            <TextInput
              label={t('requests.dir.name')}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              required
            />
            <Select
              label={t('requests.dir.kind')}
              data={KINDS.map((k) => ({ value: k, label: t(`requests.recipientKinds.${k}`) }))}
              value={form.kind}
              onChange={(v) => setForm({ ...form, kind: v ?? 'hosting' })}
              allowDeselect={false}
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label={t('requests.dir.abuseEmail')}
              type="email"
              value={form.abuseEmail}
              onChange={(e) => setForm({ ...form, abuseEmail: e.currentTarget.value })}
            />
            <TextInput
              label={t('requests.dir.legalEmail')}
              type="email"
              value={form.legalEmail}
              onChange={(e) => setForm({ ...form, legalEmail: e.currentTarget.value })}
            />
            <TextInput
              label={t('requests.dir.fax')}
              value={form.fax}
              onChange={(e) => setForm({ ...form, fax: e.currentTarget.value })}
            />
            {form.kind === 'bank' && (
              <TextInput
                label={t('requests.dir.bankCode')}
                value={form.bankCode}
                onChange={(e) => setForm({ ...form, bankCode: e.currentTarget.value })}
              />
            )}
          </Group>
          <Group>
            <Button onClick={() => add.mutate()} disabled={!form.name.trim()} loading={add.isPending}>
              {t('requests.dir.add')}
            </Button>
            {add.isSuccess && <Text role="status">{t('requests.dir.added')}</Text>}
          </Group>
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Stack>
          <Title order={2} size="h4">
            {t('requests.dir.network')}
          </Title>
          <Group grow align="flex-start">
            <Select
              label={t('requests.recipient')}
              data={items.map((r) => ({ value: r.id, label: r.name }))}
              value={net.recipientId}
              onChange={(v) => setNet({ ...net, recipientId: v })}
              searchable
              required
            />
            <TextInput
              label={t('requests.dir.asn')}
              value={net.asn}
              onChange={(e) => setNet({ ...net, asn: e.currentTarget.value })}
            />
            <NumberInput
              label={t('requests.dir.maxPerHour')}
              value={net.maxPerHour}
              onChange={(v) => setNet({ ...net, maxPerHour: v })}
              min={0}
              max={10000}
            />
          </Group>
          <Group>
            <Button
              onClick={() => map.mutate()}
              disabled={!net.recipientId || (!net.asn.trim() && net.maxPerHour === '')}
              loading={map.isPending}
            >
              {t('requests.dir.save')}
            </Button>
            {map.isSuccess && <Text role="status">{t('requests.dir.saved')}</Text>}
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
