/** The segments API (docs/segments.md) as the console uses it. */
import { ApiError, api, tokenStore } from './client.ts';
import type { Page } from './types.ts';

export interface Segment {
  id: string;
  name: string;
  description: string;
  type: 'dynamic' | 'static';
  rule: unknown;
  schedule: number | string | null;
  tags: string[];
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
  lastSize: number | null;
  lastComputedAt: string | null;
  lastDurationMs: number | null;
  lastError: string | null;
  stale: boolean;
  staleReason: 'failed' | 'schedule_missed' | null;
  nextRunAt: string | null;
  realtime: boolean;
}

export interface ProfileSample {
  profileId: string;
  traits: Record<string, unknown>;
  identifiers: Record<string, string[]>;
  firstSeen: string;
  lastSeen: string;
}

export interface Member {
  profileId: string;
  enteredAt: string;
  traits: Record<string, unknown>;
  identifiers: Record<string, string[]>;
}

export interface HistoryDay {
  date: string;
  entered: number;
  exited: number;
  size: number;
}

export interface Job {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  processed: number;
  total: number | null;
  error?: string;
  result?: unknown;
}

export interface UploadReport {
  rows: number;
  matched: number;
  profiles: number;
  unmatched: number;
  unmatchedRows: { row: number; value: string; reason: string }[];
  entered: number;
  exited: number;
  size: number;
}

export type ExportFormat = 'csv' | 'xlsx' | 'ndjson';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'ndjson'];

export type Freshness = 'fresh' | 'stale' | 'failed' | 'never';

/** The badge of a segment: failed (its last run), stale (schedule missed), never computed, fresh. */
export function freshness(
  s: Pick<Segment, 'staleReason' | 'lastError' | 'lastComputedAt' | 'type'>,
): Freshness {
  if (s.staleReason === 'failed' || (s.lastError && s.type === 'dynamic')) return 'failed';
  if (s.staleReason === 'schedule_missed') return 'stale';
  if (!s.lastComputedAt && s.type === 'dynamic') return 'never';
  return 'fresh';
}

const seg = (id: string) => `/segments/${encodeURIComponent(id)}`;

export const segmentsApi = {
  list: (query: { q?: string; tag?: string; type?: string; limit?: number; cursor?: string }) =>
    api<Page<Segment>>('/segments', { query }),
  get: (id: string) => api<Segment>(seg(id)),
  create: (body: Record<string, unknown>) => api<Segment>('/segments', { method: 'POST', body }),
  update: (id: string, body: Record<string, unknown>) => api<Segment>(seg(id), { method: 'PATCH', body }),
  remove: (id: string) => api<void>(seg(id), { method: 'DELETE' }),
  copy: (id: string, name?: string) =>
    api<Segment>(`${seg(id)}/copy`, { method: 'POST', body: name ? { name } : {} }),
  preview: (rule: unknown, limit = 10) =>
    api<{ size: number; sample: ProfileSample[] }>('/segments/preview', {
      method: 'POST',
      body: { rule, limit },
    }),
  members: (id: string, limit: number, cursor?: string) =>
    api<Page<Member>>(`${seg(id)}/members`, { query: { limit, cursor } }),
  historyDays: (id: string, from: string) =>
    api<Page<HistoryDay>>(`${seg(id)}/history`, { query: { bucket: 'day', from } }),
  recompute: (id: string) => api<Job>(`${seg(id)}/recompute`, { method: 'POST' }),
  job: (id: string) => api<Job>(`/jobs/${encodeURIComponent(id)}`),
};

/** POSTs a CSV/XLSX file of identifiers to a static segment; answers the match report. */
export async function uploadMembers(id: string, file: File, column?: string): Promise<UploadReport> {
  const xlsx = /\.xlsx$/i.test(file.name);
  const qs = column ? `?column=${encodeURIComponent(column)}` : '';
  const res = await fetch(`/api/v1${seg(id)}/upload${qs}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${tokenStore.get() ?? ''}`,
      'content-type': xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
    },
    body: file,
  });
  return readJson<UploadReport>(res);
}

async function readJson<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; details?: { path: string; message: string }[] } })
    | null;
  if (!res.ok || body === null)
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? `HTTP ${res.status}`,
      body?.error?.details ?? [],
    );
  return body;
}

/** Bytes of the export so far and, for row formats, the rows seen (for a progress bar). */
export interface ExportProgress {
  bytes: number;
  rows: number;
}

/**
 * Streams `GET /segments/{id}/export` with the console's token and saves the file. A job answer
 * (JSON with a job id) is returned for the caller to follow instead.
 */
export async function downloadExport(
  id: string,
  format: ExportFormat,
  onProgress: (p: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<{ filename: string; job?: Job }> {
  const res = await fetch(`/api/v1${seg(id)}/export?format=${format}`, {
    headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` },
    signal,
  });
  if (!res.ok) await readJson(res);
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const job = (await res.json()) as Job;
    return { filename: '', job };
  }
  const filename = filenameOf(res.headers.get('content-disposition')) ?? `${id}.${format}`;
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let rows = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.length;
      if (format !== 'xlsx') for (const b of value) if (b === 10) rows++;
      onProgress({ bytes, rows });
    }
  }
  const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { filename };
}

/** The file name of a `content-disposition` header (the UTF-8 form first). */
export function filenameOf(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]*)"/i.exec(header);
  return plain ? plain[1] : null;
}
