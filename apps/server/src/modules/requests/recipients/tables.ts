/** Tables of the recipients look-up, notices and captures (migrations 0015_request_recipients, 0017). */
export interface RdapCacheTable {
  /** `<kind>:<query>` (domain, ip, autnum). */
  key: string;
  server: string;
  status: number;
  /** The RDAP JSON answer ('' for a negative answer). */
  body: string;
  fetched_at: string;
  expires_at: string;
}

export interface RequestRecipientAsnTable {
  /** `AS64500` */
  asn: string;
  recipient_id: string;
  created_at: string;
}

export interface RequestRecipientLimitTable {
  recipient_id: string;
  max_per_hour: number;
  updated_at: string;
}

export interface RequestNoticeTable {
  id: string;
  /** RN-YYYYMMDD-XXXXXX: quoted in the notice so replies tie back. */
  reference: string;
  recipient_id: string;
  /** JSON NoticeItem[] */
  items: string;
  item_count: number;
  owner_unit_id: string;
  /** The request drafted from this notice (requests module), once there is one. */
  request_id: string | null;
  created_by: string;
  created_at: string;
}

export interface SiteCaptureTable {
  id: string;
  url: string;
  final_url: string;
  profile: string;
  outcome: string;
  http_status: number | null;
  html_file_id: string | null;
  html_sha256: string | null;
  screenshot_file_id: string | null;
  screenshot_sha256: string | null;
  /** Why there is no screenshot (chromium absent, disabled), or ''. */
  screenshot_note: string;
  owner_unit_id: string;
  request_id: string | null;
  /** The request item this capture is evidence for (migration 0017); its re-check outcomes flow back onto it. */
  request_item_id: string | null;
  /** 1 while the scheduled re-check follows the site. */
  recheck: number;
  last_outcome: string;
  last_checked_at: string;
  /**
   * When the re-check confirmed the site of a taken-down item down (migration 0019): checked daily from then, for
   * 30 days (recheck then cleared); null again when it resurfaces.
   */
  down_at: string | null;
  created_by: string;
  created_at: string;
}

export interface SiteCheckTable {
  id: string;
  capture_id: string;
  at: string;
  outcome: string;
  http_status: number | null;
  sha256: string | null;
  error: string | null;
}

declare module '../../../platform/db/types.ts' {
  interface Database {
    rdap_cache: RdapCacheTable;
    request_recipient_asns: RequestRecipientAsnTable;
    request_recipient_limits: RequestRecipientLimitTable;
    request_notices: RequestNoticeTable;
    site_captures: SiteCaptureTable;
    site_checks: SiteCheckTable;
  }
}
