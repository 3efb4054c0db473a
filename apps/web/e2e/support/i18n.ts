import { readFileSync } from 'node:fs';

export type Lang = 'ja' | 'en';

type Messages = { [key: string]: string | Messages };

// The tests read the UI's own message files, so a wording change does not break them.
const messages: Record<Lang, Messages> = {
  ja: JSON.parse(readFileSync(new URL('../../src/i18n/ja.json', import.meta.url), 'utf8')) as Messages,
  en: JSON.parse(readFileSync(new URL('../../src/i18n/en.json', import.meta.url), 'utf8')) as Messages,
};

/** The message for a dotted key, e.g. `text('ja', 'auth.login.submit')` → ログイン. */
export function text(lang: Lang, key: string): string {
  let node: string | Messages | undefined = messages[lang];
  for (const part of key.split('.')) {
    node = typeof node === 'object' ? node[part] : undefined;
  }
  if (typeof node !== 'string') throw new Error(`no message ${lang}:${key}`);
  return node;
}

/** A message with `{{name}}` placeholders filled in. */
export function format(lang: Lang, key: string, values: Record<string, string | number>): string {
  return text(lang, key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}
