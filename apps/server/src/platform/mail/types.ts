export type MailStatus = 'queued' | 'sent' | 'failed' | 'held';

export interface MailOutboxTable {
  id: string;
  from_addr: string;
  /** JSON array of addresses. */
  to_addrs: string;
  cc_addrs: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  /** JSON array of attachment metadata ({filename, contentType, size, sha256}), in order; bytes live in mail_attachments. */
  attachments: string;
  /** JSON array of {type, id}: the records the message is about. */
  related: string;
  status: MailStatus;
  /** Delivery attempts made so far. */
  attempts: number;
  last_error: string | null;
  /** The job that sends (or last tried to send) the message. */
  job_id: string | null;
  smtp_message_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export interface MailAttachmentTable {
  id: string;
  message_id: string;
  position: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  /** Inline bytes (base64) until the file store exists; exactly one of content_base64 and file_id is set. */
  content_base64: string | null;
  /** A file-store id (platform/files), for when attachments come from there. */
  file_id: string | null;
}

declare module '../db/types.ts' {
  interface Database {
    mail_outbox: MailOutboxTable;
    mail_attachments: MailAttachmentTable;
  }
}

export interface RelatedRecord {
  type: string;
  id: string;
}

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** One message to queue. */
export interface OutgoingMail {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: OutgoingAttachment[];
  related?: RelatedRecord[];
}

export interface AttachmentInfo {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}
