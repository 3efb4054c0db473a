import { Badge, Button, Checkbox, Group, Modal, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PARTNER_KINDS, type PartnerKind, sharingApi, TLP_CEILINGS, type TlpCeiling } from './api';
import { SharingNav } from './SharingNav';
import './strings';

function PartnerForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<PartnerKind>('vendor');
  const [tlpMax, setTlpMax] = useState<TlpCeiling>('green');
  const [official, setOfficial] = useState(false);
  const [agreement, setAgreement] = useState('');
  const [contact, setContact] = useState('');
  const [email, setEmail] = useState('');
  const save = useMutation({
    mutationFn: () =>
      sharingApi.createPartner({
        name: name.trim(),
        kind,
        tlpMax,
        official,
        agreement,
        contacts: contact.trim() ? [{ name: contact.trim(), ...(email.trim() ? { email: email.trim() } : {}) }] : [],
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['sharing', 'partners'] });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput label={t('sharing.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select
          label={t('sharing.kind')}
          data={PARTNER_KINDS.map((k) => ({ value: k, label: t(`sharing.kinds.${k}`) }))}
          value={kind}
          allowDeselect={false}
          onChange={(v) => {
            if (!v) return;
            setKind(v as PartnerKind);
            setOfficial(v === 'npa' || v === 'prefecture');
          }}
        />
        <Select
          label={t('sharing.tlpMax')}
          data={TLP_CEILINGS.map((x) => ({ value: x, label: `TLP:${x.toUpperCase()}` }))}
          value={tlpMax}
          allowDeselect={false}
          onChange={(v) => v && setTlpMax(v as TlpCeiling)}
        />
        <Checkbox
          label={t('sharing.official')}
          checked={official}
          disabled={!['npa', 'prefecture', 'jc3'].includes(kind)}
          onChange={(e) => setOfficial(e.currentTarget.checked)}
        />
        <TextInput
          label={t('sharing.agreement')}
          value={agreement}
          onChange={(e) => setAgreement(e.currentTarget.value)}
        />
        <TextInput label={t('sharing.contact')} value={contact} onChange={(e) => setContact(e.currentTarget.value)} />
        <TextInput
          label={t('sharing.contactEmail')}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('sharing.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function PartnersPage() {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const list = useQuery({ queryKey: ['sharing', 'partners'], queryFn: () => sharingApi.partners() });
  return (
    <>
      <SharingNav />
      <PageHeader
        title={t('sharing.partnersTitle')}
        description={t('sharing.partnersDescription')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
            {t('sharing.addPartner')}
          </Button>
        }
      />
      <ErrorAlert error={list.error} />
      <Paper withBorder p="md">
        {list.data && list.data.items.length === 0 && <Text>{t('sharing.none')}</Text>}
        {list.data && list.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={640}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sharing.name')}</Table.Th>
                  <Table.Th>{t('sharing.kind')}</Table.Th>
                  <Table.Th>{t('sharing.tlpMax')}</Table.Th>
                  <Table.Th>{t('sharing.agreement')}</Table.Th>
                  <Table.Th>{t('sharing.machine')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Group gap="xs">
                        <Text>{p.name}</Text>
                        {p.official && <Badge variant="light">{t('sharing.officialYes')}</Badge>}
                        {p.disabled && <Badge color="gray">{t('sharing.disabled')}</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td>{t(`sharing.kinds.${p.kind}`)}</Table.Td>
                    <Table.Td>TLP:{p.tlpMax.toUpperCase()}</Table.Td>
                    <Table.Td>{p.agreement}</Table.Td>
                    <Table.Td>{p.hasMachineAccount ? t('sharing.machineYes') : t('sharing.machineNo')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Modal
        opened={opened}
        onClose={close}
        title={t('sharing.addPartner')}
        closeButtonProps={{ 'aria-label': '閉じる' }}
      >
        <PartnerForm onDone={close} />
      </Modal>
    </>
  );
}
