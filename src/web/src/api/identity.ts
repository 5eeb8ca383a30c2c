/** Identity resolution API shapes the console reads (docs/identity.md, src/api/routes/identity.ts). */
import { ApiError, api } from './client.ts';

/** The caller's role may not do this (owner/admin only). */
export const isForbidden = (e: unknown): boolean => e instanceof ApiError && e.status === 403;

/**
 * Whether a signed-in user's role may change identity settings and decide candidates
 * (`identity:manage`). Unknown for an API token (null): the first 403 tells.
 */
export const canManageIdentity = (role: string | undefined): boolean | null =>
  role === undefined ? null : role === 'owner' || role === 'admin';

export interface IdentifierRule {
  kind: string;
  identifies: boolean;
  maxValues: number;
  shareable: boolean;
}

export type TraitConflictRule = { rule: 'latest' } | { rule: 'source_priority'; sourceOrder: string[] };

export interface IdentitySettings {
  identifiers: IdentifierRule[];
  externalIds: Omit<IdentifierRule, 'kind'>;
  defaultCountry: string;
  traitConflict: TraitConflictRule;
  setOnceTraits: string[];
  probabilistic: { enabled: boolean; threshold: number };
}

export interface SimulateReport {
  days: number;
  from: string;
  to: string;
  events: number;
  truncated: boolean;
  currentProfiles: number;
  proposedProfiles: number;
  merges: {
    groups: number;
    profiles: number;
    examples: { profileIds: string[]; events: number; identifiers: string[] }[];
  };
  splits: {
    profiles: number;
    examples: { profileId: string; parts: { events: number; identifiers: string[] }[] }[];
  };
  baseline: { proposedProfiles: number; mergeGroups: number; splitProfiles: number };
}

export type CandidateStatus = 'pending' | 'accepted' | 'rejected' | 'merged';

export interface CandidateProfile {
  id: string;
  currentId: string | null;
  traits: Record<string, unknown>;
  identities: { type: string; value: string }[];
}

export interface Candidate {
  id: string;
  status: CandidateStatus;
  score: number;
  features: { name: string; weight: number; value: string }[];
  profiles: [CandidateProfile, CandidateProfile];
  createdAt: string;
  decidedAt: string | null;
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
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What a matching run reports (src/identity/probabilistic.ts `MatchRunResult`). */
export interface MatchRunResult {
  profiles: number;
  merged: number;
  pending: number;
  threshold: number;
  reviewFloor: number;
}

export const identityApi = {
  settings: () => api<IdentitySettings>('/identity/settings'),
  save: (settings: IdentitySettings) =>
    api<IdentitySettings>('/identity/settings', { method: 'PUT', body: settings }),
  simulate: (settings: IdentitySettings, days: number) =>
    api<SimulateReport>('/identity/simulate', { method: 'POST', body: { settings, days } }),
  match: () => api<Job>('/identity/match', { method: 'POST' }),
  job: (id: string) => api<Job>(`/jobs/${encodeURIComponent(id)}`),
  decide: (id: string, decision: 'accept' | 'reject') =>
    api<Candidate>(`/identity/candidates/${encodeURIComponent(id)}/${decision}`, { method: 'POST' }),
  undoMerge: (id: string) =>
    api<unknown>(`/identity/merges/${encodeURIComponent(id)}/undo`, { method: 'POST' }),
};
