import { api } from './client.ts';
import type { Page } from './types.ts';

export interface AuditEntry {
  id: string;
  at: string;
  actor: { type: string; id: string | null; role: string | null; ip: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  before: unknown;
  after: unknown;
  status: string;
  httpStatus: number | null;
  detail: unknown;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

export const fetchAudit = (filter: AuditFilter, cursor: string | null, limit = 50) =>
  api<Page<AuditEntry>>('/audit', { query: { ...filter, cursor, limit } });

export interface PiiSettings {
  defaults: string[];
  fields: string[];
}

export const fetchPiiSettings = () => api<PiiSettings>('/settings/pii');
export const savePiiSettings = (fields: string[]) =>
  api<PiiSettings>('/settings/pii', { method: 'PUT', body: { fields } });

/** Lines of a before/after pair that differ, as `path: before → after` (JSON leaves). */
export function changedPaths(
  before: unknown,
  after: unknown,
  prefix = '',
): { path: string; before: unknown; after: unknown }[] {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: prefix || '·', before, after }];
}
