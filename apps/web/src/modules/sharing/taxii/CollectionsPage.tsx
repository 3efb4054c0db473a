import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
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
import { type Collection, type PublishResult, taxiiApi } from './api';
import { TaxiiNav } from './TaxiiNav';
import './strings';

const KEY = ['taxii', 'collections'];

function CollectionForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const save = useMutation({
    mutationFn: () => taxiiApi.createCollection({ title: title.trim(), description }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: KEY });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim()) save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput label={t('taxii.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <TextInput
          label={t('taxii.description')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
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

function GrantForm({ collection, onDone }: { collection: Collection; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const partners = useQuery({ queryKey: ['sharing', 'partners'], queryFn: () => sharingApi.partners() });
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [read, setRead] = useState(true);
  const [write, setWrite] = useState(false);
  const save = useMutation({
    mutationFn: () => taxiiApi.grant(collection.id, { partnerId: partnerId ?? '', read, write }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: KEY });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (partnerId) save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Select
          label={t('taxii.partner')}
          required
          searchable
          data={(partners.data?.items ?? []).filter((p) => !p.disabled).map((p) => ({ value: p.id, label: p.name }))}
          value={partnerId}
          onChange={setPartnerId}
        />
        <Checkbox label={t('taxii.read')} checked={read} onChange={(e) => setRead(e.currentTarget.checked)} />
        <Checkbox label={t('taxii.write')} checked={write} onChange={(e) => setWrite(e.currentTarget.checked)} />
        <ErrorAlert error={partners.error ?? save.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!partnerId}>
            {t('taxii.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CollectionRow({ c, onGrant }: { c: Collection; onGrant: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [result, setResult] = useState<PublishResult | null>(null);
  const publish = useMutation({
    mutationFn: () => taxiiApi.publish(c.id),
    onSuccess: (r) => {
      setResult(r);
      void qc.invalidateQueries({ queryKey: KEY });
    },
  });
  return (
    <Table.Tr data-testid={`collection-${c.title}`}>
      <Table.Td>
        <Text fw={500}>{c.title}</Text>
        <Text size="sm" c="dimmed">
          {c.description}
        </Text>
        <Text size="xs" c="dimmed">
          {t('taxii.apiRoot')}: /taxii2/{c.apiRoot}/ · ID: {c.id}
        </Text>
      </Table.Td>
      <Table.Td>
        {c.grants.length === 0 && <Text size="sm">{t('taxii.noGrants')}</Text>}
        <Stack gap={4}>
          {c.grants.map((g) => (
            <Group gap="xs" key={g.partnerId}>
              <Text size="sm">{g.partner}</Text>
              {g.read && <Badge variant="light">{t('taxii.read')}</Badge>}
              {g.write && (
                <Badge variant="light" color="grape">
                  {t('taxii.write')}
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
      </Table.Td>
      <Table.Td>{c.publishedAt ? new Date(c.publishedAt).toLocaleString() : t('taxii.never')}</Table.Td>
      <Table.Td>
        <Stack gap="xs">
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={onGrant}>
              {t('taxii.grant')}
            </Button>
            <Button size="xs" onClick={() => publish.mutate()} loading={publish.isPending}>
              {t('taxii.publish')}
            </Button>
          </Group>
          {result && (
            <Alert color="green" variant="light" role="status">
              {t('taxii.publishedCounts', { ...result })}
            </Alert>
          )}
          <ErrorAlert error={publish.error} />
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

export function CollectionsPage() {
  const { t } = useTranslation();
  const allowed = useTaxiiManage();
  const [opened, { open, close }] = useDisclosure(false);
  const [granting, setGranting] = useState<Collection | null>(null);
  const list = useQuery({ queryKey: KEY, queryFn: () => taxiiApi.collections(), enabled: allowed });
  if (!allowed) return <ForbiddenNotice />;
  return (
    <>
      <TaxiiNav />
      <PageHeader
        title={t('taxii.collectionsTitle')}
        description={t('taxii.collectionsDescription')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
            {t('taxii.addCollection')}
          </Button>
        }
      />
      <ErrorAlert error={list.error} />
      <Paper withBorder p="md">
        {list.data && list.data.items.length === 0 && <Text>{t('taxii.noCollections')}</Text>}
        {list.data && list.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('taxii.title')}</Table.Th>
                  <Table.Th>{t('taxii.grants')}</Table.Th>
                  <Table.Th>{t('taxii.published')}</Table.Th>
                  <Table.Th>{t('taxii.publish')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((c) => (
                  <CollectionRow key={c.id} c={c} onGrant={() => setGranting(c)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Modal
        opened={opened}
        onClose={close}
        title={t('taxii.addCollection')}
        closeButtonProps={{ 'aria-label': t('taxii.close') }}
      >
        <CollectionForm onDone={close} />
      </Modal>
      <Modal
        opened={granting !== null}
        onClose={() => setGranting(null)}
        title={`${t('taxii.grant')}: ${granting?.title ?? ''}`}
        closeButtonProps={{ 'aria-label': t('taxii.close') }}
      >
        {granting && <GrantForm collection={granting} onDone={() => setGranting(null)} />}
      </Modal>
    </>
  );
}
