import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

interface Props {
  label: string;
  value: string;
  testId?: string;
}

/** A password or token the server returns once and never again. */
export function OneTimeSecret({ label, value, testId }: Props) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" variant="light" icon={<IconKey aria-hidden />} title={label}>
      <Stack gap="xs">
        <Code block fz="md" data-testid={testId} style={{ wordBreak: 'break-all', userSelect: 'all' }}>
          {value}
        </Code>
        <Group justify="space-between" wrap="wrap">
          <Text size="sm">{t('common.shownOnce')}</Text>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button
                size="xs"
                variant="default"
                onClick={copy}
                leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
              >
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}
