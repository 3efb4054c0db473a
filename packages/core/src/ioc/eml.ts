import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { extractIocs } from './extract.ts';
import { htmlLinks, htmlToText } from './html.ts';
import type { ExtractJson, IocContext, IocFinding, IocRole, IocType } from './types.ts';
import { toExtractJson } from './extract.ts';

/** Text attachments larger than this are hashed but not scanned. */
const MAX_SCANNED_ATTACHMENT = 2 * 1024 * 1024;
const MAX_DEPTH = 5;
const FORWARD_MARKER =
  /^(?:-{2,}\s*(?:Forwarded message|Original Message|転送メッセージ|元のメッセージ|Forwarded Message)\s*-{2,}|Begin forwarded message:|[>\s]*(?:From|差出人)\s*[:：].*\n[>\s]*(?:Sent|Date|送信日時|日付)\s*[:：])/im;
const PERSONAL: ReadonlySet<IocType> = new Set(['phone', 'email', 'bank_account', 'btc', 'eth', 'xmr']);

export interface EmlExtraction {
  findings: IocFinding[];
  /** True when the outer message forwards another (attached message/rfc822, Fwd: subject or an inline marker). */
  forwarded: boolean;
  subject: string;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  const out: string[] = [];
  const walk = (vals: AddressObject['value']): void => {
    for (const v of vals) {
      if (v.address) out.push(v.address);
      if (v.group) walk(v.group);
    }
  };
  for (const o of list) walk(o.value);
  return out;
}

function headerValues(mail: ParsedMail, key: string): string[] {
  return mail.headerLines
    .filter((h) => h.key === key)
    .map((h) => h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' '));
}

/** Public sender IPs in a Received header's `from` clause (before ` by `); loopback and link-local skipped. */
function receivedFromClause(line: string): string {
  const m = /\bfrom\b([\s\S]*?)(?:\bby\b|;|$)/i.exec(line);
  return m ? m[1]! : '';
}

function isRoutable(ip: string): boolean {
  try {
    const range = ipaddr.process(ip).range();
    return !['loopback', 'unspecified', 'linkLocal', 'broadcast', 'multicast'].includes(range);
  } catch {
    return false;
  }
}

class Collector {
  readonly findings: IocFinding[] = [];
  private readonly seen = new Set<string>();

  add(f: IocFinding): void {
    const c = f.context;
    const key = [f.type, f.value, c.location, c.role, c.header ?? '', c.depth ?? 0].join('\u0000');
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(f);
  }

  text(text: string, context: IocContext, only?: ReadonlySet<IocType>): void {
    for (const f of extractIocs(text, { context })) {
      if (!only || only.has(f.type)) this.add(f);
    }
  }
}

const EMAIL_ONLY: ReadonlySet<IocType> = new Set(['email']);
const IP_ONLY: ReadonlySet<IocType> = new Set(['ipv4', 'ipv6']);
const LINK_TYPES: ReadonlySet<IocType> = new Set(['url', 'domain', 'ipv4', 'ipv6', 'email']);

function isForwarded(mail: ParsedMail): boolean {
  if (mail.attachments.some((a) => a.contentType === 'message/rfc822')) return true;
  if (/^\s*(?:fwd?|転送)\s*[:：]/i.test(mail.subject ?? '')) return true;
  return FORWARD_MARKER.test(mail.text ?? '');
}

async function walk(mail: ParsedMail, depth: number, out: Collector): Promise<void> {
  const forwardedByReporter = depth === 0 && isForwarded(mail);
  const headerRole = (role: IocRole): IocRole => (forwardedByReporter ? 'reporter' : role);
  const h = (header: string, role: IocRole): IocContext => ({
    location: 'header',
    header,
    role: headerRole(role),
    depth,
  });

  for (const a of addresses(mail.from)) out.text(a, h('from', 'sender'), EMAIL_ONLY);
  for (const a of addresses(mail.replyTo)) out.text(a, h('reply-to', 'reply_to'), EMAIL_ONLY);
  for (const v of headerValues(mail, 'return-path')) out.text(v, h('return-path', 'return_path'), EMAIL_ONLY);
  for (const a of [...addresses(mail.to), ...addresses(mail.cc)]) {
    out.text(a, { location: 'header', header: 'to', role: 'recipient', depth }, EMAIL_ONLY);
  }
  for (const v of headerValues(mail, 'received')) {
    for (const f of extractIocs(receivedFromClause(v), { context: h('received', 'relay') })) {
      if (IP_ONLY.has(f.type) && isRoutable(f.value)) out.add(f);
    }
  }
  for (const key of ['x-originating-ip', 'x-sender-ip', 'received-spf']) {
    for (const v of headerValues(mail, key)) {
      const part = key === 'received-spf' ? (/client-ip=([^;\s]+)/i.exec(v)?.[1] ?? '') : v;
      for (const f of extractIocs(part, { context: h(key, 'relay') })) {
        if (IP_ONLY.has(f.type) && isRoutable(f.value)) out.add(f);
      }
    }
  }
  if (mail.subject) out.text(mail.subject, { location: 'header', header: 'subject', role: 'unknown', depth });

  const body = (role: IocRole): IocContext => ({ location: 'body', role, depth });
  const text = mail.text ?? '';
  const marker = forwardedByReporter ? FORWARD_MARKER.exec(text) : null;
  if (marker) {
    // The reporter's own words (and signature) come before the forwarded part.
    const own = text.slice(0, marker.index);
    for (const f of extractIocs(own, { context: body('unknown') })) {
      out.add(
        PERSONAL.has(f.type) && f.context.role === 'unknown'
          ? { ...f, context: { ...f.context, role: 'reporter' } }
          : f,
      );
    }
    out.text(text.slice(marker.index), body('unknown'));
  } else if (text) out.text(text, body('unknown'));

  if (typeof mail.html === 'string') {
    for (const link of htmlLinks(mail.html)) {
      const target = /^mailto:/i.test(link.target)
        ? link.target.slice(7).split('?')[0]!.replace(/[<>]/g, '')
        : link.target;
      out.text(target, { location: 'link_target', role: 'unknown', depth }, LINK_TYPES);
      if (link.text) out.text(link.text, { location: 'link_text', role: 'unknown', depth });
    }
    out.text(htmlToText(mail.html), body('unknown'));
  }

  for (const att of mail.attachments) {
    const content = att.content;
    const filename = att.filename ?? '';
    const ctx: IocContext = { location: 'attachment', role: 'attachment', depth, filename };
    for (const [type, algo] of [
      ['md5', 'md5'],
      ['sha1', 'sha1'],
      ['sha256', 'sha256'],
    ] as const) {
      const value = createHash(algo).update(content).digest('hex');
      out.add({ type, value, display: filename ? `${value} (${filename})` : value, defanged: false, context: ctx });
    }
    if (att.contentType === 'message/rfc822' && depth < MAX_DEPTH) {
      await walk(await simpleParser(content), depth + 1, out);
    } else if (att.contentType.startsWith('text/') && content.length <= MAX_SCANNED_ATTACHMENT) {
      const s = content.toString('utf8');
      out.text(
        att.contentType === 'text/html'
          ? `${htmlToText(s)}\n${htmlLinks(s)
              .map((l) => l.target)
              .join('\n')}`
          : s,
        {
          location: 'attachment',
          role: 'unknown',
          depth,
          filename,
        },
      );
    }
  }
}

/**
 * Indicators in an e-mail (.eml bytes): From, Reply-To, Return-Path, sender IPs from Received (and
 * X-Originating-IP, Received-SPF client-ip), subject, text and HTML bodies (link targets separately from link
 * texts), attachment md5/sha1/sha256 (archives are hashed, not expanded) and attached messages, recursively.
 * In a message the reporter forwards, the outer headers and the text before the forwarded part are marked
 * `reporter`, so that the reporter's own address or phone is not taken for the sender's.
 */
export async function extractEml(raw: Buffer): Promise<EmlExtraction> {
  const mail = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
  const out = new Collector();
  await walk(mail, 0, out);
  return { findings: out.findings, forwarded: isForwarded(mail), subject: mail.subject ?? '' };
}

/** The `extract --eml --json` object; recipients (the victim's own address) are left out. */
export function emlToExtractJson(findings: readonly IocFinding[]): ExtractJson {
  return toExtractJson(findings.filter((f) => f.context.role !== 'recipient'));
}
