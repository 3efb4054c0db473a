/** Table types of the detection module (migration 0011_detection). */
export interface DetectionFeedTable {
  id: string;
  name: string;
  url: string;
  /** txt | csv | jsonl (STIX and MISP feeds come with issue 9's library). */
  format: string;
  /** JSON text: CSV column mapping, e.g. {"value":"url","type":"kind"}. */
  columns: string;
  /** The intel source (place) the indicators are recorded at. */
  source: string;
  tlp: string;
  /** Admiralty source reliability A–F, or null when not assessed. */
  reliability: string | null;
  interval_minutes: number;
  enabled: number;
  etag: string | null;
  last_modified: string | null;
  next_run_at: string;
  last_checked_at: string | null;
  last_success_at: string | null;
  /** When the content last changed (a 200 with data), i.e. when its indicators were last seen. */
  last_changed_at: string | null;
  last_outcome: string | null;
  last_error: string | null;
  consecutive_failures: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DetectionFeedRunTable {
  id: string;
  feed_id: string;
  started_at: string;
  finished_at: string;
  /** changed | not_modified | error */
  outcome: string;
  http_status: number | null;
  error: string | null;
  bytes: number;
  lines: number;
  accepted: number;
  bad_lines: number;
  new_observables: number;
}

export interface DetectionHuntTable {
  id: string;
  name: string;
  unit_id: string | null;
  created_by: string | null;
  created_at: string;
  lines: number;
  matches: number;
  recorded: number;
}

export interface DetectionRetentionTable {
  type: string;
  /** Days after expiry when an indicator seen only in feeds is purged; null: never. */
  purge_after_days: number | null;
  updated_by: string | null;
  updated_at: string;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    detection_feeds: DetectionFeedTable;
    detection_feed_runs: DetectionFeedRunTable;
    detection_hunts: DetectionHuntTable;
    detection_retention: DetectionRetentionTable;
  }
}

declare module '../../platform/jobs/types.ts' {
  interface DomainEvents {
    /** Collect one configured feed now (published by the feed scheduler or "collect now"). */
    'detection.feed.collect': { feedId: string };
  }
}
