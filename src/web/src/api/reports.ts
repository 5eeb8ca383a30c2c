/**
 * Reports, saved reports and dashboards of the REST API (specs/reports.md, docs/analytics.md).
 * The result and spec types come from the server's own schemas (type-only imports: nothing of
 * the server reaches the bundle).
 */
import type { ResultOf } from '../../../core/reports/results.ts';
import type { ReportKind } from '../../../core/reports/spec.ts';
import { api } from './client.ts';
import type { Page } from './types.ts';

export type { FieldsOf, ResultOf } from '../../../core/reports/results.ts';
export type { ReportKind } from '../../../core/reports/spec.ts';

export const KINDS = [
  'overview',
  'funnel',
  'retention',
  'paths',
  'ltv',
  'rfm',
  'attribution',
  'revenue',
  'content',
  'subscriptions',
] as const satisfies readonly ReportKind[];

export type Spec = Record<string, unknown>;
export type Computed<K extends ReportKind> = ResultOf<K> & { spec: Spec; computedAt: string };
export type AnyResult = { [K in ReportKind]: Computed<K> }[ReportKind];

export interface SavedReport {
  id: string;
  name: string;
  kind: ReportKind;
  spec: Spec;
  createdAt: string;
  updatedAt: string;
}

export interface Tile {
  reportId: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Dashboard {
  id: string;
  name: string;
  tiles: Tile[];
  createdAt: string;
  updatedAt: string;
}

export interface SegmentRef {
  id: string;
  name: string;
}

export function runReport<K extends ReportKind>(kind: K, spec: Spec): Promise<Computed<K>> {
  return api<Computed<K>>(`/reports/${kind}`, { method: 'POST', body: spec });
}

export const savedReports = {
  list: () => api<Page<SavedReport>>('/reports/saved', { query: { limit: 1000 } }),
  get: (id: string) => api<SavedReport>(`/reports/saved/${encodeURIComponent(id)}`),
  create: (body: { name: string; kind: ReportKind; spec: Spec }) =>
    api<SavedReport>('/reports/saved', { method: 'POST', body }),
  run: (id: string) => api<AnyResult>(`/reports/saved/${encodeURIComponent(id)}/run`, { method: 'POST' }),
  remove: (id: string) => api<void>(`/reports/saved/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};

export const dashboards = {
  list: () => api<Page<Dashboard>>('/dashboards', { query: { limit: 1000 } }),
  get: (id: string) => api<Dashboard>(`/dashboards/${encodeURIComponent(id)}`),
  create: (name: string) => api<Dashboard>('/dashboards', { method: 'POST', body: { name, tiles: [] } }),
  update: (id: string, patch: { name?: string; tiles?: Tile[] }) =>
    api<Dashboard>(`/dashboards/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch }),
  remove: (id: string) => api<void>(`/dashboards/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};

/** The workspace's segments for the segment filter (id and name only). */
export const segmentsQuery = {
  queryKey: ['segments', 'refs'],
  queryFn: () => api<Page<SegmentRef>>('/segments', { query: { limit: 1000 } }),
};
