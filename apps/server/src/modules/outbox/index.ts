import { hasRole } from '../../platform/auth/subject.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../platform/db/cursor.ts';
import { AppError } from '../../platform/errors.ts';
import { ensureMailJobs, retryMail } from '../../platform/mail/outbox.ts';
import type { MailStatus } from '../../platform/mail/types.ts';
import type { RenkeiModule } from '../../platform/module.ts';
import { presentDetail, presentItem } from './presenter.ts';
import { findMessage, listOutbox } from './repo.ts';
import * as schema from './schema.ts';

const tags = ['outbox'];

/**
 * The mail outbox for administrators: every outgoing message with its status, and 再送 (retry) of
 * failed or held ones. Messages are queued by the modules through platform/mail.
 */
export const outboxModule: RenkeiModule = {
  name: 'outbox',
  prefix: 'admin/outbox',
  rules: {
    'outbox.read': (s) => hasRole(s, 'admin'),
    'outbox.retry': (s) => hasRole(s, 'admin'),
  },
  routes: async (app, { platform: p }) => {
    // The process that serves the API also delivers mail when its job runner is started.
    ensureMailJobs(p);

    app.get(
      '/',
      {
        config: { action: 'outbox.read' },
        schema: { tags, querystring: schema.OutboxQuery, response: { 200: schema.OutboxPage } },
      },
      async (request) => {
        const q = request.query as { status?: MailStatus; cursor?: string; limit?: string };
        const limit = pageLimit(q.limit, 50, 200);
        const after = decodeCursor<[string, string]>(q.cursor, 2);
        const rows = await listOutbox(p.db.db, { status: q.status }, after, limit + 1);
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map(presentItem),
          nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
        };
      },
    );

    app.get(
      '/:id',
      {
        config: { action: 'outbox.read' },
        schema: { tags, params: schema.IdParams, response: { 200: schema.OutboxDetail } },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const m = await findMessage(p.db.db, id);
        if (!m) throw new AppError('NOT_FOUND');
        return presentDetail(m);
      },
    );

    app.post(
      '/:id/retry',
      {
        config: { action: 'outbox.retry' },
        schema: { tags, params: schema.IdParams, response: { 200: schema.OutboxDetail } },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const s = request.subject!;
        const m = await retryMail(p, id, { id: s.userId, login: s.login, unitId: s.unitId }, request.ip);
        return presentDetail(m);
      },
    );
  },
};
