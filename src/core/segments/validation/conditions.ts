import { isRfmCellName, RFM_CELL_NAMES, type ScoreRange } from '../rfm-cells.ts';
import {
  AGGREGATE_FNS,
  type AggregateFn,
  CHANNELS,
  type Channel,
  IDENTIFIER_OPS,
  IDENTIFIER_TYPE_PATTERN,
  MAX_SEQUENCE_STEPS,
  SEGMENT_ID_PATTERN,
  TIME_BUILTIN_OPS,
} from '../rule-constants.ts';
import type {
  AggregateCondition,
  BuiltinCondition,
  DidCondition,
  ReachableCondition,
  RfmCondition,
  RfmScores,
  SegmentCondition,
  SequenceCondition,
  SequenceStep,
  TraitCondition,
} from '../rule-schema.ts';
import { checkValuePredicate, checkWhere } from './predicate.ts';
import { at, checkKeys, describe, isObject, type Obj, type Problems } from './problems.ts';
import { checkEventName, checkName, checkNumberPredicate, checkRange, checkWindow } from './values.ts';

/** Checks the optional field `key` of `obj`: ok is false only when it is present and invalid. */
function optional<T>(
  obj: Obj,
  key: string,
  path: string,
  p: Problems,
  check: (v: unknown, path: string, p: Problems) => T | undefined,
) {
  if (!(key in obj)) return { ok: true as const, value: undefined };
  const value = check(obj[key], at(path, key), p);
  return value === undefined ? { ok: false as const, value } : { ok: true as const, value };
}

export function checkTrait(obj: Obj, path: string, p: Problems): TraitCondition | undefined {
  checkKeys(obj, ['trait', 'op', 'value'], path, p);
  const trait = checkName(obj.trait, at(path, 'trait'), p);
  const pred = checkValuePredicate(obj, path, p);
  return trait !== undefined && pred ? { trait, ...pred } : undefined;
}

export function checkBuiltin(obj: Obj, path: string, p: Problems): BuiltinCondition | undefined {
  checkKeys(obj, ['trait', 'op', 'value'], path, p);
  const trait = obj.trait as BuiltinCondition['trait'];
  if (trait === '$eventCount') {
    const pred = checkNumberPredicate(obj, path, p, true);
    return pred && { trait, ...pred };
  }
  if (trait === '$identifiers') {
    const pred = checkValuePredicate(obj, path, p, IDENTIFIER_OPS);
    if (!pred) return undefined;
    const values = 'value' in pred ? (Array.isArray(pred.value) ? pred.value : [pred.value]) : [];
    const bad = values.findIndex((v) => typeof v !== 'string' || !IDENTIFIER_TYPE_PATTERN.test(v));
    if (bad >= 0) {
      const valuePath = Array.isArray(obj.value) ? at(at(path, 'value'), bad) : at(path, 'value');
      return p.add(valuePath, 'must be an identifier type such as "email" or "phone"');
    }
    return { trait, ...pred } as BuiltinCondition;
  }
  if (obj.op === 'between') {
    const range = checkRange(obj.value, at(path, 'value'), p, { numbers: false, dates: true });
    return range && { trait, op: 'between', value: range as [string, string] };
  }
  const pred = checkValuePredicate(obj, path, p, TIME_BUILTIN_OPS);
  return pred && ({ trait, ...pred } as BuiltinCondition);
}

export function checkDid(obj: Obj, path: string, p: Problems): DidCondition | undefined {
  checkKeys(obj, ['event', 'count', 'within', 'where'], path, p);
  const event = checkEventName(obj.event, at(path, 'event'), p);
  const count = optional(obj, 'count', path, p, (v, countPath) => {
    if (!isObject(v)) return p.add(countPath, 'must be {"op", "value"}');
    checkKeys(v, ['op', 'value'], countPath, p);
    return checkNumberPredicate(v, countPath, p, true);
  });
  const within = optional(obj, 'within', path, p, checkWindow);
  const where = optional(obj, 'where', path, p, checkWhere);
  if (event === undefined || !count.ok || !within.ok || !where.ok) return undefined;
  return {
    event,
    ...(count.value && { count: count.value }),
    ...(within.value && { within: within.value }),
    ...(where.value && { where: where.value }),
  };
}

export function checkAggregate(obj: Obj, path: string, p: Problems): AggregateCondition | undefined {
  checkKeys(obj, ['event', 'aggregate', 'op', 'value', 'within', 'where'], path, p);
  const event = checkEventName(obj.event, at(path, 'event'), p);
  const aggPath = at(path, 'aggregate');
  let aggregate: AggregateCondition['aggregate'] | undefined;
  if (!isObject(obj.aggregate)) {
    p.add(aggPath, 'must be {"fn", "property"}');
  } else {
    const agg = obj.aggregate;
    checkKeys(agg, ['fn', 'property'], aggPath, p);
    const fn = agg.fn;
    if (typeof fn !== 'string' || !(AGGREGATE_FNS as readonly string[]).includes(fn)) {
      p.add(at(aggPath, 'fn'), `must be one of ${AGGREGATE_FNS.join(', ')}`);
    } else if (agg.property === undefined && fn !== 'count') {
      p.add(at(aggPath, 'property'), `${fn} needs a property`);
    } else {
      const property = 'property' in agg ? checkName(agg.property, at(aggPath, 'property'), p) : undefined;
      if (property !== undefined || !('property' in agg)) {
        aggregate = { fn: fn as AggregateFn, ...(property !== undefined && { property }) };
      }
    }
  }
  const pred = checkNumberPredicate(obj, path, p, false);
  const within = optional(obj, 'within', path, p, checkWindow);
  const where = optional(obj, 'where', path, p, checkWhere);
  if (event === undefined || !aggregate || !pred || !within.ok || !where.ok) return undefined;
  return {
    event,
    aggregate,
    ...pred,
    ...(within.value && { within: within.value }),
    ...(where.value && { where: where.value }),
  };
}

function checkStep(v: unknown, path: string, p: Problems): SequenceStep | undefined {
  if (!isObject(v)) return p.add(path, 'must be {"event", "where"}');
  checkKeys(v, ['event', 'where'], path, p);
  if (!('event' in v)) return p.add(at(path, 'event'), 'is required (null means any event)');
  const event = checkEventName(v.event, at(path, 'event'), p);
  const where = optional(v, 'where', path, p, checkWhere);
  if (event === undefined || !where.ok) return undefined;
  return { event, ...(where.value && { where: where.value }) };
}

export function checkSequence(obj: Obj, path: string, p: Problems): SequenceCondition | undefined {
  checkKeys(obj, ['sequence', 'within'], path, p);
  const stepsPath = at(path, 'sequence');
  const raw = obj.sequence;
  let steps: SequenceStep[] | undefined;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_SEQUENCE_STEPS) {
    p.add(stepsPath, `must be a list of 1 to ${MAX_SEQUENCE_STEPS} steps`);
  } else {
    const checked = raw.map((step, i) => checkStep(step, at(stepsPath, i), p));
    if (checked.every((s) => s !== undefined)) steps = checked as SequenceStep[];
  }
  const within = optional(obj, 'within', path, p, checkWindow);
  if (!steps || !within.ok) return undefined;
  return { sequence: steps, ...(within.value && { within: within.value }) };
}

function checkScore(v: unknown, path: string, p: Problems): ScoreRange | undefined {
  const isScore = (x: unknown) => Number.isInteger(x) && (x as number) >= 1 && (x as number) <= 5;
  if (!Array.isArray(v) || v.length !== 2 || !isScore(v[0]) || !isScore(v[1])) {
    return p.add(path, 'must be [low, high] with whole scores from 1 to 5');
  }
  if (v[0] > v[1]) return p.add(path, 'low is greater than high');
  return [v[0], v[1]];
}

export function checkRfm(obj: Obj, path: string, p: Problems): RfmCondition | undefined {
  checkKeys(obj, ['rfm'], path, p);
  const rfmPath = at(path, 'rfm');
  const v = obj.rfm;
  if (typeof v === 'string') {
    if (isRfmCellName(v)) return { rfm: v };
    return p.add(rfmPath, `unknown RFM cell; use one of ${RFM_CELL_NAMES.join(', ')}`);
  }
  if (!isObject(v))
    return p.add(rfmPath, `must be {"r","f","m"} score ranges or a cell name, got ${describe(v)}`);
  checkKeys(v, ['r', 'f', 'm'], rfmPath, p);
  const scores: RfmScores = {};
  let ok = true;
  for (const key of ['r', 'f', 'm'] as const) {
    if (!(key in v)) continue;
    const range = checkScore(v[key], at(rfmPath, key), p);
    if (range) scores[key] = range;
    else ok = false;
  }
  if (Object.keys(v).length === 0) return p.add(rfmPath, 'needs at least one of r, f, m');
  return ok ? { rfm: scores } : undefined;
}

export function checkSegment(obj: Obj, path: string, p: Problems): SegmentCondition | undefined {
  checkKeys(obj, ['segment'], path, p);
  const id = obj.segment;
  if (typeof id !== 'string' || !SEGMENT_ID_PATTERN.test(id)) {
    return p.add(at(path, 'segment'), 'must be a segment id such as "seg_…"');
  }
  return { segment: id };
}

export function checkReachable(obj: Obj, path: string, p: Problems): ReachableCondition | undefined {
  checkKeys(obj, ['reachable'], path, p);
  const channel = obj.reachable;
  if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) {
    return p.add(at(path, 'reachable'), `must be one of ${CHANNELS.join(', ')}`);
  }
  return { reachable: channel as Channel };
}
