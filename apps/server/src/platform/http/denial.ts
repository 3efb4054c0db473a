import type { FastifyRequest } from 'fastify';
import type { Platform } from '../context.ts';

/**
 * Writes a refused attempt to the audit log (統一基準 7.1.4 g), in its own transaction since the request
 * changes nothing. Failure to audit is logged, never turned into a different answer.
 */
export async function auditDenial(platform: Platform, request: FastifyRequest, code: string): Promise<void> {
  request.denialAudited = true;
  const s = request.subject;
  try {
    await platform.db.db.transaction().execute((trx) =>
      platform.audit.record(trx, {
        actor: s ? { id: s.userId, login: s.login, unitId: s.unitId } : null,
        action: 'access.denied',
        target: { type: 'route', id: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}` },
        result: 'denied',
        clientIp: request.ip,
        details: { code, via: s?.via ?? null },
      }),
    );
  } catch (err) {
    request.log.error({ err }, 'could not audit a refused request');
  }
}
