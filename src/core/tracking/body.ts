/**
 * Request body → JSON value. Content-Type is ignored (SDKs send text/plain, form-urlencoded and
 * JSON alike); gzip is honoured by header and by its magic bytes; size limits apply after
 * decompression, and inflation stops as soon as the limit is passed (gzip bombs).
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { DataPulseError, invalid, PayloadTooLargeError, ValidationError } from '../errors.ts';
import { headerValue } from './fields.ts';
import { DEFAULT_LIMITS, type HeaderMap, KB, MAX_BODY_BYTES_CEILING, type TrackingLimits } from './types.ts';

/** Deeper JSON is refused as a whole: later code (serialisation, storage) recurses over it. */
export const MAX_JSON_DEPTH = 64;

export type BodyLimits = Pick<TrackingLimits, 'maxBodyBytes'>;

/** Fills defaults and checks the configured request limit (at most 4 MB). */
export function resolveBodyLimits(limits: Partial<BodyLimits> = {}): BodyLimits {
  const maxBodyBytes = limits.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES_CEILING) {
    throw invalid('/limits/maxBodyBytes', `must be an integer from 1 to ${MAX_BODY_BYTES_CEILING} (4 MB)`);
  }
  return { maxBodyBytes };
}

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`Request body is larger than ${formatBytes(limit)} after decompression`);
}

function formatBytes(bytes: number): string {
  return bytes % KB === 0 ? `${bytes / KB} KB` : `${bytes} bytes`;
}

function isGzip(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** The codings named by Content-Encoding, outermost last, `identity` dropped. */
function contentCodings(headers: HeaderMap | undefined): string[] {
  const raw = headerValue(headers, 'content-encoding') ?? '';
  return raw
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
}

/** Inflates with a hard output cap: zlib stops once `limit` is exceeded. */
function inflateCapped(buf: Buffer, coding: 'gzip' | 'deflate', limit: number): Buffer {
  try {
    const options = { maxOutputLength: limit + 1 };
    const out = coding === 'gzip' ? gunzipSync(buf, options) : inflateSync(buf, options);
    if (out.length > limit) throw tooLarge(limit);
    return out;
  } catch (err) {
    if (err instanceof DataPulseError) throw err;
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw tooLarge(limit);
    }
    throw new ValidationError(`Request body is not valid ${coding} data`, [
      { path: '', message: `not valid ${coding} data` },
    ]);
  }
}

/**
 * Decompresses: each coding the header names (a gzip header on a body without the magic bytes
 * is taken as already decoded, as some proxies do), then gzip by magic bytes when no header
 * said so.
 */
function decompress(buf: Buffer, headers: HeaderMap | undefined, limit: number): Buffer {
  let out = buf;
  let gunzipped = false;
  for (const coding of contentCodings(headers).reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') {
      if (!isGzip(out)) continue;
      out = inflateCapped(out, 'gzip', limit);
      gunzipped = true;
    } else if (coding === 'deflate') {
      out = inflateCapped(out, 'deflate', limit);
    } else {
      throw invalid('/headers/content-encoding', `unsupported encoding ${JSON.stringify(coding)}; use gzip`);
    }
  }
  if (!gunzipped && isGzip(out)) out = inflateCapped(out, 'gzip', limit);
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * posthog-js in base64 mode posts `data=<urlencoded base64 of JSON>`. Returns the JSON text,
 * or null when the body is not of that form.
 */
function postHogFormData(text: string): string | null {
  if (!text.startsWith('data=')) return null;
  const data = new URLSearchParams(text).get('data');
  if (!data) return null;
  return Buffer.from(data, 'base64').toString('utf8');
}

/** Greatest nesting depth of a JSON value, computed without recursion; stops past `max`. */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Raw request body → parsed JSON.
 * Errors: 413 `payload_too_large` over `maxBodyBytes` (raw or decompressed); 400
 * `validation_failed` for an empty body, bad gzip, an unsupported encoding, invalid JSON, or
 * JSON nested deeper than {@link MAX_JSON_DEPTH}.
 */
export function decodeBody(buf: Buffer, headers?: HeaderMap, limits?: Partial<BodyLimits>): unknown {
  const { maxBodyBytes } = resolveBodyLimits(limits);
  if (buf.length > maxBodyBytes) {
    throw new PayloadTooLargeError(`Request body is larger than ${formatBytes(maxBodyBytes)}`);
  }
  const raw = decompress(buf, headers, maxBodyBytes);
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw invalid('', 'request body is empty; send a JSON document');
  let value = parseJson(text);
  if (value === undefined) {
    const form = postHogFormData(text.trim());
    value = form === null ? undefined : parseJson(form);
  }
  if (value === undefined) throw invalid('', 'request body is not valid JSON');
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    throw invalid('', `request body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  return value;
}
