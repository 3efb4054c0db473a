import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  FileInput,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { type EvidenceDetail, jst, workApi } from './api';
import './strings';

const ACTIONS = ['received', 'stored', 'transferred', 'analysed', 'returned', 'disposed'];

/** The case's evidence list with the upload and the register-without-upload forms (mountable on the case page). */
export function EvidencePanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['casework', 'evidence', caseId], queryFn: () => workApi.evidence(caseId) });
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [location, setLocation] = useState('');
  const [itemNumber, setItemNumber] = useState('');
  const [sha256, setSha256] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: ['casework', 'evidence', caseId] });
  const reset = () => {
    setFile(null);
    setTitle('');
    setItemNumber('');
    setSha256('');
  };
  const upload = useMutation({
    mutationFn: () => workApi.upload(caseId, { title, location, ...(itemNumber ? { itemNumber } : {}) }, file as File),
    onSuccess: () => {
      reset();
      void refresh();
    },
  });
  const register = useMutation({
    mutationFn: () => workApi.register(caseId, { title, location, sha256, ...(itemNumber ? { itemNumber } : {}) }),
    onSuccess: () => {
      reset();
      void refresh();
    },
  });
  const items = list.data?.items ?? [];
  return (
    <Stack gap="sm">
      {list.error && <ErrorAlert error={list.error} />}
      {items.length === 0 ? (
        <Text size="sm">{t('casework.noEvidence')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped data-testid="evidence-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('casework.title')}</Table.Th>
                <Table.Th>{t('casework.itemNumber')}</Table.Th>
                <Table.Th>{t('casework.sha256')}</Table.Th>
                <Table.Th>{t('casework.custodyState')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Link to="/cases/$id/evidence/$evidenceId" params={{ id: caseId, evidenceId: e.id }}>
                      {e.title}
                    </Link>
                    {e.parentId && <Text size="xs">{t('casework.derived')}</Text>}
                  </Table.Td>
                  <Table.Td>{e.itemNumber ?? ''}</Table.Td>
                  <Table.Td>
                    <Code>{e.hashes.sha256.slice(0, 16)}…</Code>
                  </Table.Td>
                  <Table.Td>{t(`casework.custodyActions.${e.custodyState}`)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Paper withBorder p="sm">
        <Stack gap="xs">
          {(upload.error ?? register.error) && <ErrorAlert error={upload.error ?? register.error} />}
          <Group grow>
            <TextInput
              label={t('casework.title')}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              required
            />
            <TextInput
              label={t('casework.location')}
              value={location}
              onChange={(e) => setLocation(e.currentTarget.value)}
              required
            />
            <TextInput
              label={t('casework.itemNumber')}
              value={itemNumber}
              onChange={(e) => setItemNumber(e.currentTarget.value)}
            />
          </Group>
          <Group align="flex-end">
            <FileInput label={t('casework.file')} value={file} onChange={setFile} clearable style={{ flex: 1 }} />
            <Button
              onClick={() => upload.mutate()}
              disabled={!file || !title.trim() || !location.trim()}
              loading={upload.isPending}
            >
              {t('casework.upload')}
            </Button>
          </Group>
          <Group align="flex-end">
            <TextInput
              label={t('casework.sha256')}
              value={sha256}
              onChange={(e) => setSha256(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button
              variant="default"
              onClick={() => register.mutate()}
              disabled={sha256.length !== 64 || !title.trim() || !location.trim()}
            >
              {t('casework.register')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

function CustodyForm({ caseId, item }: { caseId: string; item: EvidenceDetail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [action, setAction] = useState<string | null>('stored');
  const [location, setLocation] = useState('');
  const [reason, setReason] = useState('');
  const [counterpart, setCounterpart] = useState('');
  const save = useMutation({
    mutationFn: () =>
      workApi.custody(caseId, item.id, {
        action: action ?? 'stored',
        location,
        reason,
        ...(counterpart ? { counterpart } : {}),
      }),
    onSuccess: () => {
      setLocation('');
      setReason('');
      setCounterpart('');
      void qc.invalidateQueries({ queryKey: ['casework', 'evidence'] });
    },
  });
  return (
    <Paper withBorder p="sm" aria-labelledby="custody-form-title">
      <Title order={3} size="h5" id="custody-form-title" mb="xs">
        {t('casework.recordCustody')}
      </Title>
      {save.error && <ErrorAlert error={save.error} />}
      <Group grow align="flex-end">
        <Select
          label={t('casework.action')}
          data={ACTIONS.map((a) => ({ value: a, label: t(`casework.custodyActions.${a}`) }))}
          value={action}
          onChange={setAction}
          allowDeselect={false}
        />
        <TextInput
          label={t('casework.where')}
          value={location}
          onChange={(e) => setLocation(e.currentTarget.value)}
          required
        />
        <TextInput
          label={t('casework.why')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          required
        />
        <TextInput
          label={t('casework.counterpart')}
          value={counterpart}
          onChange={(e) => setCounterpart(e.currentTarget.value)}
        />
        <Button onClick={() => save.mutate()} disabled={!location.trim() || !reason.trim()} loading={save.isPending}>
          {t('casework.recordCustody')}
        </Button>
      </Group>
    </Paper>
  );
}

/** One evidence item: hashes, where it is, its custody chain with the verification result, download. */
export function EvidenceDetailView({ caseId, evidenceId }: { caseId: string; evidenceId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['casework', 'evidence', caseId, evidenceId],
    queryFn: () => workApi.evidenceItem(caseId, evidenceId),
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  const e = q.data;
  if (!e) return null;
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {e.title}
      </Title>
      <Paper withBorder p="sm">
        <Stack gap={4}>
          {e.itemNumber && <Text size="sm">{`${t('casework.itemNumber')}: ${e.itemNumber}`}</Text>}
          <Text size="sm">{`${t('casework.location')}: ${e.location ?? ''}`}</Text>
          {(['sha256', 'sha1', 'md5'] as const).map((h) =>
            e.hashes[h] ? (
              <Text size="sm" key={h}>
                {`${t(`casework.${h}`)}: `}
                <Code data-testid={`hash-${h}`}>{e.hashes[h]}</Code>
              </Text>
            ) : null,
          )}
          {e.parentId && (
            <Link to="/cases/$id/evidence/$evidenceId" params={{ id: caseId, evidenceId: e.parentId }}>
              {t('casework.parent')}
            </Link>
          )}
          {e.derived.map((d) => (
            <Link key={d.id} to="/cases/$id/evidence/$evidenceId" params={{ id: caseId, evidenceId: d.id }}>
              {`${t('casework.derived')}: ${d.title}`}
            </Link>
          ))}
          {e.downloadable ? (
            <Anchor href={workApi.downloadUrl(caseId, e.id)} size="sm">
              {t('casework.download')}
            </Anchor>
          ) : (
            <Text size="sm">{t('casework.forensicOnly')}</Text>
          )}
        </Stack>
      </Paper>
      <Title order={2} size="h4">
        {t('casework.custody')}
      </Title>
      <Alert color={e.chain.ok ? 'green' : 'red'} data-testid="chain-verdict">
        {e.chain.ok
          ? t('casework.chainOk', { n: e.chain.events })
          : t('casework.chainBad', { seq: e.chain.firstBadSeq ?? '?', reason: e.chain.reason ?? '' })}
      </Alert>
      <Table.ScrollContainer minWidth={700}>
        <Table striped data-testid="custody-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('casework.action')}</Table.Th>
              <Table.Th>{t('casework.at')}</Table.Th>
              <Table.Th>{t('casework.who')}</Table.Th>
              <Table.Th>{t('casework.where')}</Table.Th>
              <Table.Th>{t('casework.why')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {e.custody.map((c) => (
              <Table.Tr key={c.seq}>
                <Table.Td>{c.seq}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`casework.custodyActions.${c.action}`)}</Badge>
                </Table.Td>
                <Table.Td>{jst(c.at)}</Table.Td>
                <Table.Td>{c.actorName}</Table.Td>
                <Table.Td>{c.counterpart ? `${c.location}（${c.counterpart}）` : c.location}</Table.Td>
                <Table.Td>{c.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CustodyForm caseId={caseId} item={e} />
    </Stack>
  );
}
