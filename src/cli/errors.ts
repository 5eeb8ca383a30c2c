import { ConfigError } from '../config/index.ts';

/** One clear line for a start-up failure: no stack trace. */
export function describeStartupError(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  const e = err as { code?: string; message?: string; address?: string; port?: number; errors?: unknown[] };
  if (e?.code === 'EADDRINUSE') return `PORT: address ${e.address ?? ''}:${e.port ?? ''} is already in use`;
  if (e?.code === 'EACCES' && e.port !== undefined) return `PORT: no permission to listen on ${e.port}`;
  const pgCodes = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', '28P01', '3D000', '28000'];
  if (e?.code && pgCodes.includes(e.code))
    return `DATABASE_URL/CLICKHOUSE_URL: cannot connect (${e.code}: ${firstLine(e.message)})`;
  if (Array.isArray(e?.errors) && e.errors.length)
    return `cannot connect: ${firstLine(String((e.errors[0] as Error).message))}`;
  return firstLine(e?.message ?? String(err));
}

function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n')[0].slice(0, 300) || 'unknown error';
}
