import { MAX_IN_VALUES, VALUE_OPS } from '../rule-constants.ts';
import type { PropertyFilter, Scalar, ValuePredicate } from '../rule-schema.ts';
import { at, checkKeys, describe, isObject, type Obj, type Problems } from './problems.ts';
import { checkName, checkNumber, checkRange, checkRelative, checkString, checkTimePoint } from './values.ts';

function checkScalar(v: unknown, path: string, p: Problems): Scalar | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return checkNumber(v, path, p);
  if (typeof v === 'string') return checkString(v, path, p);
  return p.add(path, `must be a string, number or boolean, got ${describe(v)}`);
}

export function checkList<T>(
  v: unknown,
  path: string,
  p: Problems,
  item: (x: unknown, path: string, p: Problems) => T | undefined,
): T[] | undefined {
  if (!Array.isArray(v)) return p.add(path, `must be a list of values, got ${describe(v)}`);
  if (v.length === 0) return p.add(path, 'list must not be empty');
  if (v.length > MAX_IN_VALUES) return p.add(path, `list longer than ${MAX_IN_VALUES} values`);
  const before = p.details.length;
  const out = v.map((x, i) => item(x, at(path, i), p));
  return p.details.length === before ? (out as T[]) : undefined;
}

/**
 * `{op, value}` of a trait or property. `ops` narrows the operators allowed here. The value must
 * have the type the operator needs; exists/not_exists take none.
 */
export function checkValuePredicate(
  obj: Obj,
  path: string,
  p: Problems,
  ops: readonly string[] = VALUE_OPS,
): ValuePredicate | undefined {
  const { op, value } = obj;
  const opPath = at(path, 'op');
  const valuePath = at(path, 'value');
  if (typeof op !== 'string' || !(VALUE_OPS as readonly string[]).includes(op)) {
    return p.add(opPath, `must be one of ${ops.join(', ')}`);
  }
  if (!ops.includes(op))
    return p.add(opPath, `operator "${op}" is not allowed here; use one of ${ops.join(', ')}`);
  switch (op) {
    case 'exists':
    case 'not_exists':
      return 'value' in obj ? p.add(valuePath, `${op} takes no value`) : { op };
    case 'eq':
    case 'neq': {
      if (value === null)
        return p.add(valuePath, `${op} needs a string, number or boolean (for null use not_exists)`);
      const v = checkScalar(value, valuePath, p);
      return v === undefined ? undefined : { op, value: v };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof value !== 'number') return p.add(valuePath, `${op} needs a number, got ${describe(value)}`);
      const v = checkNumber(value, valuePath, p);
      return v === undefined ? undefined : { op, value: v };
    }
    case 'between': {
      const v = checkRange(value, valuePath, p, { numbers: true, dates: true });
      return v === undefined ? undefined : { op, value: v };
    }
    case 'in':
    case 'not_in': {
      const v = checkList(value, valuePath, p, checkScalar);
      return v === undefined ? undefined : { op, value: v };
    }
    case 'contains':
    case 'not_contains':
    case 'starts_with':
    case 'ends_with': {
      const v = checkString(value, valuePath, p, `a string for ${op}`);
      return v === undefined ? undefined : { op, value: v };
    }
    case 'before':
    case 'after': {
      const v = checkTimePoint(value, valuePath, p);
      return v === undefined ? undefined : { op, value: v };
    }
    case 'within_last': {
      const v = checkRelative(value, valuePath, p);
      return v === undefined ? undefined : { op, value: v };
    }
  }
  return p.add(opPath, `unsupported operator "${op}"`);
}

/** `where`: a list of property filters, all of which must hold. */
export function checkWhere(v: unknown, path: string, p: Problems): PropertyFilter[] | undefined {
  if (!Array.isArray(v)) return p.add(path, `must be a list of property filters, got ${describe(v)}`);
  const before = p.details.length;
  const out: PropertyFilter[] = [];
  for (const [i, item] of v.entries()) {
    const itemPath = at(path, i);
    p.countCondition(itemPath);
    if (!isObject(item)) {
      p.add(itemPath, 'must be {"property", "op", "value"}');
      continue;
    }
    checkKeys(item, ['property', 'op', 'value'], itemPath, p);
    const property = checkName(item.property, at(itemPath, 'property'), p);
    const pred = checkValuePredicate(item, itemPath, p);
    if (property !== undefined && pred) out.push({ property, ...pred });
  }
  return p.details.length === before ? out : undefined;
}
