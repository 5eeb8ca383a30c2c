/**
 * The choke points where PII leaves the services: each read that returns profiles, events or
 * segment members is wrapped once, here, so REST, GraphQL, exports and the console all get the
 * masked values for roles without `pii:read` — and a full read by a role with it is audited.
 */
import type { AuditService } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import { maskEvent, maskMember, maskProfile, type PiiPolicy } from '../core/pii.ts';
import type { IdentityService, ProfileJson, ProfileView } from '../identity/index.ts';
import type { IngestService } from '../ingest/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import type { PiiService } from './index.ts';

export function applyPiiMasking(deps: {
  pii: PiiService;
  audit: AuditService;
  identity: IdentityService;
  ingest: IngestService;
  segments: SegmentsService;
}): void {
  const { pii, audit, identity, ingest, segments } = deps;
  const { profiles, candidates } = identity;

  /** Masks for a caller without `pii:read`; records a `pii.read` of each profile otherwise. */
  async function profileOut<T extends ProfileView>(p: Principal, views: T[]): Promise<T[]> {
    const policy = await pii.policy(p);
    if (policy) return views.map((v) => maskProfile(v, policy));
    for (const v of views) {
      audit.recordBy(p, { action: 'pii.read', targetType: 'profile', targetId: v.id, status: 'succeeded' });
    }
    return views;
  }

  const get = profiles.get;
  profiles.get = async (p, id) => (await profileOut(p, [await get(p, id)]))[0];
  const lookup = profiles.lookup;
  profiles.lookup = async (p, identifier) => (await profileOut(p, [await lookup(p, identifier)]))[0];
  // The JSON text of stored views: only when nothing is masked (else null: get/lookup mask).
  const jsonOut =
    <A>(fn: (p: Principal, a: A) => Promise<ProfileJson | null>) =>
    async (p: Principal, a: A): Promise<ProfileJson | null> => {
      if (await pii.policy(p)) return null;
      const r = await fn(p, a);
      if (r)
        audit.recordBy(p, { action: 'pii.read', targetType: 'profile', targetId: r.id, status: 'succeeded' });
      return r;
    };
  profiles.getJson = jsonOut(profiles.getJson);
  profiles.lookupJson = jsonOut(profiles.lookupJson);
  const search = profiles.search;
  profiles.search = async (p, q, limit, cursor) => {
    const page = await search(p, q, limit, cursor);
    return { ...page, data: await profileOut(p, page.data) };
  };

  const maskCandidates = async <T extends { profiles: Parameters<typeof maskProfile>[0][] }>(
    p: Principal,
    xs: T[],
  ): Promise<T[]> => {
    const policy = await pii.policy(p);
    return policy ? xs.map((c) => ({ ...c, profiles: c.profiles.map((v) => maskProfile(v, policy)) })) : xs;
  };
  const list = candidates.list;
  candidates.list = async (p, ...rest) => {
    const page = await list(p, ...rest);
    return { ...page, data: await maskCandidates(p, page.data) };
  };
  for (const name of ['get', 'accept', 'reject'] as const) {
    const fn = candidates[name];
    candidates[name] = async (p, id) => (await maskCandidates(p, [await fn(p, id)]))[0];
  }

  const events = ingest.events;
  const listEvents = events.list;
  events.list = async (p, ...rest) => {
    const page = await listEvents(p, ...rest);
    const policy = await pii.policy(p);
    return policy ? { ...page, data: page.data.map((e) => maskEvent(e, policy)) } : page;
  };
  const exportEvents = events.export;
  events.export = (p, f, format) =>
    exportEvents(p, f, format, async () => {
      const policy = await pii.policy(p);
      return policy ? (e) => maskEvent(e, policy) : null;
    });

  const members = segments.members;
  segments.members = async (p, ...rest) => {
    const page = await members(p, ...rest);
    const policy = await pii.policy(p);
    return policy ? { ...page, data: page.data.map((m) => maskMember(m, policy)) } : page;
  };
  const exportMembers = segments.export;
  segments.export = async (p, id, query) => {
    const policy: PiiPolicy | null = await pii.policy(p);
    return exportMembers(p, id, query, policy ? (r) => maskMember(r, policy) : undefined);
  };
  const preview = segments.preview;
  segments.preview = async (p, input) => {
    const out = await preview(p, input);
    const policy = await pii.policy(p);
    return policy ? { ...out, sample: out.sample.map((s) => maskMember(s, policy)) } : out;
  };
}

/** Masks profile views that left the service by id (exports), for the caller. */
export async function maskProfilesFor<T extends ProfileView>(
  pii: PiiService,
  p: Principal,
  views: T[],
): Promise<T[]> {
  const policy = await pii.policy(p);
  return policy ? views.map((v) => maskProfile(v, policy)) : views;
}
