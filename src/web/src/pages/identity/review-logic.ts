/** Pure helpers of the review queue: what to show of a candidate's profiles, and job progress. */
import type { CandidateProfile, Job } from '../../api/identity.ts';

/** The traits matching looks at (src/core/identity/match.ts), in display order. */
const KEY_TRAITS = [
  'name',
  'firstName',
  'first_name',
  'lastName',
  'last_name',
  'email',
  'phone',
  'city',
  'birthday',
  'birthDate',
  'birth_date',
];

function shown(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

/** The profile's matching traits (and the address city), as label/value pairs; empty values left out. */
export function keyTraits(p: CandidateProfile): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const key of KEY_TRAITS) {
    const v = p.traits[key];
    if (v !== undefined && v !== null && v !== '') out.push({ key, value: shown(v) });
  }
  const address = p.traits.address;
  if (!('city' in p.traits) && typeof address === 'object' && address !== null) {
    const city = (address as Record<string, unknown>).city;
    if (typeof city === 'string' && city !== '') out.push({ key: 'address.city', value: city });
  }
  return out;
}

/** Traits and identifiers present on both sides with the same value: worth highlighting. */
export function sharedValues(a: CandidateProfile, b: CandidateProfile): Set<string> {
  const norm = (s: string) => s.trim().toLowerCase();
  const values = (p: CandidateProfile) => new Set(keyTraits(p).map((x) => `${x.key}=${norm(x.value)}`));
  const bValues = values(b);
  return new Set([...values(a)].filter((v) => bValues.has(v)));
}

/** 0–100 for a progress bar; a finished job is 100 whatever it counted. */
export function jobPercent(job: Pick<Job, 'status' | 'progress' | 'processed' | 'total'>): number {
  if (job.status === 'done') return 100;
  if (job.total && job.total > 0) return Math.min(100, Math.round((job.processed / job.total) * 100));
  return Math.round(Math.min(1, Math.max(0, job.progress)) * 100);
}

export const jobFinished = (job: Pick<Job, 'status'>) => job.status === 'done' || job.status === 'failed';
