import { Alert, Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { type SourceObservable, requestsApi } from './api';
import './strings';

export type SourceKind = 'campaign' | 'case';

/**
 * Where a request's items come from: a campaign's or a case's observables, loaded by id (the drafting page and the
 * takedown batch page share it). Reports the loaded observables and the source; says so when there are none.
 */
export function SourceLoader(props: {
  initialKind: SourceKind;
  initialId: string;
  onLoaded: (items: SourceObservable[], source: { kind: SourceKind; id: string }) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<SourceKind>(props.initialKind);
  const [id, setId] = useState(props.initialId);
  const load = useMutation({
    mutationFn: () => requestsApi.loadSource(kind, id.trim()),
    onSuccess: (items) => props.onLoaded(items, { kind, id: id.trim() }),
  });
  const error = load.error instanceof ApiError ? load.error : null;
  return (
    <>
      <Group align="flex-end">
        <Select
          label={t('requests.source')}
          data={(['campaign', 'case'] as const).map((v) => ({ value: v, label: t(`requests.sourceKind.${v}`) }))}
          value={kind}
          onChange={(v) => setKind((v as SourceKind | null) ?? 'campaign')}
          allowDeselect={false}
          w={160}
        />
        <TextInput label={t('requests.sourceId')} value={id} onChange={(e) => setId(e.currentTarget.value)} w={360} />
        <Button variant="default" onClick={() => load.mutate()} disabled={!id.trim()} loading={load.isPending}>
          {t('requests.load')}
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert" title={t('requests.loadFailed')}>
          {error.message}
        </Alert>
      )}
      {load.isSuccess && load.data.length === 0 && <Text c="dimmed">{t('requests.noSource')}</Text>}
    </>
  );
}
