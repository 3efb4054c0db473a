import type { Kysely } from 'kysely';
import type { Engine } from '../connect.ts';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_jobs_mail.ts';
import * as m0003 from './0003_files.ts';
import * as m0004 from './0004_documents.ts';
import * as m0005 from './0005_intel.ts';
import * as m0006 from './0006_intake.ts';
import * as m0007 from './0007_intel_performance.ts';
import * as m0008 from './0008_cases.ts';
import * as m0009 from './0009_case_work.ts';
import * as m0010 from './0010_sharing.ts';
import * as m0011 from './0011_detection.ts';
import * as m0012 from './0012_taxii.ts';
import * as m0013 from './0013_requests.ts';
import * as m0015 from './0015_request_recipients.ts';
import * as m0016 from './0016_case_search.ts';
import * as m0017 from './0017_request_takedowns.ts';
import * as m0018 from './0018_request_capture_queue.ts';
import * as m0019 from './0019_request_watch.ts';
import * as m0020 from './0020_drop_detection_expiry_index.ts';

export interface RenkeiMigration {
  up(db: Kysely<unknown>, engine: Engine): Promise<void>;
}

/**
 * Every migration in order. Names are sortable and never change once landed; add new ones at the end
 * (platform services and modules each add their own file here).
 */
export const migrations: Record<string, RenkeiMigration> = {
  '0001_platform': m0001,
  '0002_jobs_mail': m0002,
  '0003_files': m0003,
  '0004_documents': m0004,
  '0005_intel': m0005,
  '0006_intake': m0006,
  '0007_intel_performance': m0007,
  '0008_cases': m0008,
  '0009_case_work': m0009,
  '0010_sharing': m0010,
  '0011_detection': m0011,
  '0012_taxii': m0012,
  '0013_requests': m0013,
  '0015_request_recipients': m0015,
  '0016_case_search': m0016,
  '0017_request_takedowns': m0017,
  '0018_request_capture_queue': m0018,
  '0019_request_watch': m0019,
  '0020_drop_detection_expiry_index': m0020,
};
