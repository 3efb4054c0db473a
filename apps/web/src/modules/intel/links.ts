/** Where a linked record opens in the web app; null when its page does not exist (yet). */
export function placeHref(type: string, id: string): string | null {
  if (type === 'report') return `/intake/reports/${id}`;
  if (type === 'entity') return `/intel/entities/${id}`;
  return null;
}

export const roleColor: Record<string, string> = { suspect: 'red', victim: 'blue', unknown: 'gray' };
