import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Platform } from '../context.ts';
import { GENESIS_HASH } from './canonical.ts';
import { verifyAuditChain } from './verify.ts';

export interface ArchiveResult {
  rows: number;
  fromSeq: number;
  uptoSeq: number;
  uptoHash: string;
  sha256: string;
  file: string;
}

/**
 * The only way to retire audit rows: verify the whole chain, export every record older than `before` to a
 * JSON-lines file (with the hash the segment starts from), record a checkpoint, then delete exactly those
 * rows — which the database guard allows only at or below a checkpoint. The chain continues from it.
 */
export async function archiveAudit(p: Platform, before: Date, file: string): Promise<ArchiveResult | null> {
  const check = await verifyAuditChain(p.db.db);
  if (!check.ok)
    throw new Error(`the audit chain is broken at record ${check.firstBad?.seq}: ${check.firstBad?.reason}`);
  const db = p.db.db;
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('at', '<', before.toISOString())
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) return null;
  const first = await db
    .selectFrom('audit_log')
    .select(['seq', 'prev_hash'])
    .orderBy('seq')
    .limit(1)
    .executeTakeFirstOrThrow();
  const uptoSeq = Number(last.seq);
  const tmp = `${file}.partial`;
  const out = createWriteStream(tmp, { flags: 'wx' });
  const hash = createHash('sha256');
  const write = async (line: string) => {
    hash.update(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  let rows = 0;
  try {
    await write(
      `${JSON.stringify({ format: 'renkei-audit-archive/1', fromSeq: Number(first.seq), uptoSeq, startsAfterHash: first.prev_hash ?? GENESIS_HASH, uptoHash: last.hash })}\n`,
    );
    let after = Number(first.seq) - 1;
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
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('audit_checkpoints')
      .values({
        upto_seq: uptoSeq,
        upto_hash: last.hash,
        row_count: rows,
        archive_sha256: sha256,
        archive_name: file.split('/').at(-1) ?? file,
        created_at: p.clock.now().toISOString(),
        created_by: null,
      })
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
  return { rows, fromSeq: Number(first.seq), uptoSeq, uptoHash: last.hash, sha256, file };
}
