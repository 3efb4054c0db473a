import { type CSSVariablesResolver, createTheme } from '@mantine/core';

// Japanese fonts first so kana and kanji do not fall back to a random face; IPAGothic is what CI has.
const fontFamily =
  '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", "Yu Gothic UI", Meiryo, "IPAGothic", "IPAPGothic", system-ui, sans-serif';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 8 keeps white text on filled buttons above WCAG AA contrast.
  primaryShade: { light: 8, dark: 6 },
  fontFamily,
  headings: { fontFamily },
  defaultRadius: 'sm',
  cursorType: 'pointer',
});

// Mantine's defaults for dimmed and error text are a little too light for AA contrast on white.
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
  },
  dark: {},
});
