/** Members of stored segments: pages, history, exports and uploads of static lists. */
import type { Readable } from 'node:stream';
import type { Principal } from '../auth/index.ts';
import { ConflictError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Page } from '../core/paging.ts';
import {
  check,
  ExportQuery,
  type HistoryDay,
  type HistoryEntry,
  HistoryQuery,
  type Member,
  OverlapInput,
  type OverlapResult,
  PageQueryInput,
  UploadQuery,
  type UploadReport,
} from './contract.ts';
import type { SegmentEvaluator } from './evaluator.ts';
import { exportColumns, type MemberExport, type MemberRecord } from './export.ts';
import type { MembershipStore } from './membership.ts';
import type { MembershipReads } from './reads.ts';
import type { SegmentService } from './service.ts';
import { type IdentityLookup, matchRows, pickColumn, readTable, type UploadFormat } from './upload.ts';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export interface ExportStream {
  stream: Readable;
  contentType: string;
  filename: string;
}

export function membersService(deps: {
  service: SegmentService;
  reads: MembershipReads;
  exporter: MemberExport;
  membership: MembershipStore;
  evaluator: SegmentEvaluator;
  identity: IdentityLookup;
}) {
  const { service, reads, exporter, membership, evaluator } = deps;
  return {
    async members(p: Principal, id: string, query: unknown = {}): Promise<Page<Member>> {
      const q = check(PageQueryInput, query);
      await service.readable(p, id);
      return reads.members(p.workspaceId, id, q.limit, q.cursor);
    },

    /** Entries (newest first, paged) or, with `bucket: 'day'`, counts and size per day. */
    async history(
      p: Principal,
      id: string,
      query: unknown = {},
    ): Promise<Page<HistoryEntry> | { data: HistoryDay[]; nextCursor: null }> {
      const q = check(HistoryQuery, query);
      await service.readable(p, id);
      if (q.bucket === 'day') return { data: await reads.days(p.workspaceId, id, q), nextCursor: null };
      return reads.entries(p.workspaceId, id, q);
    },

    async export(
      p: Principal,
      id: string,
      query: unknown = {},
      /** How each member leaves (PII masking for the caller). */
      mask?: (r: MemberRecord) => MemberRecord,
    ): Promise<ExportStream> {
      const q = check(ExportQuery, query);
      const format = q.format ?? 'csv';
      const cols = exportColumns(q.identifiers, q.traits);
      const seg = await service.readable(p, id, 'segments:export');
      const safeName = seg.name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80) || seg.id;
      return {
        stream: exporter.stream(p.workspaceId, id, format, cols, mask),
        contentType: CONTENT_TYPES[format],
        filename: `${safeName}.${format}`,
      };
    },

    /** Sizes of stored segments and the profiles each pair shares. */
    async overlap(p: Principal, body: unknown): Promise<OverlapResult> {
      const { segmentIds } = check(OverlapInput, body);
      const rows = [];
      for (const id of segmentIds) rows.push(await service.readable(p, id)); // 404 for unknown ids
      const masks = await membership.overlapMasks(p.workspaceId, segmentIds);
      const count = (bits: number) =>
        masks.filter((m) => (m.mask & bits) === bits).reduce((n, m) => n + m.n, 0);
      const sizes = segmentIds.map((_, i) => count(1 << i));
      const pairs: OverlapResult['pairs'] = [];
      for (let i = 0; i < segmentIds.length; i++) {
        for (let j = i + 1; j < segmentIds.length; j++) {
          const both = count((1 << i) | (1 << j));
          const either = sizes[i] + sizes[j] - both;
          pairs.push({
            a: segmentIds[i],
            b: segmentIds[j],
            size: both,
            jaccard: either === 0 ? 0 : both / either,
          });
        }
      }
      return { segments: rows.map((r, i) => ({ id: r.id, name: r.name, size: sizes[i] })), pairs };
    },

    /** Replaces (or, in add mode, extends) a static segment's members with an uploaded list. */
    async upload(
      p: Principal,
      id: string,
      file: Buffer,
      format: UploadFormat,
      query: unknown = {},
    ): Promise<UploadReport> {
      const q = check(UploadQuery, query);
      const seg = await service.readable(p, id, 'segments:write');
      if (seg.type !== 'static') {
        throw new ConflictError('Only static segments take uploaded lists; create one with type "static"');
      }
      const rows = await readTable(file, format);
      const column = pickColumn(rows[0] ?? [], q.column, q.kind);
      const { profileIds, ...report } = await matchRows(deps.identity, p.workspaceId, rows, column);
      const batch = newId('upl');
      await membership.stage(p.workspaceId, batch, profileIds);
      const staged = membership.stagedSql(p.workspaceId, batch);
      const diff = await evaluator.replace(
        p.workspaceId,
        id,
        staged,
        'upload',
        q.mode === 'add' ? staged : undefined,
      );
      return { ...report, entered: diff.entered, exited: diff.exited, size: diff.size };
    },
  };
}

export type MembersService = ReturnType<typeof membersService>;
