import { Anchor, Group } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import './strings';

export function TaxiiNav() {
  const { t } = useTranslation();
  return (
    <Group gap="md" mb="sm" component="nav" aria-label={t('taxii.nav')}>
      <Anchor component={Link} to="/sharing/taxii">
        {t('taxii.toCollections')}
      </Anchor>
      <Anchor component={Link} to="/sharing/taxii/subscriptions">
        {t('taxii.toSubscriptions')}
      </Anchor>
    </Group>
  );
}
