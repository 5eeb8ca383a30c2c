import { assertCan, type Principal } from '../auth/index.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import type { MatchFeature } from '../core/identity/index.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import type {
  CandidateRow,
  CandidateStatus,
  IdentityMatchRepository,
} from '../storage/repositories/identity-match.ts';
import type { MergeOutcome, PairMerger } from './match-merge.ts';
import type { ProfileView } from './profiles.ts';
import type { IdentityResolver } from './resolver.ts';

export interface CandidateProfile {
  /** The profile as scored. */
  id: string;
  /** Where it lives now (itself, or the profile it merged into); null once erased. */
  currentId: string | null;
  traits: Record<string, unknown>;
  identities: { type: string; value: string }[];
}

export interface CandidateView {
  id: string;
  status: CandidateStatus;
  score: number;
  /** The explanation: each feature's points add up to the score. */
  features: MatchFeature[];
  profiles: [CandidateProfile, CandidateProfile];
  createdAt: string;
  decidedAt: string | null;
}

const iso = (pgTime: string | null) => (pgTime === null ? null : new Date(pgTime).toISOString());

function conflictMessage(o: MergeOutcome): string {
  if (o.result === 'gone') return 'A profile of this pair was erased';
  if (o.result !== 'conflict') return 'These profiles cannot merge';
  const c = o.conflicts[0];
  return `These profiles cannot merge: together they would hold ${c.values.length} ${c.kind} values, the limit is ${c.maxValues}`;
}

/** The review queue of probabilistic matching: list, accept (merge), reject (never again). */
export function candidateService(deps: {
  matchRepo: IdentityMatchRepository;
  merger: PairMerger;
  resolver: IdentityResolver;
  views: (workspaceId: string, ids: readonly string[]) => Promise<ProfileView[]>;
}) {
  const { matchRepo, merger, resolver } = deps;

  async function present(workspaceId: string, rows: readonly CandidateRow[]): Promise<CandidateView[]> {
    const current = await matchRepo.currentIds(
      workspaceId,
      rows.flatMap((r) => [r.profile_a, r.profile_b]),
    );
    const live = [...new Set([...current.values()].filter((id): id is string => id !== null))];
    const views = new Map((await deps.views(workspaceId, live)).map((v) => [v.id, v]));
    const profile = (id: string): CandidateProfile => {
      const currentId = current.get(id) ?? null;
      const v = currentId ? views.get(currentId) : undefined;
      return {
        id,
        currentId: v ? currentId : null,
        traits: v?.traits ?? {},
        identities: (v?.identities ?? []).map((i) => ({ type: i.type, value: i.value })),
      };
    };
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      score: Number(r.score),
      features: r.features as MatchFeature[],
      profiles: [profile(r.profile_a), profile(r.profile_b)],
      createdAt: iso(r.created_at)!,
      decidedAt: iso(r.decided_at),
    }));
  }

  async function pending(p: Principal, id: string): Promise<CandidateRow> {
    const row = await matchRepo.candidate(p.workspaceId, id);
    if (!row) throw new NotFoundError('Match candidate');
    if (row.status !== 'pending') throw new ConflictError(`This match candidate was already ${row.status}`);
    return row;
  }

  async function one(p: Principal, id: string): Promise<CandidateView> {
    const row = await matchRepo.candidate(p.workspaceId, id);
    if (!row) throw new NotFoundError('Match candidate');
    return (await present(p.workspaceId, [row]))[0];
  }

  return {
    /** Candidates with `status` (default pending), best score first. */
    async list(
      p: Principal,
      status: CandidateStatus = 'pending',
      limit = DEFAULT_LIMIT,
      cursor?: string,
    ): Promise<Page<CandidateView>> {
      assertCan(p, 'profiles:read');
      const after = decodeCursor(cursor, 2);
      const rows = await matchRepo.candidates(
        p.workspaceId,
        status,
        limit + 1,
        after ? { score: Number(after[0]), id: String(after[1]) } : null,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        data: await present(p.workspaceId, page),
        nextCursor: rows.length > limit && last ? encodeCursor([Number(last.score), last.id]) : null,
      };
    },

    get: (p: Principal, id: string) => {
      assertCan(p, 'profiles:read');
      return one(p, id);
    },

    /** Merges the pair (their current profiles) and marks the candidate accepted. */
    async accept(p: Principal, id: string): Promise<CandidateView> {
      assertCan(p, 'identity:manage');
      await resolver.exclusive(async () => {
        const row = await pending(p, id);
        const settings = await resolver.settings(p.workspaceId);
        const pair = { a: row.profile_a, b: row.profile_b, score: Number(row.score), features: row.features };
        const [outcome] = await merger.mergeInTurn(p.workspaceId, settings, [pair], 'candidate_accepted');
        if (outcome.result === 'gone' || outcome.result === 'conflict')
          throw new ConflictError(conflictMessage(outcome));
        await matchRepo.decide(p.workspaceId, id, 'accepted');
      });
      return one(p, id);
    },

    /** Marks the candidate rejected: the pair is never proposed or merged again. */
    async reject(p: Principal, id: string): Promise<CandidateView> {
      assertCan(p, 'identity:manage');
      await resolver.exclusive(async () => {
        await pending(p, id);
        await matchRepo.decide(p.workspaceId, id, 'rejected');
      });
      return one(p, id);
    },
  };
}

export type CandidateService = ReturnType<typeof candidateService>;
