import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { verifyAuditChain } from '../../platform/audit/verify.ts';
import { pageLimit } from '../../platform/db/cursor.ts';
import { AppError } from '../../platform/errors.ts';
import type { RenkeiModule } from '../../platform/module.ts';
import { csvLine } from './csv.ts';
import { type AuditFilter, presentAudit, selectAudit } from './repo.ts';
import * as schema from './schema.ts';

const tags = ['audit'];
const HEADER = [
  'seq',
  'at',
  'actor_login',
  'actor_id',
  'actor_unit_id',
  'action',
  'target_type',
  'target_id',
  'result',
  'client_ip',
  'details',
  'hash',
];

function cursorOf(raw: string | undefined): number | null {
  if (!raw) return null;
  if (!/^[0-9]{1,15}$/.test(raw)) throw new AppError('INVALID_CURSOR');
  return Number(raw);
}

/** The auditor's view of the hash-chained log: filters, keyset pages, CSV, chain verification. */
export const auditModule: RenkeiModule = {
  name: 'audit',
  prefix: 'audit',
  routes: async (app, { platform: p }) => {
    const config = { action: 'audit.read' };
    app.get(
      '/',
      {
        config,
        schema: {
          tags,
          querystring: schema.AuditQuery,
          response: {
            200: Type.Object({
              items: Type.Array(schema.AuditRecord),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const q = request.query as AuditFilter & { cursor?: string; limit?: string };
        const limit = pageLimit(q.limit, 100, 1000);
        const rows = await selectAudit(p.db.db, q, cursorOf(q.cursor), limit + 1).execute();
        const page = rows.slice(0, limit).map(presentAudit);
        const last = page.at(-1);
        return { items: page, nextCursor: rows.length > limit && last ? String(last.seq) : null };
      },
    );

    app.get('/export.csv', { config, schema: { tags, querystring: schema.AuditQuery } }, async (request, reply) => {
      const q = request.query as AuditFilter;
      const db = p.db.db;
      // Streams page by page so that a year of records never sits in memory.
      async function* lines() {
        yield `\uFEFF${csvLine(HEADER)}`;
        let before: number | null = null;
        for (;;) {
          const rows = await selectAudit(db, q, before, 1000).execute();
          for (const r of rows) {
            yield csvLine([
              r.seq,
              r.at,
              r.actor_login,
              r.actor_id,
              r.actor_unit_id,
              r.action,
              r.target_type,
              r.target_id,
              r.result,
              r.client_ip,
              r.details,
              r.hash,
            ]);
          }
          if (rows.length < 1000) return;
          before = Number(rows.at(-1)!.seq);
        }
      }
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="renkei-audit.csv"')
        .header('cache-control', 'no-store');
      return reply.send(Readable.from(lines()));
    });

    app.get('/verify', { config, schema: { tags, response: { 200: schema.VerifyReply } } }, async () =>
      verifyAuditChain(p.db.db),
    );
  },
};
