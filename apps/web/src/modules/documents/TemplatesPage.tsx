import { Button, Group, Modal, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { csrfHeader } from '../intel/csrf';
import '../outbox/strings';

interface Marking {
  confidentiality: 1 | 2 | 3;
  handling: string[];
}
interface TemplateSummary {
  id: string;
  code: string;
  name: string;
  description: string;
  version: number;
  updatedAt: string;
}
interface Template extends TemplateSummary {
  body: string;
  marking: Marking;
  sampleData: Record<string, unknown>;
}

const base = '/api/admin/document-templates';

async function previewPdf(draft: {
  name: string;
  body: string;
  marking: Marking;
  sampleData: Record<string, unknown>;
}): Promise<Blob> {
  const response = await fetch(`${base}/preview`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/pdf', ...(await csrfHeader()) },
    body: JSON.stringify(draft),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    throw new ApiError(response.status, body.error?.code ?? `HTTP_${response.status}`, body.error?.message ?? '');
  }
  return response.blob();
}

/** The shared client has no PUT; the template save is the only one, so it is sent here. */
async function putJson<T>(path: string, data: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'PUT',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(await csrfHeader()) },
    body: JSON.stringify(data),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!response.ok) {
    throw new ApiError(response.status, body.error?.code ?? `HTTP_${response.status}`, body.error?.message ?? '');
  }
  return body as T;
}

function Editor({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const template = useQuery({ queryKey: ['documents', id], queryFn: () => api.get<Template>(`${base}/${id}`) });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [body, setBody] = useState('');
  const [sample, setSample] = useState('{}');
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);
  const d = template.data;
  useEffect(() => {
    if (!d) return;
    setName(d.name);
    setDescription(d.description);
    setBody(d.body);
    setSample(JSON.stringify(d.sampleData, null, 2));
  }, [d]);
  useEffect(() => () => void (pdfUrl && URL.revokeObjectURL(pdfUrl)), [pdfUrl]);
  let sampleData: Record<string, unknown> | null = null;
  try {
    const parsed = JSON.parse(sample) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) sampleData = parsed as Record<string, unknown>;
  } catch {
    sampleData = null;
  }
  const preview = useMutation({
    mutationFn: () =>
      previewPdf({
        name,
        body,
        marking: d?.marking ?? { confidentiality: 2, handling: [] },
        sampleData: sampleData ?? {},
      }),
    onSuccess: (blob) => setPdfUrl(URL.createObjectURL(blob)),
  });
  const save = useMutation({
    mutationFn: () =>
      putJson<Template>(`${base}/${id}`, {
        name,
        description,
        body,
        marking: d?.marking,
        sampleData: sampleData ?? {},
        version: d?.version,
      }),
    onSuccess: () => {
      notifications.show({
        color: 'teal',
        message: t('documents.saved'),
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
      onClose();
    },
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={`${t('documents.edit')}: ${d?.name ?? ''}`}
      size="xl"
      closeButtonProps={{ 'aria-label': t('outbox.close') }}
    >
      <ErrorAlert error={template.error ?? save.error ?? preview.error} />
      {d && (
        <Stack gap="sm">
          <TextInput
            label={t('documents.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <TextInput
            label={t('documents.templateDescription')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Textarea
            label={t('documents.body')}
            autosize
            minRows={10}
            maxRows={24}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace', fontSize: 13 } }}
            spellCheck={false}
          />
          <Textarea
            label={t('documents.sampleData')}
            autosize
            minRows={3}
            maxRows={10}
            value={sample}
            onChange={(e) => setSample(e.currentTarget.value)}
            error={sampleData ? undefined : t('documents.badJson')}
            styles={{ input: { fontFamily: 'monospace', fontSize: 13 } }}
            spellCheck={false}
          />
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => preview.mutate()}
              loading={preview.isPending}
              disabled={!sampleData}
            >
              {t('documents.preview')}
            </Button>
            <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!sampleData || !name}>
              {t('documents.save')}
            </Button>
          </Group>
          {pdfUrl && (
            <Stack gap={4}>
              <Group justify="space-between">
                <Text fw={700}>{t('documents.previewTitle')}</Text>
                <Button component="a" href={pdfUrl} download={`${name}.pdf`} variant="subtle" size="compact-sm">
                  {t('documents.download')}
                </Button>
              </Group>
              <iframe
                title={t('documents.previewTitle')}
                src={pdfUrl}
                data-testid="template-preview"
                style={{ width: '100%', height: '60vh', border: '1px solid var(--mantine-color-gray-4)' }}
              />
            </Stack>
          )}
        </Stack>
      )}
    </Modal>
  );
}

export function TemplatesPage() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['documents', 'list'],
    queryFn: () => api.get<{ items: TemplateSummary[] }>(base),
  });
  return (
    <>
      <PageHeader title={t('documents.title')} description={t('documents.description')} />
      <ErrorAlert error={list.error} />
      <Table.ScrollContainer minWidth={480} tabIndex={0} aria-label={t('documents.title')}>
        <Table striped withTableBorder data-testid="templates-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('documents.name')}</Table.Th>
              <Table.Th>{t('documents.code')}</Table.Th>
              <Table.Th>{t('documents.version')}</Table.Th>
              <Table.Th>{t('documents.updatedAt')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data?.items ?? []).map((tpl) => (
              <Table.Tr key={tpl.id}>
                <Table.Td>
                  {tpl.name}
                  {tpl.description && (
                    <Text size="xs" c="dimmed">
                      {tpl.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{tpl.code}</Table.Td>
                <Table.Td>{tpl.version}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(tpl.updatedAt)}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => setOpen(tpl.id)}
                    aria-label={`${t('documents.edit')}: ${tpl.name}`}
                  >
                    {t('documents.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {open && <Editor id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
