import { Anchor, Group } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import './strings';

export function SharingNav() {
  const { t } = useTranslation();
  return (
    <Group gap="md" mb="sm" component="nav" aria-label={t('sharing.nav')}>
      <Anchor component={Link} to="/sharing">
        {t('sharing.toPartners')}
      </Anchor>
      <Anchor component={Link} to="/sharing/export">
        {t('sharing.toExport')}
      </Anchor>
    </Group>
  );
}
