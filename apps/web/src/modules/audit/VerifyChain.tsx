import { Alert, Button, Group } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { auditApi } from './api';

/** Asks the server to recompute the hash chain and shows the first broken record, if any. */
export function VerifyChain() {
  const { t } = useTranslation();
  const verify = useMutation({ mutationFn: auditApi.verify });
  const result = verify.data;
  return (
    <>
      <Group>
        <Button
          variant="default"
          leftSection={<IconShieldCheck size={16} aria-hidden />}
          loading={verify.isPending}
          onClick={() => verify.mutate()}
        >
          {t('audit.verify')}
        </Button>
      </Group>
      <ErrorAlert error={verify.error} />
      {result && (
        <Alert
          role="status"
          data-testid="verify-result"
          color={result.ok ? 'teal' : 'red'}
          variant="light"
          icon={result.ok ? <IconShieldCheck aria-hidden /> : <IconShieldX aria-hidden />}
          title={t(result.ok ? 'audit.verifyOk' : 'audit.verifyBroken')}
        >
          {result.ok || !result.firstBad
            ? t('audit.verifyChecked', { count: result.checked })
            : t('audit.verifyFirstBad', { seq: result.firstBad.seq, reason: result.firstBad.reason })}
        </Alert>
      )}
    </>
  );
}
