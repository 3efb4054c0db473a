/** The observable types of `renkei extract --json`, in output order (INTERFACES.md). */
export const IOC_TYPES = [
  'url',
  'domain',
  'ipv4',
  'ipv6',
  'email',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'ssdeep',
  'cve',
  'btc',
  'eth',
  'xmr',
  'phone',
  'bank_account',
  'asn',
  'tlp',
] as const;

export type IocType = (typeof IOC_TYPES)[number];

/** Where a value was found. `link_target` is an HTML href; `link_text` the text shown for a link. */
export type IocLocation = 'text' | 'header' | 'body' | 'link_target' | 'link_text' | 'attachment';

/**
 * A hint for later modules on whose value this is. `reporter` marks the person who sent or forwarded the report
 * (their own address, signature phone number…); `victim` a value the text says belongs to the person harmed;
 * `suspect` one the text ties to the other side (振込先, 送信元…); header roles name the header they came from.
 */
export type IocRole =
  | 'unknown'
  | 'reporter'
  | 'victim'
  | 'suspect'
  | 'sender'
  | 'reply_to'
  | 'return_path'
  | 'recipient'
  | 'relay'
  | 'attachment';

export interface IocContext {
  location: IocLocation;
  role: IocRole;
  /** Header name (lower-case) for `header`, e.g. `received`, `reply-to`. */
  header?: string;
  /** 0 for the outer message; 1 for a message/rfc822 part inside it, and so on. */
  depth?: number;
  /** Attachment file name, for `attachment`. */
  filename?: string;
  /** A few characters around the value in the normalised text, for display. */
  snippet?: string;
}

export interface IocFinding {
  type: IocType;
  /** Canonical form: the key for de-duplication and correlation. */
  value: string;
  /** Human form, e.g. the Unicode spelling of an IDN or a bank account with names. */
  display: string;
  /** True when the text had it defanged (hxxp, [.], (at)…). */
  defanged: boolean;
  context: IocContext;
}

/** The JSON object of `renkei extract --json`: sorted unique canonical values per type. */
export type ExtractJson = Partial<Record<IocType, string[]>>;
