import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The Japanese font embedded in every PDF: Noto Sans JP (SIL Open Font License 1.1) from the npm package
 * @expo-google-fonts/noto-sans-jp, TrueType outlines, so nothing depends on the fonts of the machine.
 * pdfkit embeds only the glyphs a document uses (a subset), so a one-page document stays small.
 */
const require = createRequire(import.meta.url);
const PACKAGE = '@expo-google-fonts/noto-sans-jp';

let cache: { regular: Buffer; bold: Buffer } | null = null;

export function japaneseFonts(): { regular: Buffer; bold: Buffer } {
  cache ??= {
    regular: readFileSync(require.resolve(`${PACKAGE}/400Regular/NotoSansJP_400Regular.ttf`)),
    bold: readFileSync(require.resolve(`${PACKAGE}/700Bold/NotoSansJP_700Bold.ttf`)),
  };
  return cache;
}
