import { assertCan, type Principal } from '../auth/index.ts';
import { ValidationError } from '../core/errors.ts';
import { type ResolveResult, type ResolverEvent, resolveAll } from '../core/identity/eval/index.ts';
import { type IdentitySettings, ruleFor, validateIdentitySettings } from '../core/identity/index.ts';
import { param, sql } from '../core/sql.ts';
import { currentProfileEvents } from '../ingest/index.ts';
import { type ClickHouse, chTime } from '../storage/index.ts';
import type { IdentityResolver } from './resolver.ts';
import { type AssignmentDiff, compareAssignments } from './simulate-diff.ts';

export const SIMULATE_DEFAULT_DAYS = 30;
export const SIMULATE_DEFAULT_LIMIT = 200_000;
const MAX_IDENTIFIERS = 20;

export interface SimulateRequest {
  settings: unknown;
  days?: number;
  limit?: number;
}

export interface SimulateReport extends AssignmentDiff {
  days: number;
  from: string;
  to: string;
  /** Events replayed: the latest `limit` of the window. */
  events: number;
  truncated: boolean;
  /**
   * Today's settings replayed over the same events. The window misses older links (a login 40
   * days ago), so even unchanged settings show some splits: read the proposal against these.
   */
  baseline: { proposedProfiles: number; mergeGroups: number; splitProfiles: number };
}

interface EventRow {
  message_id: string;
  type: string;
  user_id: string;
  anonymous_id: string;
  source_id: string;
  properties: string;
  traits: string;
  context: string;
  ts: string;
  current_profile_id: string;
}

const parse = (json: string): Record<string, unknown> => {
  const v = JSON.parse(json || '{}');
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
};

/**
 * A stored event as the resolver saw it. Profile traits come from identify calls only (plus
 * `context.traits`), as at ingestion; a group call's traits are the group's.
 */
export function resolverEventOf(r: EventRow): ResolverEvent {
  const { $set_once: setOnce, ...traits } = parse(r.traits);
  return {
    messageId: r.message_id,
    type: r.type,
    timestamp: `${r.ts.replace(' ', 'T')}Z`,
    source: r.source_id,
    ...(r.user_id ? { userId: r.user_id } : {}),
    ...(r.anonymous_id ? { anonymousId: r.anonymous_id } : {}),
    context: parse(r.context) as ResolverEvent['context'],
    properties: parse(r.properties),
    ...(r.type === 'identify' ? { traits } : {}),
    ...(typeof setOnce === 'object' && setOnce !== null
      ? { setOnce: setOnce as Record<string, unknown> }
      : {}),
  };
}

function validateProposal(input: unknown): IdentitySettings {
  try {
    return validateIdentitySettings(input);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    // The settings sit under `/settings` of the request body.
    const details = err.details.map((d) => ({ path: `/settings${d.path}`, message: d.message }));
    const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
    throw new ValidationError(`${details[0].path}: ${details[0].message}${more}`, details);
  }
}

function describe(result: ResolveResult, settings: IdentitySettings) {
  return (profileId: string): string[] => {
    const ids = result.profiles.get(profileId)?.identifiers ?? [];
    return [...ids]
      .map((id, i) => ({ id, i, rank: ruleFor(id.kind, settings).rank }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .slice(0, MAX_IDENTIFIERS)
      .map(({ id }) => `${id.kind}:${id.value}${id.shared ? ' (shared)' : ''}`);
  };
}

/**
 * The rule simulator: replays the window's events under proposed settings with the pure
 * `resolveAll` and compares the result with today's profiles. Changes nothing.
 */
export function identitySimulator(deps: { ch: ClickHouse; resolver: IdentityResolver }) {
  async function readEvents(workspaceId: string, from: Date, limit: number): Promise<EventRow[]> {
    const rows = await deps.ch.query<EventRow>(
      sql`SELECT message_id, type, user_id, anonymous_id, source_id, properties, traits, context,
            toString(timestamp) AS ts, current_profile_id
          FROM ${currentProfileEvents(workspaceId)}
          WHERE timestamp >= ${param(chTime(from), 'DateTime64(3)')}
          ORDER BY received_at DESC, timestamp DESC, message_id DESC
          LIMIT ${param(limit, 'UInt32')}`,
      'identity-simulate',
    );
    return rows.reverse();
  }

  return {
    async simulate(p: Principal, req: SimulateRequest): Promise<SimulateReport> {
      assertCan(p, 'identity:manage');
      const proposal = validateProposal(req.settings);
      const days = req.days ?? SIMULATE_DEFAULT_DAYS;
      const limit = req.limit ?? SIMULATE_DEFAULT_LIMIT;
      const now = await deps.resolver.settings(p.workspaceId);
      const to = new Date();
      const from = new Date(to.getTime() - days * 86_400_000);
      const rows = await readEvents(p.workspaceId, from, limit + 1);
      const truncated = rows.length > limit;
      const replay = truncated ? rows.slice(1) : rows;
      const events = replay.map(resolverEventOf);
      const today = new Map(replay.map((r) => [r.message_id, r.current_profile_id]));
      const proposed = resolveAll(events, proposal);
      const diff = compareAssignments(today, proposed.eventProfiles, describe(proposed, proposal));
      const base = compareAssignments(today, resolveAll(events, now).eventProfiles, () => [], 0);
      return {
        days,
        from: from.toISOString(),
        to: to.toISOString(),
        events: events.length,
        truncated,
        ...diff,
        baseline: {
          proposedProfiles: base.proposedProfiles,
          mergeGroups: base.merges.groups,
          splitProfiles: base.splits.profiles,
        },
      };
    },
  };
}

export type IdentitySimulator = ReturnType<typeof identitySimulator>;
