import { Anchor, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { sharingApi } from './api';
import { SharingNav } from './SharingNav';
import './strings';

const PUBLIC = 'public';

export function ExportPage() {
  const { t } = useTranslation();
  const [recipient, setRecipient] = useState<string>(PUBLIC);
  const partners = useQuery({ queryKey: ['sharing', 'partners'], queryFn: () => sharingApi.partners() });
  const partnerId = recipient === PUBLIC ? null : recipient;
  const preview = useQuery({
    queryKey: ['sharing', 'preview', recipient],
    queryFn: () => sharingApi.preview(partnerId),
  });
  const options = [
    { value: PUBLIC, label: t('sharing.public') },
    ...(partners.data?.items ?? []).filter((p) => !p.disabled).map((p) => ({ value: p.id, label: p.name })),
  ];
  const sent = Object.entries(preview.data?.sent ?? {});
  return (
    <>
      <SharingNav />
      <PageHeader title={t('sharing.exportTitle')} description={t('sharing.exportDescription')} />
      <Stack gap="md">
        <Select
          label={t('sharing.recipient')}
          data={options}
          value={recipient}
          allowDeselect={false}
          onChange={(v) => v && setRecipient(v)}
          maw={420}
        />
        <ErrorAlert error={preview.error ?? partners.error} />
        {preview.data && (
          <>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                {t('sharing.sent')}
              </Title>
              <Group gap="lg" data-testid="sent-counts">
                {sent.map(([type, n]) => (
                  <Text key={type}>
                    {type}: {n}
                  </Text>
                ))}
              </Group>
              <Group mt="md">
                <Button component="a" href={sharingApi.downloadUrl('stix', partnerId)} download>
                  {t('sharing.downloadStix')}
                </Button>
                <Anchor href={sharingApi.downloadUrl('phishing-urls', partnerId, 'txt')} download>
                  {t('sharing.downloadTxt')}
                </Anchor>
                <Anchor href={sharingApi.downloadUrl('phishing-urls', partnerId, 'csv')} download>
                  {t('sharing.downloadCsv')}
                </Anchor>
              </Group>
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                {t('sharing.withheldTitle')}
              </Title>
              {preview.data.withheldItems.length === 0 ? (
                <Text>{t('sharing.withheldNone')}</Text>
              ) : (
                <Table.ScrollContainer minWidth={520}>
                  <Table striped aria-label={t('sharing.withheldTitle')}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('sharing.object')}</Table.Th>
                        <Table.Th>{t('sharing.reason')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {preview.data.withheldItems.map((w) => (
                        <Table.Tr key={`${w.type}:${w.id}`}>
                          <Table.Td style={{ wordBreak: 'break-all' }}>{w.label}</Table.Td>
                          <Table.Td>{t(`sharing.reasons.${w.reason}`)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Paper>
          </>
        )}
      </Stack>
    </>
  );
}
