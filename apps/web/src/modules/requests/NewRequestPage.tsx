import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { type SourceObservable, requestsApi } from './api';
import { SourceLoader } from './SourceLoader';
import './strings';

/**
 * Drafts a request: type, recipient, the type's own fields, and the items — picked from a campaign's or a case's
 * observables, typed in, or (for a freeze request) a bank account checked against the 全銀 codes.
 */
export function NewRequestPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as { campaignId?: string; caseId?: string };
  const types = useQuery({ queryKey: ['requests', 'types'], queryFn: requestsApi.types });
  const recipients = useQuery({ queryKey: ['requests', 'recipients'], queryFn: requestsApi.recipients });
  const [typeCode, setTypeCode] = useState<string | null>(null);
  const [recipientId, setRecipientId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [sourceKind, setSourceKind] = useState<'campaign' | 'case'>(search.caseId ? 'case' : 'campaign');
  const [sourceId, setSourceId] = useState(search.caseId ?? search.campaignId ?? '');
  const [source, setSource] = useState<SourceObservable[]>([]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [manual, setManual] = useState('');
  const [acct, setAcct] = useState({ bankCode: '', branchCode: '', accountType: 'futsu', number: '', holderKana: '' });
  const [periodDays, setPeriodDays] = useState<number | string>(30);
  const type = types.data?.items.find((x) => x.code === typeCode);
  const isAccount = type?.rules.itemKind === 'account';
  const bank = useQuery({
    queryKey: ['requests', 'bank', acct.bankCode],
    queryFn: () => requestsApi.bank(acct.bankCode),
    enabled: /^[0-9]{4}$/.test(acct.bankCode),
    retry: false,
  });
  const branchName = bank.data?.branches.find((b) => b.code === acct.branchCode)?.name;
  const create = useMutation({
    mutationFn: () => {
      const items = isAccount
        ? [{ kind: 'bank_account', account: acct }]
        : [
            ...[...picked].map((id) => ({ kind: source.find((o) => o.id === id)?.type ?? 'url', observableId: id })),
            ...manual
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean)
              .map((value) => ({ kind: 'other', value })),
          ];
      const typed: Record<string, string | number> = {};
      for (const f of type?.fields ?? []) {
        const v = fields[f.key];
        if (v !== undefined && v !== '') typed[f.key] = f.kind === 'number' ? Number(v) : v;
      }
      return requestsApi.create({
        typeCode,
        recipientId,
        title,
        fields: typed,
        items,
        ...(sourceKind === 'case' && sourceId ? { caseId: sourceId.trim() } : {}),
        ...(sourceKind === 'campaign' && sourceId ? { campaignId: sourceId.trim() } : {}),
        ...(type?.rules.preservationDays ? { periodDays: Number(periodDays) } : {}),
      });
    },
    onSuccess: (r) => navigate({ to: '/requests/$id', params: { id: r.id } }),
  });
  const recipientsForType = (recipients.data?.items ?? []).filter((r) => !type || type.recipientKinds.includes(r.kind));
  const error = create.error instanceof ApiError ? create.error : null;
  return (
    <Stack gap="md">
      <PageHeader title={t('requests.newTitle')} />
      <Paper withBorder p="md">
        <Stack>
          <Group grow>
            <Select
              label={t('requests.type')}
              data={(types.data?.items ?? []).map((x) => ({ value: x.code, label: x.name }))}
              value={typeCode}
              onChange={(v) => {
                setTypeCode(v);
                setFields({});
              }}
              required
            />
            <Select
              label={t('requests.recipient')}
              data={recipientsForType.map((x) => ({ value: x.id, label: x.name }))}
              value={recipientId}
              onChange={setRecipientId}
              searchable
              required
            />
          </Group>
          <TextInput
            label={t('requests.title')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            required
          />
          {type && (
            <Text size="sm" c="dimmed">
              {type.legalBasis}
            </Text>
          )}
          {typeCode === 'takedown' && (
            <Text size="sm">
              <Link to="/requests/takedowns/new" search={sourceId ? { [`${sourceKind}Id`]: sourceId } : {}}>
                {t('requests.takedownBatchHint')}
              </Link>
            </Text>
          )}
          {type?.fields.map((f) =>
            f.kind === 'select' ? (
              <Select
                key={f.key}
                label={f.label}
                data={f.options ?? []}
                value={fields[f.key] ?? null}
                onChange={(v) => setFields({ ...fields, [f.key]: v ?? '' })}
                required={f.required}
              />
            ) : (
              <TextInput
                key={f.key}
                label={f.label}
                type={f.kind === 'date' ? 'date' : f.kind === 'number' ? 'number' : 'text'}
                value={fields[f.key] ?? ''}
                onChange={(e) => setFields({ ...fields, [f.key]: e.currentTarget.value })}
                required={f.required}
              />
            ),
          )}
          {type?.rules.preservationDays && (
            <NumberInput
              label={t('requests.periodDays')}
              value={periodDays}
              onChange={setPeriodDays}
              min={1}
              max={30}
            />
          )}
        </Stack>
      </Paper>
      {isAccount ? (
        <Paper withBorder p="md">
          <Stack>
            <Text fw={600}>{t('requests.account')}</Text>
            <Group grow>
              <TextInput
                label={t('requests.bankCode')}
                value={acct.bankCode}
                onChange={(e) => setAcct({ ...acct, bankCode: e.currentTarget.value })}
                description={bank.data?.name ?? ''}
              />
              <TextInput
                label={t('requests.branchCode')}
                value={acct.branchCode}
                onChange={(e) => setAcct({ ...acct, branchCode: e.currentTarget.value })}
                description={branchName ?? ''}
              />
              <Select
                label={t('requests.accountType')}
                data={['futsu', 'toza'].map((v) => ({ value: v, label: t(`requests.accountTypes.${v}`) }))}
                value={acct.accountType}
                onChange={(v) => setAcct({ ...acct, accountType: v ?? 'futsu' })}
              />
            </Group>
            <Group grow>
              <TextInput
                label={t('requests.accountNumber')}
                value={acct.number}
                onChange={(e) => setAcct({ ...acct, number: e.currentTarget.value })}
              />
              <TextInput
                label={t('requests.holderKana')}
                value={acct.holderKana}
                onChange={(e) => setAcct({ ...acct, holderKana: e.currentTarget.value })}
              />
            </Group>
          </Stack>
        </Paper>
      ) : (
        <Paper withBorder p="md">
          <Stack>
            <SourceLoader
              initialKind={sourceKind}
              initialId={sourceId}
              onLoaded={(items, src) => {
                setSource(items);
                setPicked(new Set());
                setSourceKind(src.kind);
                setSourceId(src.id);
              }}
            />
            {source.length > 0 && (
              <Stack gap={4} aria-label={t('requests.pick')}>
                {source.map((o) => (
                  <Checkbox
                    key={o.id}
                    label={`${o.type}: ${o.display}`}
                    checked={picked.has(o.id)}
                    onChange={(e) => {
                      const next = new Set(picked);
                      if (e.currentTarget.checked) next.add(o.id);
                      else next.delete(o.id);
                      setPicked(next);
                    }}
                  />
                ))}
              </Stack>
            )}
            <Textarea
              label={t('requests.manualItems')}
              value={manual}
              onChange={(e) => setManual(e.currentTarget.value)}
              autosize
              minRows={2}
            />
          </Stack>
        </Paper>
      )}
      {error && (
        <Alert color="red" role="alert" title={error.code}>
          {error.message}
        </Alert>
      )}
      <Group>
        <Button
          onClick={() => create.mutate()}
          loading={create.isPending}
          disabled={!typeCode || !recipientId || !title}
        >
          {t('requests.create')}
        </Button>
      </Group>
    </Stack>
  );
}
