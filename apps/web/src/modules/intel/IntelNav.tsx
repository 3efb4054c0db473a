import { Button, Group } from '@mantine/core';
import { IconChartDots3, IconSearch, IconUpload } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useIntelAbilities } from './abilities';
import './strings';

/** The module's own sub-navigation (look-up, campaigns, import), shown at the top of its pages. */
export function IntelNav() {
  const { t } = useTranslation();
  const can = useIntelAbilities();
  return (
    <Group gap="xs" mb="sm" component="nav" aria-label={t('intel.nav')}>
      <Button
        component={Link}
        to="/intel"
        variant="subtle"
        size="compact-sm"
        leftSection={<IconSearch size={16} aria-hidden />}
      >
        {t('intel.toSearch')}
      </Button>
      <Button
        component={Link}
        to="/intel/entities"
        variant="subtle"
        size="compact-sm"
        leftSection={<IconChartDots3 size={16} aria-hidden />}
      >
        {t('intel.toEntities')}
      </Button>
      {can.import && (
        <Button
          component={Link}
          to="/intel/import"
          variant="subtle"
          size="compact-sm"
          leftSection={<IconUpload size={16} aria-hidden />}
        >
          {t('intel.toImport')}
        </Button>
      )}
    </Group>
  );
}
