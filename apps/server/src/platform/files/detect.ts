import { fileTypeFromBuffer } from 'file-type';

/**
 * How many leading bytes are kept for magic-byte detection. file-type reads container formats (ZIP-based
 * Office files, for instance) a little way in; 64 KiB covers its detectors in practice. Beyond it a file is
 * reported by its outer container type, or not at all.
 */
export const SNIFF_BYTES = 64 * 1024;

/** The MIME type told by the content's magic bytes (file-type 21), or null when it is not recognised (plain text too). */
export async function detectType(sample: Buffer): Promise<string | null> {
  if (sample.length === 0) return null;
  const found = await fileTypeFromBuffer(sample);
  return found?.mime ?? null;
}
