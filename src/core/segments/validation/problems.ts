import type { ErrorDetail } from '../../errors.ts';
import { MAX_CONDITIONS } from '../rule-constants.ts';

/** Collects every problem of one rule with its JSON path, so a 400 lists them all at once. */
export class Problems {
  readonly details: ErrorDetail[] = [];
  /** Leaf conditions and property filters seen so far (limit: MAX_CONDITIONS). */
  conditions = 0;

  add(path: string, message: string): undefined {
    this.details.push({ path, message });
    return undefined;
  }

  /** Counts one condition; the first one beyond the limit is reported at its path. */
  countCondition(path: string): void {
    this.conditions += 1;
    if (this.conditions === MAX_CONDITIONS + 1) {
      this.add(path, `the rule has more than ${MAX_CONDITIONS} conditions`);
    }
  }
}

/** JSON pointer of `key` under `path` (RFC 6901 escaping). */
export function at(path: string, key: string | number): string {
  return `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reports every key of `obj` outside `allowed`. Returns false when one was found. */
export function checkKeys(obj: Obj, allowed: readonly string[], path: string, p: Problems): boolean {
  let ok = true;
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      p.add(at(path, key), `unknown key "${key}"; allowed here: ${allowed.join(', ')}`);
      ok = false;
    }
  }
  return ok;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
