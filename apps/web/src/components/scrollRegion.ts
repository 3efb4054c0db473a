import type { ScrollAreaProps } from '@mantine/core';

/**
 * Props for the scroll area around a wide table: on a phone it scrolls sideways, so keyboard users must be able
 * to focus it (WCAG 2.1.1; axe scrollable-region-focusable), and a focusable region needs a name.
 */
export function scrollRegion(label: string): ScrollAreaProps {
  return { viewportProps: { tabIndex: 0, role: 'region', 'aria-label': label } };
}
