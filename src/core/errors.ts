/** One error family for every service. Services throw these; the API maps them to HTTP. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'locked'
  | 'unavailable'
  | 'internal_error';

export const statusOf: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  locked: 429,
  unavailable: 503,
  internal_error: 500,
};

export class DataPulseError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  /** Seconds a client should wait before retrying (429/503). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = [], retryAfter?: number) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  get status(): number {
    return statusOf[this.code];
  }
}

export class ValidationError extends DataPulseError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('validation_failed', message, details);
  }
}

/** Shorthand for a validation error about one field. */
export function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`${path || 'body'}: ${message}`, [{ path, message }]);
}

export class UnauthorizedError extends DataPulseError {
  constructor(message = 'Missing or invalid credentials') {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends DataPulseError {
  constructor(message = 'Your role does not allow this') {
    super('forbidden', message);
  }
}

/** A cookie-authenticated change without the session's `x-csrf-token` header. */
export class CsrfError extends DataPulseError {
  constructor() {
    super('csrf_failed', 'Missing or wrong x-csrf-token header for this session');
  }
}

/** Too many failed sign-ins for an e-mail address: wait `retryAfter` seconds. */
export class LockedError extends DataPulseError {
  constructor(retryAfter: number) {
    super('locked', 'Too many failed sign-ins; try again later', [], retryAfter);
  }
}

export class NotFoundError extends DataPulseError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

export class ConflictError extends DataPulseError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class PayloadTooLargeError extends DataPulseError {
  constructor(message: string) {
    super('payload_too_large', message);
  }
}

export class RateLimitedError extends DataPulseError {
  constructor(message: string, retryAfter: number) {
    super('rate_limited', message, [], retryAfter);
  }
}

export class UnavailableError extends DataPulseError {
  constructor(message: string, retryAfter = 1) {
    super('unavailable', message, [], retryAfter);
  }
}
