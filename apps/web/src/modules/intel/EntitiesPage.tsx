import {
  Anchor,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useIntelAbilities } from './abilities';
import { ENTITY_KINDS, type Entity, type EntityInput, type EntityKind, intelApi, TLPS, type Tlp } from './api';
import { IntelNav } from './IntelNav';
import { TlpBadge } from './TlpBadge';
import '../outbox/strings';
import './strings';

/** Create or edit form; `entity` undefined = create. */
export function EntityForm({ entity, onDone }: { entity?: Entity; onDone: (saved: Entity) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<EntityKind>(entity?.kind ?? 'campaign');
  const [name, setName] = useState(entity?.name ?? '');
  const [aliases, setAliases] = useState(entity?.aliases.join(', ') ?? '');
  const [description, setDescription] = useState(entity?.description ?? '');
  const [tlp, setTlp] = useState<Tlp>((entity?.tlp as Tlp | undefined) ?? 'amber');
  const save = useMutation({
    mutationFn: () => {
      const input: EntityInput = {
        name: name.trim(),
        aliases: aliases
          .split(/[,、，]/)
          .map((a) => a.trim())
          .filter(Boolean),
        description,
        tlp,
      };
      return entity ? intelApi.updateEntity(entity.id, input) : intelApi.createEntity({ ...input, kind });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['intel', 'entities'] });
      void queryClient.invalidateQueries({ queryKey: ['intel', 'entity', saved.id] });
      onDone(saved);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        {!entity && (
          <Select
            label={t('intel.kind')}
            data={ENTITY_KINDS.map((k) => ({ value: k, label: t(`intel.kinds.${k}`) }))}
            value={kind}
            allowDeselect={false}
            onChange={(v) => v && setKind(v as EntityKind)}
          />
        )}
        <TextInput label={t('intel.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput label={t('intel.aliases')} value={aliases} onChange={(e) => setAliases(e.currentTarget.value)} />
        <Textarea
          label={t('intel.description')}
          autosize
          minRows={3}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <Select
          label={t('intel.tlp')}
          data={TLPS.map((x) => ({ value: x, label: `TLP:${x.toUpperCase()}` }))}
          value={tlp}
          allowDeselect={false}
          onChange={(v) => v && setTlp(v as Tlp)}
        />
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t(entity ? 'intel.save' : 'intel.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function EntitiesPage() {
  const { t } = useTranslation();
  const can = useIntelAbilities();
  const [kind, setKind] = useState<string>('all');
  const [opened, { open, close }] = useDisclosure(false);
  const list = useQuery({
    queryKey: ['intel', 'entities', kind],
    queryFn: () => intelApi.entities(kind === 'all' ? undefined : kind),
  });
  return (
    <>
      <IntelNav />
      <PageHeader
        title={t('intel.entitiesTitle')}
        description={t('intel.entitiesDescription')}
        actions={
          can.write && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
              {t('intel.create')}
            </Button>
          )
        }
      />
      <Modal
        opened={opened}
        onClose={close}
        title={t('intel.create')}
        closeButtonProps={{ 'aria-label': t('outbox.close') }}
      >
        <EntityForm onDone={close} />
      </Modal>
      <Stack gap="sm">
        <SegmentedControl
          aria-label={t('intel.kind')}
          value={kind}
          onChange={setKind}
          data={[
            { value: 'all', label: t('intel.allTypes') },
            ...ENTITY_KINDS.map((k) => ({ value: k, label: t(`intel.kinds.${k}`) })),
          ]}
          style={{ maxWidth: '100%', overflowX: 'auto' }}
        />
        <ErrorAlert error={list.error} />
        <Paper withBorder>
          <Table.ScrollContainer minWidth={480} tabIndex={0} aria-label={t('intel.entitiesTitle')}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('intel.name')}</Table.Th>
                  <Table.Th>{t('intel.kind')}</Table.Th>
                  <Table.Th>{t('intel.tlp')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(list.data?.items ?? []).map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/intel/entities/${e.id}`}>
                        {e.name}
                      </Anchor>
                      {e.aliases.length > 0 && (
                        <Text size="xs" c="dimmed">
                          {e.aliases.join('、')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`intel.kinds.${e.kind}`)}</Table.Td>
                    <Table.Td>
                      <TlpBadge tlp={e.tlp} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.data && list.data.items.length === 0 && (
            <Text c="dimmed" p="md">
              {t('common.noRecords')}
            </Text>
          )}
        </Paper>
      </Stack>
    </>
  );
}
