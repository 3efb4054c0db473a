/** Tables of the file store (docs/adr/0006-file-store.md); added to the shared Database type. */
export interface BlobTable {
  id: string;
  /** SHA-256 of the plaintext: the content address used for deduplication. Internal; never leaves the server. */
  sha256: string;
  size: number;
  stored_size: number;
  detected_type: string | null;
  /** The blob's own AES-256 data key, sealed by the master key with the blob id as context. */
  wrapped_key: string;
  ref_count: number;
  created_at: string;
}

export interface FileRefTable {
  id: string;
  blob_id: string;
  owner_type: string;
  owner_id: string;
  original_name: string;
  declared_type: string | null;
  detected_type: string | null;
  size: number;
  created_at: string;
  created_by: string | null;
}

declare module '../db/types.ts' {
  interface Database {
    blobs: BlobTable;
    file_refs: FileRefTable;
  }
}
