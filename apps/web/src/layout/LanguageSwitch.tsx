import { Button } from '@mantine/core';
import { IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** Switches between Japanese and English; i18next keeps the choice in localStorage. */
export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const english = i18n.resolvedLanguage === 'en';
  const target = english ? 'ja' : 'en';
  return (
    <Button
      variant="default"
      size="compact-sm"
      lang={target}
      leftSection={<IconLanguage size={16} aria-hidden />}
      onClick={() => void i18n.changeLanguage(target)}
      data-testid="language-switch"
    >
      {english ? '日本語' : 'English'}
    </Button>
  );
}
