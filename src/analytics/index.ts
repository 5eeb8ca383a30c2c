/**
 * Analytics: reports computed inside ClickHouse (specs/reports.md), saved reports and dashboards
 * in PostgreSQL, marketing spend for attribution. See docs/analytics.md.
 */
import type { Principal } from '../auth/index.ts';
import type { ReportKind } from '../core/reports/index.ts';
import { membershipStore } from '../segments/membership.ts';
import { segmentRepository } from '../segments/repository.ts';
import type { ClickHouse, Postgres } from '../storage/index.ts';
import { type ReportResult, reportRunner } from './run.ts';
import { savedReportService } from './saved.ts';

export * from './contract.ts';
export { type MarketingService, marketingService } from './marketing.ts';
export type { ReportResult } from './run.ts';

export function reportService(ch: ClickHouse, pg: Postgres) {
  const segments = segmentRepository(pg.db);
  const membership = membershipStore(ch);
  // A segment is defined in PostgreSQL; membership recorded in ClickHouse (dropped with the
  // segment) also counts, for memberships loaded without a definition.
  const runner = reportRunner(
    ch,
    async (ws, id) => (await segments.get(ws, id)) !== null || (await membership.size(ws, id)) > 0,
  );
  const saved = savedReportService(pg.db);
  return {
    /** Computes a report of `kind` for the caller's workspace; the result carries `spec` and `computedAt`. */
    run: runner.run,
    /** Runs a saved report with its stored spec. */
    async runSaved(p: Principal, id: string): Promise<ReportResult> {
      const report = await saved.reports.get(p, id);
      return runner.run(p, report.kind as ReportKind, report.spec, '/spec');
    },
    saved: saved.reports,
    dashboards: saved.dashboards,
  };
}

export type ReportService = ReturnType<typeof reportService>;
