import { Alert, Button, Checkbox, Code, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  codes: string[];
  onDone: () => void;
  busy: boolean;
}

function download(codes: string[]) {
  const blob = new Blob([`${codes.join('\r\n')}\r\n`], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = 'renkei-recovery-codes.txt';
  link.click();
  URL.revokeObjectURL(url);
}

/** The recovery codes, shown once after enrolment; the user confirms he saved them. */
export function RecoveryCodes({ codes, onDone, busy }: Props) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  return (
    <Stack gap="md">
      <Alert color="green" variant="light" icon={<IconShieldCheck aria-hidden />} title={t('auth.enrol.doneTitle')}>
        {t('auth.enrol.recoveryIntro')}
      </Alert>
      <section aria-labelledby="recovery-heading">
        <Text id="recovery-heading" fw={700} mb="xs" component="h2" size="md">
          {t('auth.enrol.recoveryHeading')}
        </Text>
        <SimpleGrid cols={2} spacing="xs" data-testid="recovery-codes">
          {codes.map((code) => (
            <Code key={code} fz="md" ta="center" py={4}>
              {code}
            </Code>
          ))}
        </SimpleGrid>
      </section>
      <Group gap="xs">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              size="xs"
              onClick={copy}
              leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
            >
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
        <Button
          variant="default"
          size="xs"
          onClick={() => download(codes)}
          leftSection={<IconDownload size={14} aria-hidden />}
        >
          {t('auth.enrol.downloadCodes')}
        </Button>
      </Group>
      <Text size="sm">{t('auth.enrol.recoveryWarning')}</Text>
      <Checkbox
        label={t('auth.enrol.savedCheckbox')}
        checked={saved}
        onChange={(event) => setSaved(event.currentTarget.checked)}
      />
      <Button onClick={onDone} disabled={!saved} loading={busy} fullWidth>
        {t('auth.enrol.continue')}
      </Button>
    </Stack>
  );
}
