/** Table types of TAXII 2.1 (migration 0012_taxii). */
import type { Generated } from 'kysely';

export interface TaxiiCollectionTable {
  id: string;
  api_root: string;
  title: string;
  description: string;
  alias: string | null;
  /** The last `added_us` handed out in this collection (strictly increasing, see objects.ts). */
  last_added_us: number;
  published_at: string | null;
  created_by: string | null;
  created_at: string;
}

export interface TaxiiGrantTable {
  collection_id: string;
  partner_id: string;
  can_read: number;
  can_write: number;
  granted_by: string | null;
  granted_at: string;
}

export interface TaxiiObjectTable {
  seq: Generated<number>;
  collection_id: string;
  /** A partner id (built for that partner through the egress policy) or '*' (posted by a partner). */
  audience: string;
  stix_id: string;
  type: string;
  version: string;
  /** `version` as microseconds since the epoch, for ordering and matching. */
  version_us: number;
  spec_version: string;
  date_added: string;
  added_us: number;
  tlp: string;
  confidentiality: number;
  posted_by: string | null;
  run_id: string | null;
  body: string;
}

export interface TaxiiStatusTable {
  id: string;
  api_root: string;
  partner_id: string;
  status: string;
  request_timestamp: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  /** JSON `{successes, failures, pendings}` as status-details arrays. */
  details: string;
}

export interface TaxiiSubscriptionTable {
  id: string;
  name: string;
  partner_id: string | null;
  api_root_url: string;
  collection_id: string;
  token_enc: string;
  direction: 'pull' | 'push';
  added_after: string | null;
  pushed_until: string | null;
  last_run_at: string | null;
  last_ok_at: string | null;
  last_error: string | null;
  objects_total: number;
  disabled_at: string | null;
  created_by: string | null;
  created_at: string;
}

declare module '../../../platform/db/types.ts' {
  interface Database {
    taxii_collections: TaxiiCollectionTable;
    taxii_grants: TaxiiGrantTable;
    taxii_objects: TaxiiObjectTable;
    taxii_status: TaxiiStatusTable;
    taxii_subscriptions: TaxiiSubscriptionTable;
  }
}
