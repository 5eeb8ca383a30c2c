import type { Identifier } from './kinds.ts';
import { normalizeEmail } from './normalize.ts';
import { DEFAULT_MATCH_THRESHOLD } from './settings.ts';
import { nameKeys, nameWordKey, transliterate } from './transliterate.ts';

export { nameKeys, nameWordKey, transliterate } from './transliterate.ts';

/**
 * Probabilistic matching of profiles that share no exact identifier. A pair gets a score: the
 * sum of explainable feature weights (log-odds style points, positive for agreement, negative for
 * disagreement). `isMatch` merges only above the threshold AND with at least two agreeing
 * features, so no single feature (a phone one digit off, a common name) ever merges on its own.
 *
 * Default weights, threshold 9 (tuned on eval/ for pairwise precision ≥ 0.99):
 *   name      exact +4, subset (patronymic) +3, similar spelling +2, partial 0, different −6
 *   birth     equal +6, different −8
 *   city      equal +1.5, different −1
 *   email     exact +8, one edit +3, two edits +1.5
 *   phone     exact +8, one digit changed or two adjacent swapped +2
 * So name + birth date (10) merges; name + city (5.5), namesakes with phones one digit apart
 * (7.5) and name + city + an email one typo away (8.5) do not.
 */
export interface MatchRecord {
  id: string;
  name?: string;
  /** YYYY-MM-DD. */
  birthDate?: string;
  city?: string;
  /** Normalised emails. */
  emails?: readonly string[];
  /** E.164 phones. */
  phones?: readonly string[];
}

export interface MatchFeature {
  name: 'name' | 'birth_date' | 'city' | 'email' | 'phone';
  weight: number;
  value: string;
}

export interface MatchResult {
  score: number;
  features: MatchFeature[];
}

/** Optimal string alignment distance (edits and adjacent swaps); stops early above `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i].push(d);
    }
    // Every later cell derives from this row or the one before it.
    if (i > 0 && Math.min(...rows[i], ...rows[i - 1]) > max) return max + 1;
  }
  return rows[a.length][b.length];
}

/** YYYY-MM-DD from `1985-03-12`, `1985-03-12T00:00:00Z`, `12.03.1985` or `12/03/1985`. */
export function normalizeBirthDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(s);
  const dmy = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(s);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (!y || !m || !d) return undefined;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date ? undefined : date;
}

/** English city names → the Russian name, both as written; keys and values are folded below. */
const CITY_NAMES: [string, string][] = [
  ['Moscow', 'Moskva'],
  ['Saint Petersburg', 'Sankt Peterburg'],
  ['St Petersburg', 'Sankt Peterburg'],
  ['St. Petersburg', 'Sankt Peterburg'],
  ['SPb', 'Sankt Peterburg'],
  ['Piter', 'Sankt Peterburg'],
];

function cityWords(value: string): string {
  const words = transliterate(value)
    .split(/[^\p{L}]+/u)
    .map(nameWordKey)
    .filter((w) => w !== '');
  if (words[0] === 'g' || words[0] === 'gorod') words.shift();
  if (words[0] === 'city' && words[1] === 'of') words.splice(0, 2);
  return words.join(' ');
}

const CITY_ALIASES = new Map(CITY_NAMES.map(([en, ru]) => [cityWords(en), cityWords(ru)]));

/**
 * Transliterated words folded like names (so Yekaterinburg = Екатеринбург), without a leading
 * "г."/"город"/"city of"; a few English city names map to their Russian form.
 */
export function normalizeCity(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = cityWords(value);
  if (s === '') return undefined;
  return CITY_ALIASES.get(s) ?? s;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * A match record from plain traits and identifiers. Reads `name` or first/last name
 * (`firstName`/`lastName`, `first_name`/`last_name`), `birthday`/`birthDate`/`birth_date`,
 * `city` or `address.city`, emails and phones from the identifiers plus `traits.email`.
 */
export function matchRecordOf(
  id: string,
  traits: Record<string, unknown>,
  identifiers: readonly Identifier[],
): MatchRecord {
  const first = text(traits.firstName) ?? text(traits.first_name);
  const last = text(traits.lastName) ?? text(traits.last_name);
  const name = text(traits.name) ?? ([first, last].filter(Boolean).join(' ') || undefined);
  const birthDate = normalizeBirthDate(traits.birthday ?? traits.birthDate ?? traits.birth_date);
  const address = traits.address;
  const addressCity =
    typeof address === 'object' && address !== null ? (address as Record<string, unknown>).city : undefined;
  const city = normalizeCity(traits.city ?? addressCity);
  const emails = new Set(identifiers.filter((i) => i.kind === 'email').map((i) => i.value));
  const traitEmail = normalizeEmail(traits.email);
  if (traitEmail.ok) emails.add(traitEmail.value);
  const phones = identifiers.filter((i) => i.kind === 'phone').map((i) => i.value);
  const record: MatchRecord = { id, emails: [...emails].sort(), phones: [...new Set(phones)].sort() };
  if (name) record.name = name;
  if (birthDate) record.birthDate = birthDate;
  if (city) record.city = city;
  return record;
}

function nameFeature(a?: string, b?: string): MatchFeature {
  const ka = a ? nameKeys(a) : [];
  const kb = b ? nameKeys(b) : [];
  if (ka.length === 0 || kb.length === 0) return { name: 'name', weight: 0, value: 'missing' };
  if (ka.join(' ') === kb.join(' ')) return { name: 'name', weight: 4, value: 'exact' };
  const [small, large] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
  if (small.every((w) => large.includes(w))) {
    return small.length >= 2
      ? { name: 'name', weight: 3, value: 'subset' }
      : { name: 'name', weight: 0, value: 'partial' };
  }
  if (ka.length === kb.length) {
    const unused = [...kb];
    const similar = ka.every((w) => {
      const i = unused.findIndex(
        (u) => u === w || (Math.min(u.length, w.length) >= 4 && editDistance(u, w, 1) <= 1),
      );
      if (i < 0) return false;
      unused.splice(i, 1);
      return true;
    });
    if (similar) return { name: 'name', weight: 2, value: 'similar' };
  }
  return { name: 'name', weight: -6, value: 'different' };
}

function equalFeature(
  name: 'birth_date' | 'city',
  a: string | undefined,
  b: string | undefined,
  w: [number, number],
): MatchFeature {
  if (!a || !b) return { name, weight: 0, value: 'missing' };
  return a === b ? { name, weight: w[0], value: 'equal' } : { name, weight: w[1], value: 'different' };
}

function minDistance(as: readonly string[], bs: readonly string[], max: number): number {
  let best = max + 1;
  for (const a of as) for (const b of bs) best = Math.min(best, editDistance(a, b, max));
  return best;
}

function emailFeature(a: readonly string[] = [], b: readonly string[] = []): MatchFeature {
  if (a.length === 0 || b.length === 0) return { name: 'email', weight: 0, value: 'missing' };
  const d = minDistance(a, b, 2);
  if (d === 0) return { name: 'email', weight: 8, value: 'exact' };
  if (d === 1) return { name: 'email', weight: 3, value: 'one_edit' };
  const long = (xs: readonly string[]) => xs.some((x) => x.length >= 10);
  if (d === 2 && long(a) && long(b)) return { name: 'email', weight: 1.5, value: 'two_edits' };
  return { name: 'email', weight: 0, value: 'different' };
}

function phoneFeature(a: readonly string[] = [], b: readonly string[] = []): MatchFeature {
  if (a.length === 0 || b.length === 0) return { name: 'phone', weight: 0, value: 'missing' };
  let best = 'different';
  for (const x of a) {
    for (const y of b) {
      if (x === y) return { name: 'phone', weight: 8, value: 'exact' };
      if (x.length === y.length && editDistance(x, y, 1) === 1) best = 'one_digit';
    }
  }
  return best === 'one_digit'
    ? { name: 'phone', weight: 2, value: best }
    : { name: 'phone', weight: 0, value: best };
}

/** Scores a pair; the features explain the score (their weights sum to it). */
export function scorePair(a: MatchRecord, b: MatchRecord): MatchResult {
  const features = [
    nameFeature(a.name, b.name),
    equalFeature('birth_date', a.birthDate, b.birthDate, [6, -8]),
    equalFeature('city', a.city, b.city, [1.5, -1]),
    emailFeature(a.emails, b.emails),
    phoneFeature(a.phones, b.phones),
  ];
  return { score: features.reduce((sum, f) => sum + f.weight, 0), features };
}

/** The threshold rule: score at or above the threshold and at least two agreeing features. */
export function isMatch(result: MatchResult, threshold = DEFAULT_MATCH_THRESHOLD): boolean {
  return result.score >= threshold && result.features.filter((f) => f.weight > 0).length >= 2;
}

/** Every string obtained by deleting one character, plus the string itself. */
function deletions(s: string): string[] {
  const out = new Set([s]);
  for (let i = 0; i < s.length; i++) out.add(s.slice(0, i) + s.slice(i + 1));
  return [...out];
}

/**
 * Candidate-generation keys: two records are compared only if they share a key. Full name
 * (two words or more); birth date with name initials; each email and phone with every one-
 * character deletion, so a typo or a swapped digit still lands in a shared block.
 */
export function blockingKeys(record: MatchRecord): string[] {
  const keys = new Set<string>();
  const words = record.name ? nameKeys(record.name) : [];
  if (words.length >= 2) keys.add(`name:${words.join(' ')}`);
  if (record.birthDate && words.length > 0) {
    keys.add(
      `birth:${record.birthDate}:${words
        .map((w) => w[0])
        .sort()
        .join('')}`,
    );
  }
  for (const email of record.emails ?? []) for (const d of deletions(email)) keys.add(`email:${d}`);
  for (const phone of record.phones ?? [])
    for (const d of deletions(phone.replace(/^\+/, ''))) keys.add(`phone:${d}`);
  return [...keys].sort();
}

/**
 * Pairs of records sharing at least one blocking key, each pair once (ids ordered), sorted.
 * Blocks larger than `maxBlockSize` (a key too common to discriminate) are skipped and counted.
 */
export function candidatePairs(
  records: Iterable<MatchRecord>,
  maxBlockSize = 50,
): { pairs: [string, string][]; skippedBlocks: number } {
  const blocks = new Map<string, string[]>();
  for (const record of records) {
    for (const key of blockingKeys(record)) {
      const block = blocks.get(key);
      if (block) block.push(record.id);
      else blocks.set(key, [record.id]);
    }
  }
  const seen = new Set<string>();
  const pairs: [string, string][] = [];
  let skippedBlocks = 0;
  for (const block of blocks.values()) {
    if (block.length > maxBlockSize) {
      skippedBlocks++;
      continue;
    }
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const pair: [string, string] = block[i] < block[j] ? [block[i], block[j]] : [block[j], block[i]];
        const key = JSON.stringify(pair);
        if (!seen.has(key)) {
          seen.add(key);
          pairs.push(pair);
        }
      }
    }
  }
  pairs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  return { pairs, skippedBlocks };
}
