import type { AttachmentInfo, MailOutboxTable, RelatedRecord } from '../../platform/mail/types.ts';

export function presentItem(m: MailOutboxTable) {
  return {
    id: m.id,
    from: m.from_addr,
    to: JSON.parse(m.to_addrs) as string[],
    cc: JSON.parse(m.cc_addrs) as string[],
    subject: m.subject,
    status: m.status,
    attempts: m.attempts,
    lastError: m.last_error,
    attachments: JSON.parse(m.attachments) as AttachmentInfo[],
    related: JSON.parse(m.related) as RelatedRecord[],
    createdBy: m.created_by,
    createdAt: m.created_at,
    updatedAt: m.updated_at,
    sentAt: m.sent_at,
  };
}

/**
 * The administrator sees delivery metadata, never the body: a request letter or a reply to a reporter carries
 * case contents, which the admin role may not read (docs/SECURITY.md). The module that wrote a message shows it.
 */
export function presentDetail(m: MailOutboxTable) {
  return {
    ...presentItem(m),
    bodyLength: m.body_text.length + (m.body_html?.length ?? 0),
    jobId: m.job_id,
    smtpMessageId: m.smtp_message_id,
  };
}
