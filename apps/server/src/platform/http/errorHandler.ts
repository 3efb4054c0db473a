import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, AppError, errorMessage } from '../errors.ts';
import type { Platform } from '../context.ts';
import { auditDenial } from './denial.ts';

const DENIAL_STATUSES = new Set([401, 403]);

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  status: number,
  detail?: string,
  extra = {},
) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .send({ error: { code, message: errorMessage(code, request.locale ?? 'ja', detail), ...extra } });
}

/** Every error leaves as `{error:{code,message}}` from the one catalogue; no stack trace ever leaves. */
export function installErrorHandler(app: FastifyInstance, platform: Platform): void {
  app.setErrorHandler(async (err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (DENIAL_STATUSES.has(err.status) && !request.denialAudited && request.url.startsWith('/api/')) {
        await auditDenial(platform, request, err.code);
      }
      return send(reply, request, err.code, err.status, undefined, err.extra);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const first = fe.validation[0];
      const unknown = first?.keyword === 'additionalProperties';
      const path = `${fe.validationContext ?? ''}${first?.instancePath ?? ''}`;
      const field = unknown
        ? String((first?.params as { additionalProperty?: string } | undefined)?.additionalProperty ?? '')
        : path;
      return send(
        reply,
        request,
        unknown ? 'UNKNOWN_FIELD' : 'VALIDATION_FAILED',
        400,
        `${field}: ${first?.message ?? ''}`,
      );
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
        return send(reply, request, 'PAYLOAD_TOO_LARGE', 413);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, request, 'UNSUPPORTED_MEDIA_TYPE', 415);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, request, 'MALFORMED_JSON', 400);
    }
    if (fe.statusCode === 429) return send(reply, request, 'RATE_LIMITED', 429);
    if (err instanceof SyntaxError || (fe.statusCode === 400 && /JSON/i.test(fe.message))) {
      return send(reply, request, 'MALFORMED_JSON', 400);
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return send(reply, request, 'VALIDATION_FAILED', fe.statusCode);
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, request, 'INTERNAL', 500);
  });
}
