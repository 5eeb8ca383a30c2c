/**
 * The identity rules form: its editable state, the conversion to and from the API's settings
 * (`GET/PUT /api/v1/identity/settings`), priority reordering, and the API's validation errors
 * placed at the form's fields. Pure: no React, no fetch.
 */
import type { ErrorDetail } from '../../api/client.ts';
import type { IdentitySettings } from '../../api/identity.ts';

/** A number field as typed: a number, or the raw text while it is not one (the API names it). */
export type NumberField = number | string;

export interface RuleRow {
  kind: string;
  identifies: boolean;
  maxValues: NumberField;
  shareable: boolean;
}

export interface IdentityForm {
  /** In priority order: the first kind wins when an event's identifiers disagree. */
  identifiers: RuleRow[];
  externalIds: Omit<RuleRow, 'kind'>;
  defaultCountry: string;
  conflictRule: 'latest' | 'source_priority';
  /** Kept while the rule is "latest" so switching back restores it; sent only with source_priority. */
  sourceOrder: string[];
  setOnceTraits: string[];
  matchingEnabled: boolean;
  threshold: NumberField;
}

/** Points below the threshold that still go to review (src/identity/probabilistic.ts REVIEW_MARGIN). */
export const REVIEW_MARGIN = 3;

export const KIND_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export function formFromSettings(s: IdentitySettings): IdentityForm {
  return {
    identifiers: s.identifiers.map((r) => ({ ...r })),
    externalIds: { ...s.externalIds },
    defaultCountry: s.defaultCountry,
    conflictRule: s.traitConflict.rule,
    sourceOrder: s.traitConflict.rule === 'source_priority' ? [...s.traitConflict.sourceOrder] : [],
    setOnceTraits: [...s.setOnceTraits],
    matchingEnabled: s.probabilistic.enabled,
    threshold: s.probabilistic.threshold,
  };
}

/** A typed number as a number; text that is not one goes as is, for the API to reject by field. */
function num(v: NumberField): number {
  if (typeof v === 'number') return v;
  const trimmed = v.trim();
  const n = Number(trimmed);
  return trimmed !== '' && Number.isFinite(n) ? n : (v as unknown as number);
}

export function settingsFromForm(f: IdentityForm): IdentitySettings {
  return {
    identifiers: f.identifiers.map((r) => ({
      kind: r.kind,
      identifies: r.identifies,
      maxValues: num(r.maxValues),
      shareable: r.shareable,
    })),
    externalIds: {
      identifies: f.externalIds.identifies,
      maxValues: num(f.externalIds.maxValues),
      shareable: f.externalIds.shareable,
    },
    defaultCountry: f.defaultCountry.trim().toUpperCase(),
    traitConflict:
      f.conflictRule === 'latest'
        ? { rule: 'latest' }
        : { rule: 'source_priority', sourceOrder: [...f.sourceOrder] },
    setOnceTraits: [...f.setOnceTraits],
    probabilistic: { enabled: f.matchingEnabled, threshold: num(f.threshold) },
  };
}

/** True when the form would save something other than `saved`. */
export function isChanged(f: IdentityForm, saved: IdentitySettings): boolean {
  return JSON.stringify(settingsFromForm(f)) !== JSON.stringify(settingsFromForm(formFromSettings(saved)));
}

/** The list with the item at `from` moved to `to` (both clamped); a new array. */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length) return out;
  const target = Math.max(0, Math.min(out.length - 1, to));
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item);
  return out;
}

/** Adds an identifier kind (an external id type such as `crm_id`) with the external-id rule. */
export function addKind(f: IdentityForm, kind: string): IdentityForm {
  const k = kind.trim();
  if (!KIND_PATTERN.test(k) || f.identifiers.some((r) => r.kind === k)) return f;
  return { ...f, identifiers: [...f.identifiers, { kind: k, ...f.externalIds }] };
}

export function updateRule(f: IdentityForm, index: number, patch: Partial<RuleRow>): IdentityForm {
  return { ...f, identifiers: f.identifiers.map((r, i) => (i === index ? { ...r, ...patch } : r)) };
}

/** Removes a kind; `user_id` always stays (the API requires it). */
export function removeKind(f: IdentityForm, index: number): IdentityForm {
  if (f.identifiers[index]?.kind === 'user_id') return f;
  return { ...f, identifiers: f.identifiers.filter((_, i) => i !== index) };
}

/** Score from which a pair waits for review instead of being ignored; null while not a number. */
export function reviewFloor(f: IdentityForm): number | null {
  const t = num(f.threshold);
  return typeof t === 'number' && Number.isFinite(t) ? Math.max(0, t - REVIEW_MARGIN) : null;
}

/**
 * The field an error path belongs to, as the form names it: a list item's error goes to its list
 * (`/setOnceTraits/2` → `/setOnceTraits`), an object's to its main field (`/traitConflict` →
 * `/traitConflict/rule`). `prefix` is stripped first (`/settings` for the simulator).
 */
export function fieldOf(path: string, prefix = ''): string {
  const p = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
  if (/^\/traitConflict\/sourceOrder(\/|$)/.test(p)) return '/traitConflict/sourceOrder';
  if (/^\/setOnceTraits(\/|$)/.test(p)) return '/setOnceTraits';
  if (p === '/traitConflict') return '/traitConflict/rule';
  if (p === '/probabilistic') return '/probabilistic/threshold';
  return p;
}

/** Validation errors by field (see fieldOf); several on one field are joined. */
export function fieldErrors(details: readonly ErrorDetail[], prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const field = fieldOf(d.path, prefix);
    out[field] = out[field] ? `${out[field]}; ${d.message}` : d.message;
  }
  return out;
}
