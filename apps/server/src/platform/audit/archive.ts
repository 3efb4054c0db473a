import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Platform } from '../context.ts';
import { verifyAuditChain } from './verify.ts';

export interface ArchiveResult {
  rows: number;
  uptoSeq: number;
  lanes: number;
  sha256: string;
  file: string;
}

/**
 * The only way to retire audit rows: verify every chain, export every record older than `before` to a JSON-lines
 * file, record one checkpoint per lane (the hash its chain continues from), then delete exactly those rows —
 * which the database guard allows only at or below a checkpoint.
 */
export async function archiveAudit(p: Platform, before: Date, file: string): Promise<ArchiveResult | null> {
  const check = await verifyAuditChain(p.db.db);
  if (!check.ok)
    throw new Error(`the audit chain is broken at record ${check.firstBad?.seq}: ${check.firstBad?.reason}`);
  const db = p.db.db;
  const last = await db
    .selectFrom('audit_log')
    .select('seq')
    .where('at', '<', before.toISOString())
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) return null;
  const uptoSeq = Number(last.seq);
  // Per lane, the records up to uptoSeq are a prefix of its chain (seq grows with lane_seq inside a lane).
  const heads = await db
    .selectFrom('audit_log')
    .select(['lane', (eb) => eb.fn.max('lane_seq').as('upto_lane_seq')])
    .where('seq', '<=', uptoSeq)
    .groupBy('lane')
    .execute();
  const checkpoints: { lane: number; upto_lane_seq: number; upto_hash: string }[] = [];
  for (const h of heads) {
    const row = await db
      .selectFrom('audit_log')
      .select('hash')
      .where('lane', '=', h.lane)
      .where('lane_seq', '=', Number(h.upto_lane_seq))
      .executeTakeFirstOrThrow();
    checkpoints.push({ lane: Number(h.lane), upto_lane_seq: Number(h.upto_lane_seq), upto_hash: row.hash });
  }

  const tmp = `${file}.partial`;
  const out = createWriteStream(tmp, { flags: 'wx' });
  const hash = createHash('sha256');
  const write = async (line: string) => {
    hash.update(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  let rows = 0;
  try {
    await write(`${JSON.stringify({ format: 'renkei-audit-archive/2', uptoSeq, checkpoints })}\n`);
    let after = 0;
    for (;;) {
      const page = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', after)
        .where('seq', '<=', uptoSeq)
        .orderBy('seq')
        .limit(2000)
        .execute();
      for (const r of page) await write(`${JSON.stringify(r)}\n`);
      rows += page.length;
      if (page.length < 2000) break;
      after = Number(page.at(-1)!.seq);
    }
    out.end();
    await once(out, 'finish');
    await rename(tmp, file);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
  const sha256 = hash.digest('hex');
  const now = p.clock.now().toISOString();
  const name = file.split('/').at(-1) ?? file;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('audit_checkpoints')
      .values(
        checkpoints.map((c) => ({
          ...c,
          upto_seq: uptoSeq,
          row_count: rows,
          archive_sha256: sha256,
          archive_name: name,
          created_at: now,
          created_by: null,
        })),
      )
      .execute();
    await trx.deleteFrom('audit_log').where('seq', '<=', uptoSeq).execute();
    await p.audit.record(trx, {
      actor: null,
      action: 'audit.archive',
      target: { type: 'audit_checkpoint', id: String(uptoSeq) },
      result: 'success',
      details: { rows, uptoSeq, sha256 },
    });
  });
  return { rows, uptoSeq, lanes: checkpoints.length, sha256, file };
}
