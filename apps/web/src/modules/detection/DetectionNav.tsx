import { Button, Group } from '@mantine/core';
import { IconRss, IconZoomCode } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useDetectionAbilities } from './abilities';
import './strings';

export function DetectionNav() {
  const { t } = useTranslation();
  const can = useDetectionAbilities();
  return (
    <Group gap="xs" mb="sm" component="nav" aria-label={t('detection.nav')}>
      <Button
        component={Link}
        to="/detection"
        variant="subtle"
        size="compact-sm"
        leftSection={<IconRss size={16} aria-hidden />}
      >
        {t('detection.toFeeds')}
      </Button>
      {can.hunt && (
        <Button
          component={Link}
          to="/detection/hunt"
          variant="subtle"
          size="compact-sm"
          leftSection={<IconZoomCode size={16} aria-hidden />}
        >
          {t('detection.toHunt')}
        </Button>
      )}
    </Group>
  );
}
