/**
 * The segments service: what REST and GraphQL call. Checks permissions and input, keeps the
 * definitions in PostgreSQL and leaves evaluation to the evaluator (ClickHouse).
 */
import { assertCan, type Principal } from '../auth/index.ts';
import { ConflictError, invalid, NotFoundError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import { compileRule, countSql, sampleSql } from '../core/segments/compile-rule.ts';
import { type Rule, validateRule } from '../core/segments/rule-schema.ts';
import type { ClickHouse } from '../storage/index.ts';
import type { SegmentBus } from './bus.ts';
import {
  CopyInput,
  check,
  ListQuery,
  PreviewInput,
  type PreviewResult,
  SegmentCreate,
  SegmentPatch,
  type SegmentView,
} from './contract.ts';
import { ruleContext } from './evaluation-sql.ts';
import type { SegmentEvaluator } from './evaluator.ts';
import type { MembershipStore } from './membership.ts';
import { profileSample, type SampleRow } from './reads.ts';
import type { SegmentRepository } from './repository.ts';
import { segmentRefs } from './rule-analysis.ts';
import {
  DEFAULT_SCHEDULE_MINUTES,
  nextRun,
  parseSchedule,
  type ScheduleValue,
  scheduleText,
} from './schedule.ts';
import type { RecomputeJobs } from './scheduler.ts';
import type { SegmentRow } from './schema.ts';
import { segmentView } from './view.ts';

export interface ServiceDeps {
  repo: SegmentRepository;
  ch: ClickHouse;
  membership: MembershipStore;
  evaluator: SegmentEvaluator;
  recompute: RecomputeJobs;
  bus: SegmentBus;
}

const truncate = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export function segmentService(deps: ServiceDeps) {
  const { repo, ch, membership, evaluator, recompute, bus } = deps;

  async function found(ws: string, id: string): Promise<SegmentRow> {
    const row = await repo.get(ws, id);
    if (!row) throw new NotFoundError('Segment');
    return row;
  }

  async function view(row: SegmentRow): Promise<SegmentView> {
    return segmentView(row, await evaluator.rulesOf(row.workspaceId));
  }

  /**
   * Validates a rule in the context of the workspace: its references name dynamic segments
   * of the workspace, and it compiles with them expanded (no cycle through `segmentId`).
   */
  async function checkedRule(ws: string, input: unknown, segmentId?: string): Promise<Rule> {
    const rule = validateRule(input, '/rule');
    const refs = segmentRefs(rule);
    const targets = new Map(
      (await repo.getMany(ws, [...new Set(refs.map((r) => r.id))])).map((r) => [r.id, r]),
    );
    for (const ref of refs) {
      const target = targets.get(ref.id);
      if (!target) throw invalid(ref.path, `segment ${ref.id} not found`);
      if (target.type !== 'dynamic') {
        throw invalid(ref.path, `segment ${ref.id} is static; only dynamic segments can be referenced`);
      }
    }
    const rules = await evaluator.rulesOf(ws);
    if (segmentId) rules.set(segmentId, rule);
    compileRule(rule, ruleContext(ws, rules, segmentId));
    return rule;
  }

  function firstRun(schedule: ScheduleValue): Date | null {
    const s = parseSchedule(schedule, '/schedule');
    const next = s ? nextRun(s, Date.now()) : null;
    return next === null ? null : new Date(next);
  }

  async function createRow(p: Principal, input: SegmentCreate): Promise<SegmentRow> {
    const type = input.type ?? 'dynamic';
    let rule: Rule | null = null;
    let schedule: ScheduleValue = null;
    if (type === 'dynamic') {
      if (input.rule === undefined) throw invalid('/rule', 'required for a dynamic segment');
      schedule = input.schedule === undefined ? DEFAULT_SCHEDULE_MINUTES : input.schedule;
    } else {
      if (input.rule !== undefined && input.rule !== null) {
        throw invalid('/rule', 'a static segment has no rule: upload a list or snapshot a dynamic segment');
      }
      if (input.schedule !== undefined && input.schedule !== null) {
        throw invalid('/schedule', 'a static segment is never recomputed');
      }
    }
    const id = newId('seg');
    if (type === 'dynamic') rule = await checkedRule(p.workspaceId, input.rule, id);
    const scheduled = parseSchedule(schedule, '/schedule');
    return repo.insert({
      id,
      workspaceId: p.workspaceId,
      name: input.name,
      description: input.description ?? '',
      type,
      rule,
      schedule: scheduleText(scheduled),
      tags: input.tags ?? [],
      createdBy: p.tokenId,
      updatedBy: p.tokenId,
      nextRunAt: firstRun(schedule),
    });
  }

  return {
    async list(p: Principal, query: unknown = {}): Promise<Page<SegmentView>> {
      assertCan(p, 'segments:read');
      const q = check(ListQuery, query);
      const limit = q.limit ?? DEFAULT_LIMIT;
      const after = decodeCursor(q.cursor, 1);
      const rows = await repo.list(p.workspaceId, {
        q: q.q,
        tag: q.tag,
        type: q.type,
        beforeId: after ? String(after[0]) : undefined,
        limit: limit + 1,
      });
      const rules = await evaluator.rulesOf(p.workspaceId);
      const page = rows.slice(0, limit);
      return {
        data: page.map((r) => segmentView(r, rules)),
        nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1].id]) : null,
      };
    },

    async get(p: Principal, id: string): Promise<SegmentView> {
      assertCan(p, 'segments:read');
      return view(await found(p.workspaceId, id));
    },

    async create(p: Principal, body: unknown): Promise<SegmentView> {
      assertCan(p, 'segments:write');
      const row = await createRow(p, check(SegmentCreate, body));
      if (row.type === 'dynamic') await recompute.enqueue(p.workspaceId, row.id, 'create');
      return view((await repo.get(p.workspaceId, row.id)) ?? row);
    },

    /** PATCH: name (rename), description, tags; rule and schedule of dynamic segments. */
    async update(p: Principal, id: string, body: unknown): Promise<SegmentView> {
      assertCan(p, 'segments:write');
      const patch = check(SegmentPatch, body);
      const row = await found(p.workspaceId, id);
      const dynamic = row.type === 'dynamic';
      if (!dynamic && patch.rule !== undefined) throw invalid('/rule', 'a static segment has no rule');
      if (!dynamic && patch.schedule !== undefined && patch.schedule !== null) {
        throw invalid('/schedule', 'a static segment is never recomputed');
      }
      const changes: Partial<SegmentRow> = { updatedAt: new Date(), updatedBy: p.tokenId };
      if (patch.name !== undefined) changes.name = patch.name;
      if (patch.description !== undefined) changes.description = patch.description;
      if (patch.tags !== undefined) changes.tags = patch.tags;
      if (patch.rule !== undefined) changes.rule = await checkedRule(p.workspaceId, patch.rule, id);
      if (dynamic && patch.schedule !== undefined) {
        changes.schedule = scheduleText(parseSchedule(patch.schedule, '/schedule'));
        changes.nextRunAt = firstRun(patch.schedule);
      }
      const updated = await repo.update(p.workspaceId, id, changes);
      if (!updated) throw new NotFoundError('Segment');
      if (patch.rule !== undefined) await recompute.enqueue(p.workspaceId, id, 'update');
      return view((await repo.get(p.workspaceId, id)) ?? updated);
    },

    async remove(p: Principal, id: string): Promise<void> {
      assertCan(p, 'segments:write');
      await found(p.workspaceId, id);
      const users = (await repo.referencing(p.workspaceId, id)).filter((u) => u.id !== id);
      if (users.length) {
        throw new ConflictError(
          `Segment is referenced by ${users.map((u) => `${u.name} (${u.id})`).join(', ')}; change those rules first`,
        );
      }
      await repo.remove(p.workspaceId, id);
      await evaluator.serial(id, () => membership.drop(p.workspaceId, id));
      bus.emit('deleted', { workspaceId: p.workspaceId, segmentId: id });
    },

    /** A new segment with the same definition; a static copy gets the same members. */
    async copy(p: Principal, id: string, body: unknown = {}): Promise<SegmentView> {
      assertCan(p, 'segments:write');
      const input = check(CopyInput, body);
      const src = await found(p.workspaceId, id);
      const row = await createRow(p, {
        name: input.name ?? truncate(`${src.name} (copy)`, 200),
        description: src.description,
        type: src.type === 'static' ? 'static' : 'dynamic',
        ...(src.type === 'dynamic' ? { rule: src.rule, schedule: src.schedule } : {}),
        tags: src.tags,
      });
      if (row.type === 'dynamic') await recompute.enqueue(p.workspaceId, row.id, 'create');
      else
        await evaluator.replace(
          p.workspaceId,
          row.id,
          membership.membersOfSql(p.workspaceId, src.id),
          'copy',
        );
      return view((await repo.get(p.workspaceId, row.id)) ?? row);
    },

    /** A static segment holding the current members of a segment. */
    async snapshot(p: Principal, id: string, body: unknown = {}): Promise<SegmentView> {
      assertCan(p, 'segments:write');
      const input = check(CopyInput, body);
      const src = await found(p.workspaceId, id);
      const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
      const row = await createRow(p, {
        name: input.name ?? truncate(`${src.name} (snapshot ${stamp} UTC)`, 200),
        description: src.description,
        type: 'static',
        tags: src.tags,
      });
      await evaluator.replace(
        p.workspaceId,
        row.id,
        membership.membersOfSql(p.workspaceId, src.id),
        'snapshot',
      );
      return view((await repo.get(p.workspaceId, row.id)) ?? row);
    },

    /** Enqueues a recompute job (GET /jobs/{id} reports its progress). */
    async recompute(p: Principal, id: string) {
      assertCan(p, 'segments:write');
      const row = await found(p.workspaceId, id);
      if (row.type !== 'dynamic') throw new ConflictError('A static segment has no rule to recompute');
      return recompute.enqueue(p.workspaceId, id, 'manual');
    },

    /** Exact size and a sample of a rule's members, without saving anything. */
    async preview(p: Principal, body: unknown): Promise<PreviewResult> {
      assertCan(p, 'segments:read');
      const input = check(PreviewInput, body);
      const rule = await checkedRule(p.workspaceId, input.rule);
      const ctx = ruleContext(p.workspaceId, await evaluator.rulesOf(p.workspaceId));
      const [count] = await ch.query<{ count: string }>(countSql(rule, ctx), 'segments-preview-count');
      const sample = await ch.query<SampleRow>(
        sampleSql(rule, ctx, input.limit ?? 10),
        'segments-preview-sample',
      );
      return { size: Number(count.count), sample: sample.map(profileSample) };
    },

    /** For members, history, exports and uploads: the segment row, after the permission check. */
    async readable(
      p: Principal,
      id: string,
      permission: 'segments:read' | 'segments:export' | 'segments:write' = 'segments:read',
    ) {
      assertCan(p, permission);
      return found(p.workspaceId, id);
    },
  };
}

export type SegmentService = ReturnType<typeof segmentService>;
