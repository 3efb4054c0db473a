import type { Platform } from '../context.ts';
import { TableJobQueue } from './tableQueue.ts';
import type { JobQueue } from './types.ts';

export { TableJobQueue, backoffDelay } from './tableQueue.ts';
export type * from './types.ts';

const queues = new WeakMap<Platform, TableJobQueue>();

/**
 * The job queue of a platform, made on first use (one per process). Modules register their handlers
 * when they load; `server.ts` starts it after listening and stops it on close. The same table runner
 * serves both engines (docs/adr/0005-jobs.md).
 */
export function jobsOf(platform: Platform): JobQueue & { runnerId: string } {
  let q = queues.get(platform);
  if (!q) {
    q = new TableJobQueue({ db: platform.db, clock: platform.clock, log: platform.log.child({ component: 'jobs' }) });
    queues.set(platform, q);
  }
  return q;
}
