import {
  Button,
  Checkbox,
  FileInput,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconZoomCode } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { detectionApi } from './api';
import { DetectionNav } from './DetectionNav';
import './strings';

export function HuntPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [record, setRecord] = useState(false);
  const hunt = useMutation({
    mutationFn: (f: File) =>
      detectionApi.hunt(f, { file: f.name, ...(name.trim() ? { name: name.trim() } : {}), record }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) hunt.mutate(file);
  };
  const r = hunt.data;
  return (
    <>
      <DetectionNav />
      <PageHeader title={t('detection.huntTitle')} description={t('detection.huntDescription')} />
      <Paper withBorder p="md" component="form" onSubmit={submit}>
        <Stack gap="sm">
          <FileInput label={t('detection.file')} required value={file} onChange={setFile} />
          <TextInput label={t('detection.huntName')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Checkbox
            label={t('detection.record')}
            checked={record}
            onChange={(e) => setRecord(e.currentTarget.checked)}
          />
          <Group>
            <Button type="submit" loading={hunt.isPending} leftSection={<IconZoomCode size={16} aria-hidden />}>
              {t('detection.huntRun')}
            </Button>
          </Group>
          <ErrorAlert error={hunt.error} />
        </Stack>
      </Paper>
      {r && (
        <Paper withBorder p="md" mt="md" aria-live="polite" data-testid="hunt-result">
          <Title order={2} size="h4" mb="sm">
            {t('detection.huntResult')}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 4 }} mb="sm">
            {(
              [
                ['linesRead', r.lines.toLocaleString()],
                ['matches', r.matches.toLocaleString()],
                ['recorded', r.recorded.toLocaleString()],
                ['seconds', r.seconds.toFixed(2)],
              ] as const
            ).map(([k, v]) => (
              <div key={k}>
                <Text size="xs" c="dimmed" fw={700}>
                  {t(`detection.${k}`)}
                </Text>
                <Text size="xl" fw={700} data-testid={`hunt-${k}`}>
                  {v}
                </Text>
              </div>
            ))}
          </SimpleGrid>
          {r.shown.length === 0 && <Text>{t('detection.noMatches')}</Text>}
          {r.truncated && <Text size="sm">{t('detection.truncated', { count: r.shown.length })}</Text>}
          {r.shown.length > 0 && (
            <Table.ScrollContainer minWidth={640} tabIndex={0} aria-label={t('detection.huntResult')}>
              <Table striped data-testid="hunt-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('detection.line')}</Table.Th>
                    <Table.Th>{t('detection.type')}</Table.Th>
                    <Table.Th>{t('detection.indicator')}</Table.Th>
                    <Table.Th>{t('detection.observed')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.shown.map((m) => (
                    <Table.Tr key={`${m.line}-${m.type}-${m.indicator}`}>
                      <Table.Td>{m.line}</Table.Td>
                      <Table.Td>{m.type}</Table.Td>
                      <Table.Td style={{ wordBreak: 'break-all' }}>{m.indicator}</Table.Td>
                      <Table.Td style={{ wordBreak: 'break-all' }}>{m.observed}</Table.Td>
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
