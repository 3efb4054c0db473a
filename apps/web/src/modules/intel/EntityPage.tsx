import { Anchor, Badge, Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useIntelAbilities } from './abilities';
import { intelApi } from './api';
import { EntityForm } from './EntitiesPage';
import { IntelNav } from './IntelNav';
import { TlpBadge } from './TlpBadge';
import { placeHref, roleColor } from './links';
import '../outbox/strings';
import './strings';

function LinkObservable({ entityId }: { entityId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const link = useMutation({
    mutationFn: async () => {
      const found = await intelApi.lookup(value.trim());
      return intelApi.linkObservable(entityId, found.observable.id, reason.trim());
    },
    onSuccess: () => {
      notifications.show({
        color: 'teal',
        message: t('intel.linked'),
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      setValue('');
      void queryClient.invalidateQueries({ queryKey: ['intel', 'entity', entityId] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim() && reason.trim()) link.mutate();
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit}>
      <Title order={2} size="h5" mb="xs">
        {t('intel.linkObservable')}
      </Title>
      <Group align="flex-end" gap="xs">
        <TextInput
          style={{ flex: 2, minWidth: 200 }}
          label={t('intel.linkValue')}
          required
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
        />
        <TextInput
          style={{ flex: 1, minWidth: 160 }}
          label={t('intel.reason')}
          required
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <Button type="submit" loading={link.isPending}>
          {t('intel.link')}
        </Button>
      </Group>
      <ErrorAlert error={link.error} />
    </Paper>
  );
}

export function EntityPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/app/intel/entities/$id' });
  const can = useIntelAbilities();
  const me = useMe();
  const navigate = useNavigate();
  const [opened, { open, close }] = useDisclosure(false);
  const query = useQuery({ queryKey: ['intel', 'entity', id], queryFn: () => intelApi.entity(id) });
  const e = query.data;
  return (
    <>
      <IntelNav />
      <ErrorAlert error={query.error} />
      {e && (
        <Stack gap="md">
          <PageHeader
            title={`${t(`intel.kinds.${e.kind}`)}: ${e.name}`}
            description={e.aliases.join('、') || undefined}
            actions={
              <Group gap="xs">
                {e.kind === 'campaign' && me?.abilities.writeRequests && (
                  <Button
                    variant="default"
                    onClick={() => navigate({ to: '/requests/takedowns/new', search: { campaignId: e.id } })}
                  >
                    {t('intel.takedowns')}
                  </Button>
                )}
                {can.write && <Button onClick={open}>{t('intel.edit')}</Button>}
              </Group>
            }
          />
          <Modal
            opened={opened}
            onClose={close}
            title={t('intel.edit')}
            closeButtonProps={{ 'aria-label': t('outbox.close') }}
          >
            <EntityForm entity={e} onDone={close} />
          </Modal>
          <Group gap="xs">
            <TlpBadge tlp={e.tlp} />
          </Group>
          {e.description && <Text style={{ whiteSpace: 'pre-wrap' }}>{e.description}</Text>}
          {can.write && <LinkObservable entityId={e.id} />}
          <section aria-labelledby="entity-observables">
            <Title order={2} size="h4" id="entity-observables" mb="xs">
              {t('intel.observables')}
            </Title>
            <Table.ScrollContainer minWidth={420} tabIndex={0} aria-label={t('intel.observables')}>
              <Table striped withTableBorder>
                <Table.Tbody>
                  {e.observables.map((o) => (
                    <Table.Tr key={o.id}>
                      <Table.Td style={{ wordBreak: 'break-all' }}>
                        <Anchor component={Link} to={`/intel/observables/${o.id}`}>
                          {o.display}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={roleColor[o.role] ?? 'gray'} variant="light">
                          {t(`intel.roles.${o.role}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{o.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </section>
          <section aria-labelledby="entity-links">
            <Title order={2} size="h4" id="entity-links" mb="xs">
              {t('intel.links')}
            </Title>
            {e.links.length === 0 ? (
              <Text c="dimmed">{t('intel.none')}</Text>
            ) : (
              <Stack gap={4}>
                {e.links.map((l) => {
                  const href = placeHref(l.placeType, l.placeId);
                  return (
                    <Text key={`${l.placeType}:${l.placeId}`} size="sm">
                      {l.placeTypeLabel}: {href ? <Anchor href={href}>{l.placeId}</Anchor> : l.placeId} — {l.reason}
                    </Text>
                  );
                })}
              </Stack>
            )}
          </section>
        </Stack>
      )}
    </>
  );
}
