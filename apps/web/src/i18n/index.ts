import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { ApiError, setApiLocale } from '../api/client';
import en from './en.json';
import ja from './ja.json';

export const LANGUAGE_STORAGE_KEY = 'renkei.language';
export const languages = ['ja', 'en'] as const;
export type Language = (typeof languages)[number];

// Japanese unless the user chose English in the header: only localStorage is consulted, never the browser.
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    supportedLngs: languages,
    fallbackLng: 'ja',
    nonExplicitSupportedLngs: false,
    interpolation: { escapeValue: false },
    detection: {
      order: ['localStorage'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
    },
    returnNull: false,
  });

function syncDocumentLanguage(language: string): void {
  const lang = language.startsWith('en') ? 'en' : 'ja';
  document.documentElement.lang = lang;
  setApiLocale(lang);
}
syncDocumentLanguage(i18n.resolvedLanguage ?? 'ja');
i18n.on('languageChanged', syncDocumentLanguage);

export function currentLanguage(): Language {
  return i18n.resolvedLanguage === 'en' ? 'en' : 'ja';
}

/** The server's message for an error, translated through its stable code when we know the code. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (i18n.exists(key)) return i18n.t(key, { seconds: error.retryAfterSeconds ?? '' });
    return error.message || i18n.t('errors.UNKNOWN');
  }
  return i18n.t('errors.UNKNOWN');
}

export default i18n;
