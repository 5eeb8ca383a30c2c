import { ValidationError } from '../errors.ts';
import { BUILTIN_TRAITS, KIND_KEYS, MAX_DEPTH } from './rule-constants.ts';
import type { Rule } from './rule-schema.ts';
import {
  checkAggregate,
  checkBuiltin,
  checkDid,
  checkReachable,
  checkRfm,
  checkSegment,
  checkSequence,
  checkTrait,
} from './validation/conditions.ts';
import { at, describe, isObject, type Obj, Problems } from './validation/problems.ts';

/**
 * Checks untrusted JSON against the rule language and returns it typed. Every problem is
 * reported with its JSON path (e.g. `/rule/and/0/op`) in one `ValidationError`.
 */
export function validateRule(input: unknown, basePath = '/rule'): Rule {
  const p = new Problems();
  const rule = checkNode(input, basePath, 1, p);
  if (p.details.length > 0 || rule === undefined) {
    const first = p.details[0] ?? { path: basePath, message: 'invalid rule' };
    const more = p.details.length > 1 ? ` (and ${p.details.length - 1} more)` : '';
    throw new ValidationError(`Invalid segment rule: ${first.path}: ${first.message}${more}`, p.details);
  }
  return rule;
}

function checkGroupList(v: unknown, path: string, depth: number, p: Problems): Rule[] | undefined {
  if (!Array.isArray(v)) return p.add(path, `must be a list of rules, got ${describe(v)}`);
  if (v.length === 0) return p.add(path, 'must hold at least one rule');
  const out = v.map((child, i) => checkNode(child, at(path, i), depth + 1, p));
  return out.every((r) => r !== undefined) ? (out as Rule[]) : undefined;
}

function checkSoleKey(obj: Obj, key: string, path: string, p: Problems): void {
  for (const other of Object.keys(obj)) {
    if (other !== key) p.add(at(path, other), `unknown key "${other}"; a "${key}" group has no other keys`);
  }
}

function checkNode(v: unknown, path: string, depth: number, p: Problems): Rule | undefined {
  if (!isObject(v)) return p.add(path, `must be a rule object (a group or a condition), got ${describe(v)}`);
  if (depth > MAX_DEPTH) return p.add(path, `rule nests deeper than ${MAX_DEPTH} levels`);
  const kind = KIND_KEYS.find((k) => k in v);
  switch (kind) {
    case 'and':
    case 'or': {
      checkSoleKey(v, kind, path, p);
      const rules = checkGroupList(v[kind], at(path, kind), depth, p);
      if (!rules) return undefined;
      return kind === 'and' ? { and: rules } : { or: rules };
    }
    case 'not': {
      checkSoleKey(v, kind, path, p);
      const rule = checkNode(v.not, at(path, 'not'), depth + 1, p);
      return rule && { not: rule };
    }
    case undefined:
      if ('aggregate' in v) return p.add(at(path, 'event'), 'is required (null means any event)');
      return p.add(path, `must be a group or a condition: expected one of the keys ${KIND_KEYS.join(', ')}`);
    default:
      p.countCondition(path);
      return checkCondition(kind, v, path, p);
  }
}

function checkCondition(
  kind: (typeof KIND_KEYS)[number],
  v: Obj,
  path: string,
  p: Problems,
): Rule | undefined {
  switch (kind) {
    case 'trait':
      return (BUILTIN_TRAITS as readonly unknown[]).includes(v.trait)
        ? checkBuiltin(v, path, p)
        : checkTrait(v, path, p);
    case 'event':
      return 'aggregate' in v ? checkAggregate(v, path, p) : checkDid(v, path, p);
    case 'sequence':
      return checkSequence(v, path, p);
    case 'rfm':
      return checkRfm(v, path, p);
    case 'segment':
      return checkSegment(v, path, p);
    case 'reachable':
      return checkReachable(v, path, p);
    default:
      return p.add(path, `"${kind}" is a group, not a condition`);
  }
}
