/** Running a report: validate the spec, run its queries inside ClickHouse, shape the rows. */
import { assertCan, type Principal } from '../auth/index.ts';
import { invalid } from '../core/errors.ts';
import {
  isReportKind,
  planReport,
  REPORT_KINDS,
  type ReportKind,
  type ResultOf,
  type Row,
  validateSpec,
} from '../core/reports/index.ts';
import type { ClickHouse } from '../storage/index.ts';

/** A report's result with the spec it was computed for and when. */
export type ReportResult<K extends ReportKind = ReportKind> = ResultOf<K> & {
  spec: unknown;
  computedAt: string;
};

/** Whether `id` names a segment of the workspace. */
export type SegmentLookup = (workspaceId: string, id: string) => Promise<boolean>;

/**
 * 400 naming `/segmentId` when it is not a segment of the workspace: an empty result would read
 * as "nobody matched". (Breakdown segments stay lenient: an unknown one is an empty group.)
 */
async function checkSegment(
  exists: SegmentLookup,
  workspaceId: string,
  spec: { segmentId?: string },
  base: string,
): Promise<void> {
  if (spec.segmentId === undefined || (await exists(workspaceId, spec.segmentId))) return;
  throw invalid(`${base}/segmentId`, `segment ${spec.segmentId} not found`);
}

export function reportRunner(ch: ClickHouse, segmentExists: SegmentLookup) {
  return {
    /**
     * Computes a report of `kind` over the caller's workspace. `spec` is validated here (paths
     * start with `base`), so callers other than the REST route need no checks of their own.
     */
    async run<K extends ReportKind>(
      p: Principal,
      kind: K | string,
      spec: unknown,
      base = '',
    ): Promise<ReportResult<K>> {
      assertCan(p, 'reports:read');
      if (!isReportKind(kind)) throw invalid('/kind', `must be one of ${REPORT_KINDS.join(', ')}`);
      const resolved = validateSpec(kind as K, spec, base);
      await checkSegment(segmentExists, p.workspaceId, resolved.spec, base);
      const plan = planReport(resolved, p.workspaceId);
      const entries = await Promise.all(
        Object.entries(plan.queries).map(
          async ([name, q]) => [name, await ch.query<Row>(q, `report-${kind}-${name}`)] as const,
        ),
      );
      const result = plan.shape(Object.fromEntries(entries));
      return { ...result, spec, computedAt: new Date().toISOString() };
    },
  };
}

export type ReportRunner = ReturnType<typeof reportRunner>;
