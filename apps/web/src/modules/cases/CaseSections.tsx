import { Alert, Button, Group, NumberInput, Paper, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseDetail, METHODS, casesApi } from './api';
import './strings';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

const errorOf = (m: { isError: boolean; error: unknown }) =>
  m.isError ? <Alert color="red">{String(m.error)}</Alert> : null;

export function MembersSection({ c, isLead, onChange }: { c: CaseDetail; isLead: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [role, setRole] = useState<string | null>('member');
  const add = useMutation({
    mutationFn: () => casesApi.addMember(c.id, login.trim(), role ?? 'member'),
    onSuccess: onChange,
  });
  return (
    <Section title={t('cases.members')}>
      <Table data-testid="case-members">
        <Table.Tbody>
          {c.members.map((m) => (
            <Table.Tr key={m.userId}>
              <Table.Td>{m.name}</Table.Td>
              <Table.Td>
                {t(`cases.roles.${m.role}`)}
                {m.via === 'override' ? ` (${t('cases.override')})` : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {c.supportingUnits.length > 0 && (
        <Text size="sm" mt="xs">
          {t('cases.supportingUnits')}: {c.supportingUnits.map((u) => u.name).join('、')}
        </Text>
      )}
      {isLead && (
        <Group align="flex-end" mt="sm">
          <TextInput label={t('cases.memberUserId')} value={login} onChange={(e) => setLogin(e.currentTarget.value)} />
          <Select
            label={t('cases.memberRole')}
            data={['lead', 'member', 'reader'].map((r) => ({ value: r, label: t(`cases.roles.${r}`) }))}
            value={role}
            onChange={setRole}
            w={140}
          />
          <Button variant="default" onClick={() => add.mutate()} disabled={!login.trim()}>
            {t('cases.add')}
          </Button>
        </Group>
      )}
      {errorOf(add)}
    </Section>
  );
}

export function ObservablesSection({ id, canWrite }: { id: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [value, setValue] = useState('');
  const [role, setRole] = useState<string | null>('suspect');
  const obs = useQuery({ queryKey: ['cases', 'observables', id], queryFn: () => casesApi.observables(id) });
  const add = useMutation({
    mutationFn: () => casesApi.addObservable(id, value.trim(), role ?? 'unknown'),
    onSuccess: () => {
      setValue('');
      return qc.invalidateQueries({ queryKey: ['cases'] });
    },
  });
  return (
    <Section title={t('cases.observables')}>
      <Table data-testid="case-observables">
        <Table.Tbody>
          {(obs.data?.items ?? []).map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>{o.type}</Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>{o.display}</Table.Td>
              <Table.Td>{t(`cases.obsRoles.${o.role}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canWrite && (
        <Group align="flex-end" mt="sm">
          <TextInput
            label={t('cases.observableValue')}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            w={360}
          />
          <Select
            label={t('cases.observableRole')}
            data={['suspect', 'victim', 'unknown'].map((r) => ({ value: r, label: t(`cases.obsRoles.${r}`) }))}
            value={role}
            onChange={setRole}
            w={160}
          />
          <Button variant="default" onClick={() => add.mutate()} disabled={!value.trim()}>
            {t('cases.add')}
          </Button>
        </Group>
      )}
      {errorOf(add)}
    </Section>
  );
}

export function PersonsSection({ c, canWrite, onChange }: { c: CaseDetail; canWrite: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string | null>('suspect');
  const [label, setLabel] = useState('');
  const [name, setName] = useState('');
  const [shown, setShown] = useState<Record<string, string>>({});
  const add = useMutation({
    mutationFn: () => casesApi.addPerson(c.id, { kind, label, ...(name ? { name } : {}) }),
    onSuccess: () => {
      setLabel('');
      setName('');
      onChange();
    },
  });
  const show = useMutation({
    mutationFn: (pid: string) => casesApi.person(c.id, pid),
    onSuccess: (p) => setShown((s) => ({ ...s, [p.id ?? '']: p.name ?? '' })),
  });
  return (
    <Section title={t('cases.persons')}>
      <Table>
        <Table.Tbody>
          {c.persons.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{t(`cases.kinds.${p.kind}`)}</Table.Td>
              <Table.Td>{p.label}</Table.Td>
              <Table.Td>
                {shown[p.id] !== undefined ? (
                  shown[p.id]
                ) : (
                  <Button size="xs" variant="subtle" onClick={() => show.mutate(p.id)}>
                    {t('cases.showPerson')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canWrite && (
        <Group align="flex-end" mt="sm">
          <Select
            label={t('cases.persons')}
            data={['suspect', 'victim', 'witness'].map((k) => ({ value: k, label: t(`cases.kinds.${k}`) }))}
            value={kind}
            onChange={setKind}
            w={120}
          />
          <TextInput label={t('cases.personLabel')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
          <TextInput label={t('cases.personName')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Button variant="default" onClick={() => add.mutate()} disabled={!label.trim()}>
            {t('cases.add')}
          </Button>
        </Group>
      )}
      {errorOf(add)}
    </Section>
  );
}

export function DamagesSection({ c, canWrite, onChange }: { c: CaseDetail; canWrite: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState<number | string>('');
  const [method, setMethod] = useState<string | null>('other');
  const add = useMutation({
    mutationFn: () => casesApi.addDamage(c.id, { amountYen: Number(amount), method: method ?? 'other' }),
    onSuccess: () => {
      setAmount('');
      onChange();
    },
  });
  return (
    <Section title={t('cases.damages')}>
      {c.damages.map((d) => (
        <Text key={d.id}>
          {d.amountYen.toLocaleString('ja-JP')}円 · {t(`cases.methods.${d.method}`)}
        </Text>
      ))}
      {canWrite && (
        <Group align="flex-end" mt="sm">
          <NumberInput label={t('cases.amount')} value={amount} onChange={setAmount} min={0} thousandSeparator="," />
          <Select
            label={t('cases.method')}
            data={METHODS.map((m) => ({ value: m, label: t(`cases.methods.${m}`) }))}
            value={method}
            onChange={setMethod}
            w={240}
          />
          <Button variant="default" onClick={() => add.mutate()} disabled={amount === ''}>
            {t('cases.add')}
          </Button>
        </Group>
      )}
      {errorOf(add)}
    </Section>
  );
}

export function TasksSection({ c, canWrite, onChange }: { c: CaseDetail; canWrite: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [assignee, setAssignee] = useState<string | null>(null);
  const [due, setDue] = useState('');
  const add = useMutation({
    mutationFn: () => casesApi.addTask(c.id, { title, assigneeId: assignee, ...(due ? { dueOn: due } : {}) }),
    onSuccess: () => {
      setTitle('');
      onChange();
    },
  });
  const done = useMutation({ mutationFn: (tid: string) => casesApi.taskDone(c.id, tid), onSuccess: onChange });
  const name = (uid: string | null) => c.members.find((m) => m.userId === uid)?.name ?? '';
  return (
    <Section title={t('cases.tasks')}>
      <Table>
        <Table.Tbody>
          {c.tasks.map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>{k.title}</Table.Td>
              <Table.Td>{name(k.assigneeId)}</Table.Td>
              <Table.Td>{k.dueOn ?? ''}</Table.Td>
              <Table.Td>
                {k.status === 'done' ? (
                  t('cases.done')
                ) : canWrite ? (
                  <Button size="xs" variant="subtle" onClick={() => done.mutate(k.id)}>
                    {t('cases.markDone')}
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canWrite && (
        <Group align="flex-end" mt="sm">
          <TextInput label={t('cases.taskTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <Select
            label={t('cases.assignee')}
            data={c.members.map((m) => ({ value: m.userId, label: m.name }))}
            value={assignee}
            onChange={setAssignee}
            clearable
          />
          <TextInput label={t('cases.due')} type="date" value={due} onChange={(e) => setDue(e.currentTarget.value)} />
          <Button variant="default" onClick={() => add.mutate()} disabled={!title.trim()}>
            {t('cases.add')}
          </Button>
        </Group>
      )}
      {errorOf(add)}
    </Section>
  );
}
