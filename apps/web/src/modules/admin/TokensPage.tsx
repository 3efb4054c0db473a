import { Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconBan, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import { PageHeader } from '../../components/PageHeader';
import { RequireAbility } from '../../components/RequireAbility';
import { scrollRegion } from '../../components/scrollRegion';
import { formatDateTime } from '../../format';
import { type ApiToken, adminApi } from './api';
import { CreateTokenForm } from './CreateTokenForm';

function TokenState({ token }: { token: ApiToken }) {
  const { t } = useTranslation();
  if (token.revokedAt)
    return (
      <Badge color="gray" variant="light">
        {t('admin.tokens.revoked')}
      </Badge>
    );
  if (token.expiresAt && token.expiresAt < new Date().toISOString()) {
    return (
      <Badge color="orange" variant="light">
        {t('admin.tokens.expired')}
      </Badge>
    );
  }
  return (
    <Badge color="teal" variant="light">
      {t('admin.tokens.active')}
    </Badge>
  );
}

function TokensContent() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['admin', 'tokens'], queryFn: () => adminApi.tokens() });
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => adminApi.revokeToken(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'tokens'] }),
  });
  const close = () => {
    setCreating(false);
    setSecret(null);
  };

  return (
    <>
      <PageHeader
        title={t('admin.tokens.title')}
        description={t('admin.tokens.description')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            {t('admin.tokens.create')}
          </Button>
        }
      />
      <Stack gap="sm">
        <ErrorAlert error={tokens.error ?? revoke.error} />
        <DataTable<ApiToken>
          withTableBorder
          striped
          minHeight={(tokens.data?.items.length ?? 0) === 0 ? 160 : undefined}
          records={tokens.data?.items ?? []}
          fetching={tokens.isFetching}
          noRecordsText={t('common.noRecords')}
          aria-label={t('admin.tokens.title')}
          scrollAreaProps={scrollRegion(t('admin.tokens.title'))}
          columns={[
            { accessor: 'name', title: t('admin.tokens.name') },
            { accessor: 'userLogin', title: t('admin.tokens.user') },
            {
              accessor: 'prefix',
              title: t('admin.tokens.prefix'),
              render: (token) => (
                <Text size="sm" ff="monospace">
                  {token.prefix}…
                </Text>
              ),
            },
            { accessor: 'state', title: t('admin.tokens.state'), render: (token) => <TokenState token={token} /> },
            { accessor: 'createdAt', title: t('admin.tokens.createdAt'), render: (x) => formatDateTime(x.createdAt) },
            { accessor: 'expiresAt', title: t('admin.tokens.expiresAt'), render: (x) => formatDateTime(x.expiresAt) },
            {
              accessor: 'lastUsedAt',
              title: t('admin.tokens.lastUsedAt'),
              render: (x) => formatDateTime(x.lastUsedAt),
            },
            {
              accessor: 'actions',
              title: t('common.actions'),
              textAlign: 'right',
              render: (token) =>
                !token.revokedAt && (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    leftSection={<IconBan size={14} aria-hidden />}
                    aria-label={`${t('admin.tokens.revoke')}: ${token.name}`}
                    loading={revoke.isPending && revoke.variables === token.id}
                    onClick={() => window.confirm(t('admin.tokens.confirmRevoke')) && revoke.mutate(token.id)}
                  >
                    {t('admin.tokens.revoke')}
                  </Button>
                ),
            },
          ]}
        />
      </Stack>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={creating}
        onClose={close}
        title={t('admin.tokens.create')}
      >
        {secret ? (
          <Stack>
            <OneTimeSecret label={t('admin.tokens.secret')} value={secret} testId="token-secret" />
            <Group justify="flex-end">
              <Button onClick={close}>{t('common.done')}</Button>
            </Group>
          </Stack>
        ) : (
          creating && <CreateTokenForm onCreated={setSecret} />
        )}
      </Modal>
    </>
  );
}

export function TokensPage() {
  return (
    <RequireAbility ability="manageTokens">
      <TokensContent />
    </RequireAbility>
  );
}
