import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ForbiddenNotice } from '../../../components/ForbiddenNotice';
import { PageHeader } from '../../../components/PageHeader';
import { sharingApi } from '../api';
import { useTaxiiManage } from './abilities';
import { type Subscription, taxiiApi } from './api';
import { TaxiiNav } from './TaxiiNav';
import './strings';

const KEY = ['taxii', 'subscriptions'];
const when = (v: string | null, none: string) => (v ? new Date(v).toLocaleString() : none);

function SubscriptionForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const partners = useQuery({ queryKey: ['sharing', 'partners'], queryFn: () => sharingApi.partners() });
  const [name, setName] = useState('');
  const [apiRootUrl, setApiRootUrl] = useState('');
  const [collectionId, setCollectionId] = useState('');
  const [token, setToken] = useState('');
  const [direction, setDirection] = useState<'pull' | 'push'>('pull');
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      taxiiApi.createSubscription({
        name: name.trim(),
        apiRootUrl: apiRootUrl.trim(),
        collectionId: collectionId.trim(),
        token,
        direction,
        partnerId,
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: KEY });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput label={t('taxii.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput
          label={t('taxii.apiRootUrl')}
          required
          type="url"
          value={apiRootUrl}
          onChange={(e) => setApiRootUrl(e.currentTarget.value)}
        />
        <TextInput
          label={t('taxii.collectionId')}
          required
          value={collectionId}
          onChange={(e) => setCollectionId(e.currentTarget.value)}
        />
        <PasswordInput
          label={t('taxii.token')}
          required
          value={token}
          onChange={(e) => setToken(e.currentTarget.value)}
        />
        <Select
          label={t('taxii.direction')}
          data={[
            { value: 'pull', label: t('taxii.pull') },
            { value: 'push', label: t('taxii.push') },
          ]}
          value={direction}
          allowDeselect={false}
          onChange={(v) => v && setDirection(v as 'pull' | 'push')}
        />
        <Select
          label={t('taxii.partner')}
          clearable
          data={(partners.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={partnerId}
          onChange={setPartnerId}
        />
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('taxii.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SubscriptionRow({ s }: { s: Subscription }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () => taxiiApi.run(s.id),
    onSettled: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
  return (
    <Table.Tr>
      <Table.Td>
        <Text fw={500}>{s.name}</Text>
        <Text size="xs" c="dimmed">
          {s.apiRootUrl} · {s.collectionId}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light">{t(`taxii.${s.direction}`)}</Badge>
      </Table.Td>
      <Table.Td>{when(s.lastRunAt, t('taxii.never'))}</Table.Td>
      <Table.Td>{when(s.lastOkAt, t('taxii.never'))}</Table.Td>
      <Table.Td>
        {s.lastError ? (
          <Text size="sm" c="red.8">
            {s.lastError}
          </Text>
        ) : (
          t('taxii.none')
        )}
      </Table.Td>
      <Table.Td>{s.objectsTotal}</Table.Td>
      <Table.Td>
        <Stack gap="xs">
          <Button size="xs" onClick={() => run.mutate()} loading={run.isPending} disabled={s.disabled}>
            {t('taxii.run')}
          </Button>
          {run.data && (
            <Alert color={run.data.error ? 'red' : 'green'} variant="light" role="status">
              {run.data.error
                ? t('taxii.ranError', { error: run.data.error })
                : t('taxii.ran', { moved: run.data.moved })}
            </Alert>
          )}
          <ErrorAlert error={run.error} />
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

export function SubscriptionsPage() {
  const { t } = useTranslation();
  const allowed = useTaxiiManage();
  const [opened, { open, close }] = useDisclosure(false);
  const list = useQuery({ queryKey: KEY, queryFn: () => taxiiApi.subscriptions(), enabled: allowed });
  if (!allowed) return <ForbiddenNotice />;
  return (
    <>
      <TaxiiNav />
      <PageHeader
        title={t('taxii.subscriptionsTitle')}
        description={t('taxii.subscriptionsDescription')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
            {t('taxii.addSubscription')}
          </Button>
        }
      />
      <ErrorAlert error={list.error} />
      <Paper withBorder p="md">
        {list.data && list.data.items.length === 0 && <Text>{t('taxii.noSubscriptions')}</Text>}
        {list.data && list.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={900}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('taxii.name')}</Table.Th>
                  <Table.Th>{t('taxii.direction')}</Table.Th>
                  <Table.Th>{t('taxii.lastRun')}</Table.Th>
                  <Table.Th>{t('taxii.lastOk')}</Table.Th>
                  <Table.Th>{t('taxii.lastError')}</Table.Th>
                  <Table.Th>{t('taxii.objectsTotal')}</Table.Th>
                  <Table.Th>{t('taxii.run')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((s) => (
                  <SubscriptionRow key={s.id} s={s} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Modal
        opened={opened}
        onClose={close}
        title={t('taxii.addSubscription')}
        closeButtonProps={{ 'aria-label': t('taxii.close') }}
      >
        <SubscriptionForm onDone={close} />
      </Modal>
    </>
  );
}
