/**
 * A profile view's JSON text as stored in the profile documents (JSON.stringify of the view, keys
 * in the API schema's order), served as is by GET /profiles/{id} and lookups by identifier.
 *
 * Positions are found from the end: the keys after `identities` (devices, push tokens, segments,
 * merge history, times) hold no object with free-form keys, and no JSON string holds an unescaped
 * quote, so the last `"segments":[` is the view's own key, never one inside the traits.
 */

/** A stored redirect (a merged-away id): `{"redirect":"<survivor>"}`. */
export function redirectOf(json: string): string | null {
  return json.startsWith('{"redirect":') ? (JSON.parse(json) as { redirect: string }).redirect : null;
}

/** The view with its segment list (stored views have none); null if it has a list already. */
export function withSegments(json: string, segments: readonly string[]): string | null {
  const key = '"segments":[';
  const at = json.lastIndexOf(key);
  if (at < 0 || json[at + key.length] !== ']') return null;
  return `${json.slice(0, at)}"segments":${JSON.stringify(segments)}${json.slice(at + key.length + 1)}`;
}

/** The view answered for a merged-away id: `redirectedFrom` last, as the schema orders it. */
export function withRedirectedFrom(json: string, from: string): string {
  return `${json.slice(0, -1)},"redirectedFrom":${JSON.stringify(from)}}`;
}

/** Whether the view's identities list the identifier. */
export function listsIdentifier(json: string, kind: string, value: string): boolean {
  const start = json.lastIndexOf(',"identities":[');
  const end = json.lastIndexOf(',"devices":[');
  if (start < 0 || end < start) return false;
  const item = `{"type":${JSON.stringify(kind)},"value":${JSON.stringify(value)},`;
  const found = json.indexOf(item, start);
  return found >= 0 && found < end;
}
