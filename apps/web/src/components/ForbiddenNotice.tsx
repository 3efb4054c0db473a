import { Alert, Anchor, Stack, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

/** What a user sees on a page his abilities do not allow (the server refuses the data as well). */
export function ForbiddenNotice() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t('forbidden.title')}</Title>
      <Alert color="red" variant="light" icon={<IconLock aria-hidden />} role="alert" data-testid="forbidden">
        {t('forbidden.body')}
      </Alert>
      <Anchor component={Link} to="/">
        {t('common.backHome')}
      </Anchor>
    </Stack>
  );
}
