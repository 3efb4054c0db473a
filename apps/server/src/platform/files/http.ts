import type { FastifyReply } from 'fastify';
import type { FileStore } from './store.ts';

/** Types a browser may show in place; everything else is downloaded as opaque bytes. */
const INLINE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name (Japanese file names survive). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_') || 'file';
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Sends a file reference's verified plaintext. The caller has already authorised the reader for the record
 * that owns the reference. The type sent is the one detected from the content, never the uploader's claim, and
 * only a few types are shown inline. Every chunk is authenticated before it is written; if the blob turns out
 * to be damaged mid-way, the connection is cut, so the client never receives a complete-looking file.
 */
export async function sendFileRef(
  reply: FastifyReply,
  store: FileStore,
  refId: string,
  options: { download?: boolean } = {},
): Promise<FastifyReply> {
  const { ref, stream } = await store.open(refId);
  const type = ref.detectedType && INLINE_TYPES.has(ref.detectedType) ? ref.detectedType : 'application/octet-stream';
  const inline = !options.download && type !== 'application/octet-stream';
  return reply
    .type(type)
    .header('content-length', String(ref.size))
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', ref.originalName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(stream);
}
