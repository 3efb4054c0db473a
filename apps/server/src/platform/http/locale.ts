/** Japanese first; English when the client prefers it (Accept-Language or the UI's X-Renkei-Locale). */
export function pickLocale(headers: Record<string, string | string[] | undefined>): 'ja' | 'en' {
  const explicit = headers['x-renkei-locale'];
  if (explicit === 'en' || explicit === 'ja') return explicit;
  const accept = headers['accept-language'];
  const first = (Array.isArray(accept) ? accept[0] : accept)?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ja';
}
