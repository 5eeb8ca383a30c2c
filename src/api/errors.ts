import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DataPulseError, type ErrorDetail, statusOf } from '../core/errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
}

function send(reply: FastifyReply, status: number, code: string, message: string, details?: ErrorDetail[]) {
  const body: ErrorBody = { error: { code, message, ...(details?.length ? { details } : {}) } };
  return reply.status(status).type('application/json').send(body);
}

/** Maps every error to the contract's JSON body; unknown errors become a generic 500, logged with cause. */
export function errorHandler(
  err: FastifyError | DataPulseError | Error,
  req: FastifyRequest,
  reply: FastifyReply,
) {
  if (err instanceof DataPulseError) {
    if (err.retryAfter !== undefined) {
      reply.header('Retry-After', String(err.retryAfter));
      reply.header('X-RateLimit-Reset', String(Date.now() + err.retryAfter * 1000));
    }
    return send(reply, err.status, err.code, err.message, err.details);
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const details = fe.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
      const base = `/${fe.validationContext ?? 'body'}${v.instancePath}`;
      const extra = (v.params as { additionalProperty?: string } | undefined)?.additionalProperty;
      const path = missing ? `${base}/${missing}` : extra ? `${base}/${extra}` : base;
      return {
        path: path.replace(/^\/body/, '') || '/',
        message: extra ? 'unknown field' : (v.message ?? 'invalid'),
      };
    });
    return send(
      reply,
      400,
      'validation_failed',
      `Invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
      details,
    );
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return send(reply, 413, 'payload_too_large', 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return send(reply, 400, 'validation_failed', 'Body is not valid JSON', [
        { path: '/', message: 'not valid JSON' },
      ]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return send(reply, 415, 'validation_failed', 'Unsupported Content-Type; send application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return send(reply, 400, 'validation_failed', 'Content-Length does not match the body');
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code =
      (Object.entries(statusOf).find(([, s]) => s === fe.statusCode)?.[0] as string) ?? 'validation_failed';
    return send(reply, fe.statusCode, code, fe.message);
  }
  req.log.error({ err, reqId: req.id }, 'unhandled error');
  return send(reply, 500, 'internal_error', 'Internal error');
}
