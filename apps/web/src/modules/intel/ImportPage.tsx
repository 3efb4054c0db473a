import {
  Button,
  FileInput,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { type ImportOptions, intelApi, TLPS, type Tlp } from './api';
import { IntelNav } from './IntelNav';
import './strings';

type Format = ImportOptions['format'];

function guessFormat(name: string): Format {
  const n = name.toLowerCase().replace(/\.gz$/, '');
  if (n.endsWith('.csv')) return 'csv';
  if (n.endsWith('.jsonl') || n.endsWith('.ndjson') || n.endsWith('.json')) return 'jsonl';
  return 'txt';
}

export function ImportPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>('txt');
  const [source, setSource] = useState('');
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [valueColumn, setValueColumn] = useState('value');
  const [typeColumn, setTypeColumn] = useState('');
  const upload = useMutation({
    mutationFn: (f: File) =>
      intelApi.importFile(f, {
        source: source.trim(),
        format,
        tlp,
        ...(format === 'csv' ? { valueColumn: valueColumn.trim() || 'value' } : {}),
        ...(format === 'csv' && typeColumn.trim() ? { typeColumn: typeColumn.trim() } : {}),
      }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file && source.trim()) upload.mutate(file);
  };
  const result = upload.data;
  return (
    <>
      <IntelNav />
      <PageHeader title={t('intel.importTitle')} description={t('intel.importDescription')} />
      <Paper withBorder p="md" component="form" onSubmit={submit}>
        <Stack gap="sm">
          <FileInput
            label={t('intel.file')}
            required
            value={file}
            accept=".txt,.csv,.jsonl,.ndjson,.json,.gz,text/plain,text/csv,application/gzip"
            onChange={(f) => {
              setFile(f);
              if (f) {
                setFormat(guessFormat(f.name));
                if (!source) setSource(f.name.replace(/(\.gz)?$/, '').replace(/\.[a-z]+$/i, ''));
              }
            }}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('intel.format')}
              data={(['txt', 'csv', 'jsonl'] as const).map((f) => ({ value: f, label: t(`intel.formats.${f}`) }))}
              value={format}
              allowDeselect={false}
              onChange={(v) => v && setFormat(v as Format)}
            />
            <TextInput
              label={t('intel.sourceName')}
              required
              value={source}
              onChange={(e) => setSource(e.currentTarget.value)}
            />
            <Select
              label={t('intel.tlpDefault')}
              data={TLPS.map((x) => ({ value: x, label: `TLP:${x.toUpperCase()}` }))}
              value={tlp}
              allowDeselect={false}
              onChange={(v) => v && setTlp(v as Tlp)}
            />
          </SimpleGrid>
          {format === 'csv' && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('intel.valueColumn')}
                value={valueColumn}
                onChange={(e) => setValueColumn(e.currentTarget.value)}
              />
              <TextInput
                label={t('intel.typeColumn')}
                value={typeColumn}
                onChange={(e) => setTypeColumn(e.currentTarget.value)}
              />
            </SimpleGrid>
          )}
          <Group>
            <Button type="submit" loading={upload.isPending} leftSection={<IconUpload size={16} aria-hidden />}>
              {t('intel.upload')}
            </Button>
          </Group>
          <ErrorAlert error={upload.error} />
        </Stack>
      </Paper>
      {result && (
        <Paper withBorder p="md" mt="md" aria-live="polite" data-testid="import-result">
          <Title order={2} size="h4" mb="sm">
            {t('intel.importResult')}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            {(
              [
                ['lines', result.lines],
                ['accepted', result.accepted],
                ['badLines', result.badLines],
                ['newObservables', result.newObservables],
                ['newOccurrences', result.newOccurrences],
              ] as const
            ).map(([key, n]) => (
              <div key={key}>
                <Text size="xs" c="dimmed" fw={700}>
                  {t(`intel.${key}`)}
                </Text>
                <Text size="xl" fw={700} data-testid={`import-${key}`}>
                  {n.toLocaleString()}
                </Text>
              </div>
            ))}
          </SimpleGrid>
          {result.bad.length > 0 && (
            <Table.ScrollContainer minWidth={320} mt="sm" tabIndex={0} aria-label={t('intel.badLines')}>
              <Table withTableBorder striped data-testid="import-bad">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('intel.line')}</Table.Th>
                    <Table.Th>{t('intel.badReason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {result.bad.map((b) => (
                    <Table.Tr key={b.line}>
                      <Table.Td>{b.line}</Table.Td>
                      <Table.Td>{b.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
      )}
    </>
  );
}
