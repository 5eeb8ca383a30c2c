/**
 * Identifier kinds. The six built-in kinds have their own normaliser; any other kind comes from
 * `context.externalIds[].type` (Segment's custom identifiers) and is compared as an opaque,
 * trimmed string.
 */
export const BUILT_IN_KINDS = [
  'user_id',
  'email',
  'phone',
  'device_id',
  'push_token',
  'anonymous_id',
] as const;

export type BuiltInKind = (typeof BUILT_IN_KINDS)[number];

/** A built-in kind or an external id type such as `crm_id` or `android.idfa`. */
export type IdentifierKind = string;

/** One normalised identifier. Two identifiers are the same when kind and value are equal. */
export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/** Lower-case letter first, then letters, digits, `_` and `.`; at most 64 characters. */
export const KIND_PATTERN = /^[a-z][a-z0-9_.]{0,63}$/;

const ALIASES: Record<string, BuiltInKind> = {
  userid: 'user_id',
  user_id: 'user_id',
  email: 'email',
  phone: 'phone',
  phone_number: 'phone',
  deviceid: 'device_id',
  device_id: 'device_id',
  push_token: 'push_token',
  pushtoken: 'push_token',
  anonymousid: 'anonymous_id',
  anonymous_id: 'anonymous_id',
  client_id: 'anonymous_id',
  clientid: 'anonymous_id',
};

export function isBuiltInKind(kind: string): kind is BuiltInKind {
  return (BUILT_IN_KINDS as readonly string[]).includes(kind);
}

/**
 * The kind an external id type stands for: lower-cased, spaces and dashes become `_`, and the
 * spellings of built-in kinds (`userId`, `email`, `client_id`, ...) map to them. Returns
 * `undefined` when the type cannot be a kind.
 */
export function kindOfExternalType(type: unknown): IdentifierKind | undefined {
  if (typeof type !== 'string') return undefined;
  const kind = type
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const alias = ALIASES[kind];
  if (alias) return alias;
  return KIND_PATTERN.test(kind) ? kind : undefined;
}

/** A map key for an identifier; kinds cannot contain a colon, so the key is unambiguous. */
export function identifierKey(id: Identifier): string {
  return `${id.kind}:${id.value}`;
}

export function sameIdentifier(a: Identifier, b: Identifier): boolean {
  return a.kind === b.kind && a.value === b.value;
}
