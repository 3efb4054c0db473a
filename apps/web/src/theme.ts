import { type CSSVariablesResolver, createTheme, darken } from '@mantine/core';

// Japanese fonts first so kana and kanji do not fall back to a random face; IPA fonts are what CI has.
const fontFamily =
  '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", "Yu Gothic UI", Meiryo, "IPAPGothic", "IPAGothic", system-ui, sans-serif';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 8 keeps white text on filled buttons above WCAG AA contrast.
  primaryShade: { light: 8, dark: 6 },
  fontFamily,
  headings: { fontFamily },
  defaultRadius: 'sm',
  cursorType: 'pointer',
});

// Mantine's light scheme puts shade-9 text on shade-1 backgrounds ("light" badges, alerts, active nav links),
// and its dimmed and error text are grey-6 and red-6: several of those fall below AA contrast (4.5:1).
export const cssVariablesResolver: CSSVariablesResolver = (current) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
  };
  for (const [name, shades] of Object.entries(current.colors)) {
    light[`--mantine-color-${name}-light-color`] = darken(shades[9], 0.3);
  }
  return { variables: {}, light, dark: {} };
};
