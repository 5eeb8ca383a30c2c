/**
 * Field-level PII masking (seed 000): pure functions that turn personal data into a hint that
 * reveals at most a few characters — `ivan.petrov@mail.ru` → `i***@m***.ru`,
 * `+79161234567` → `+7 *** ***-45-67`, `Ivan` → `I***`, anything else → `***`.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** Traits that are PII in every workspace; a workspace may mark more (PUT /settings/pii). */
export const DEFAULT_PII_FIELDS = [
  'email',
  'phone',
  'name',
  'first_name',
  'last_name',
  'firstName',
  'lastName',
  'address',
  'birthday',
] as const;

/** Identifier kinds whose values are PII. */
export const PII_IDENTITY_KINDS = new Set(['email', 'phone']);

export const MASK = '***';

/** Which fields to mask; `null` everywhere means "the caller may read PII": nothing is masked. */
export interface PiiPolicy {
  /** Trait paths (`email`, `address`, `passport.number`); a path covers everything under it. */
  fields: ReadonlySet<string>;
}

export function piiPolicy(custom: readonly string[] = []): PiiPolicy {
  return { fields: new Set([...DEFAULT_PII_FIELDS, ...custom]) };
}

const EMAIL = /^([^\s@]+)@([^\s@]+)\.([^\s@.]+)$/;
const PHONE = /^\+?[\d\s().-]{7,20}$/;
const INITIAL_FIELDS = new Set(['name', 'first_name', 'last_name', 'firstName', 'lastName', 'address']);

const first = (s: string) => Array.from(s)[0] ?? '';

export function looksLikeEmail(value: string): boolean {
  return EMAIL.test(value.trim());
}

export function looksLikePhone(value: string): boolean {
  const v = value.trim();
  return PHONE.test(v) && v.replace(/\D/g, '').length >= 7;
}

/** `ivan.petrov@mail.ru` → `i***@m***.ru`: first letters of the mailbox and domain, the TLD. */
export function maskEmail(value: string): string {
  const m = EMAIL.exec(value.trim());
  if (!m) return MASK;
  return `${first(m[1])}${MASK}@${first(m[2])}${MASK}.${m[3]}`;
}

/** `+79161234567` → `+7 *** ***-45-67`: the country code and the last four digits. */
export function maskPhone(value: string): string {
  const v = value.trim();
  const digits = v.replace(/\D/g, '');
  if (digits.length < 8) return MASK;
  const last = `${digits.slice(-4, -2)}-${digits.slice(-2)}`;
  if (!v.startsWith('+')) return `${MASK} ${MASK}-${last}`;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  const code = parsed?.countryCallingCode;
  // Keep the country code only when at least four digits stay hidden.
  if (!code || digits.length - code.length < 8) return `${MASK} ${MASK}-${last}`;
  return `+${code} ${MASK} ${MASK}-${last}`;
}

/** `Ivan` → `I***`. */
export function maskInitial(value: string): string {
  const v = value.trim();
  return v ? `${first(v)}${MASK}` : MASK;
}

/** The last key of a trait path: `address.city` → `city`. */
const leaf = (path: string) => path.slice(path.lastIndexOf('.') + 1);

/**
 * Masks one PII value found at `path` (a trait path such as `email` or `address.city`). Strings
 * keep the hint their kind allows; other scalars become `***`; null and undefined stay.
 */
export function maskValue(value: unknown, path: string): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, path));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskValue(v, `${path}.${k}`)]),
    );
  }
  if (typeof value !== 'string') return MASK;
  if (looksLikeEmail(value)) return maskEmail(value);
  const top = path.split('.')[0];
  const isPhoneField = top === 'phone' || leaf(path) === 'phone';
  if (looksLikePhone(value) && (isPhoneField || value.trim().startsWith('+'))) return maskPhone(value);
  if (INITIAL_FIELDS.has(top) || INITIAL_FIELDS.has(leaf(path))) return maskInitial(value);
  return MASK;
}

/** A string outside a PII field: masked only when it is itself an email or a phone number. */
export function maskContactLike(value: string): string {
  if (looksLikeEmail(value)) return maskEmail(value);
  if (looksLikePhone(value) && value.trim().startsWith('+')) return maskPhone(value);
  return value;
}

function isPiiPath(path: string, fields: ReadonlySet<string>): boolean {
  if (fields.has(path)) return true;
  for (let i = path.indexOf('.'); i > 0; i = path.indexOf('.', i + 1)) {
    if (fields.has(path.slice(0, i))) return true;
  }
  return false;
}

/** Masks the PII fields of a trait (or property) object, and email/phone values anywhere in it. */
export function maskTraits(
  traits: Record<string, unknown>,
  policy: PiiPolicy,
  prefix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(traits)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isPiiPath(path, policy.fields)) out[k] = maskValue(v, path);
    else if (typeof v === 'string') out[k] = maskContactLike(v);
    else if (v && typeof v === 'object' && !Array.isArray(v))
      out[k] = maskTraits(v as Record<string, unknown>, policy, path);
    else out[k] = v;
  }
  return out;
}

/** An identifier value: email and phone kinds always masked, others only when contact-like. */
export function maskIdentifier(kind: string, value: string): string {
  if (kind === 'email') return maskEmail(value);
  if (kind === 'phone') return maskPhone(value);
  return maskContactLike(value);
}

export const maskOptional = (v: string | null): string | null => (v === null ? v : maskContactLike(v));

interface ProfileLike {
  traits: Record<string, unknown>;
  identities: { type: string; value: string }[];
}

/** A profile view (or anything shaped like one: candidates' profiles) as a non-PII role sees it. */
export function maskProfile<T extends ProfileLike>(view: T, policy: PiiPolicy | null): T {
  if (!policy) return view;
  return {
    ...view,
    traits: maskTraits(view.traits, policy),
    identities: view.identities.map((i) => ({ ...i, value: maskIdentifier(i.type, i.value) })),
  };
}

interface EventLike {
  userId: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
}

/** An event: traits, context.traits and PII-named properties masked. */
export function maskEvent<T extends EventLike>(event: T, policy: PiiPolicy | null): T {
  if (!policy) return event;
  const ctx = event.context;
  const ctxTraits = ctx.traits;
  return {
    ...event,
    userId: maskOptional(event.userId),
    properties: maskTraits(event.properties, policy),
    traits: maskTraits(event.traits, policy),
    context:
      ctxTraits && typeof ctxTraits === 'object' && !Array.isArray(ctxTraits)
        ? { ...ctx, traits: maskTraits(ctxTraits as Record<string, unknown>, policy) }
        : ctx,
  };
}

interface MemberLike {
  traits: Record<string, unknown>;
  identifiers: Record<string, string[]>;
}

/** A segment member (page or export row): traits and identifier values. */
export function maskMember<T extends MemberLike>(member: T, policy: PiiPolicy | null): T {
  if (!policy) return member;
  return {
    ...member,
    traits: maskTraits(member.traits, policy),
    identifiers: Object.fromEntries(
      Object.entries(member.identifiers).map(([k, vs]) => [k, (vs ?? []).map((v) => maskIdentifier(k, v))]),
    ),
  };
}

/** Validates a workspace's custom PII field list (trait paths). */
export const PII_FIELD_PATTERN = /^[A-Za-z_$][\w$-]{0,99}(\.[A-Za-z_$][\w$-]{0,99}){0,4}$/;
