import type { IocType } from './types.ts';

/** A value found by a scanner, with its span in the scanned (normalised, refanged) text. */
export interface Hit {
  type: IocType;
  value: string;
  display: string;
  start: number;
  end: number;
  defanged: boolean;
}

export function hit(type: IocType, value: string, start: number, end: number, defanged: boolean, display = value): Hit {
  return { type, value, display, start, end, defanged };
}
