import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Health } from './api';

// Dark shades so that white text keeps a contrast ratio above 4.5:1 (WCAG AA).
const COLOURS: Record<Health, string> = {
  ok: '#1b5e20',
  failing: '#b71c1c',
  stale: '#7a4100',
  never: '#495057',
  disabled: '#495057',
};

export function HealthBadge({ health }: { health: Health }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[health]} variant="filled" autoContrast data-testid="feed-health">
      {t(`detection.healths.${health}`)}
    </Badge>
  );
}
