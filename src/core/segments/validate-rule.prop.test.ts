import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { MAX_DEPTH } from './rule-constants.ts';
import { type Rule, RuleSchema } from './rule-schema.ts';
import { ruleArb } from './testing/arbitraries.ts';
import { validateRule } from './validate-rule.ts';

const SEGMENTS = ['seg_a', 'seg_b'];
const validRule = ruleArb({ segments: SEGMENTS, maxDepth: 4 });

/** Every node of a rule with its JSON path (groups and conditions). */
function nodes(rule: unknown, path = '/rule'): { path: string; node: Record<string, unknown> }[] {
  const node = rule as Record<string, unknown>;
  const out = [{ path, node }];
  for (const key of ['and', 'or']) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((r, i) => void out.push(...nodes(r, `${path}/${key}/${i}`)));
  }
  if ('not' in node) out.push(...nodes(node.not, `${path}/not`));
  return out;
}

/** Breaks one node in a way the validator must name; returns the path it must report. */
type Mutation = (node: Record<string, unknown>, path: string) => string | undefined;

const badName = fc
  .tuple(fc.string({ maxLength: 5 }), fc.constantFrom("'", '"', ' ', '\\', '-', '.', '😀', ';'))
  .map(([s, bad]) => `${s}${bad}`);

const mutations: fc.Arbitrary<Mutation>[] = [
  fc.constant((node, path) => {
    node.zz_unknown = 1;
    return `${path}/zz_unknown`;
  }),
  badName.map((name) => (node, path) => {
    if (typeof node.trait !== 'string' || node.trait.startsWith('$')) return undefined;
    node.trait = name;
    return `${path}/trait`;
  }),
  fc.constantFrom('like', 'EQ', '', 5, null).map((op) => (node, path) => {
    if (!('op' in node)) return undefined;
    node.op = op;
    return `${path}/op`;
  }),
  fc.constantFrom('', 7, 'x'.repeat(201), ['a']).map((event) => (node, path) => {
    if (!('event' in node)) return undefined;
    node.event = event;
    return `${path}/event`;
  }),
  fc.constant((node, path) => {
    if (!('aggregate' in node)) return undefined;
    node.aggregate = { fn: 'median', property: 'revenue' };
    return `${path}/aggregate/fn`;
  }),
  fc.constant((node, path) => {
    if (!('sequence' in node)) return undefined;
    node.sequence = [];
    return `${path}/sequence`;
  }),
  fc.constantFrom('vip', { r: [0, 9] }).map((rfm) => (node, path) => {
    if (!('rfm' in node)) return undefined;
    node.rfm = rfm;
    return typeof rfm === 'string' ? `${path}/rfm` : `${path}/rfm/r`;
  }),
  fc.constant((node, path) => {
    if (!('reachable' in node)) return undefined;
    node.reachable = 'fax';
    return `${path}/reachable`;
  }),
  fc.constant((node, path) => {
    if (!('within' in node)) return undefined;
    node.within = { weeks: 2 };
    return `${path}/within`;
  }),
];

describe('validateRule properties', () => {
  it('accepts every valid rule unchanged, and so does the OpenAPI schema', () => {
    fc.assert(
      fc.property(validRule, (rule) => {
        expect(validateRule(structuredClone(rule))).toEqual(rule);
        expect(Value.Check(RuleSchema, rule)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('reports a broken node at its path', () => {
    fc.assert(
      fc.property(validRule, fc.nat(), fc.oneof(...mutations), (rule, pick, mutate) => {
        const broken = structuredClone(rule);
        const all = nodes(broken);
        const { node, path } = all[pick % all.length];
        const expected = mutate(node, path);
        fc.pre(expected !== undefined);
        let error: unknown;
        try {
          validateRule(broken);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).details.map((d) => d.path)).toContain(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('reports a node that is not a rule object at its path', () => {
    fc.assert(
      fc.property(
        validRule,
        fc.nat(),
        fc.constantFrom(null, 5, 'city', [], [{ trait: 'a', op: 'exists' }]),
        (rule, pick, junk) => {
          const all = nodes(rule);
          const { path } = all[pick % all.length];
          const broken = path === '/rule' ? junk : replaceAt(structuredClone(rule), path, junk);
          expect(() => validateRule(broken)).toThrow(ValidationError);
          try {
            validateRule(broken);
          } catch (e) {
            expect((e as ValidationError).details.map((d) => d.path)).toEqual([path]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it(`reports nesting deeper than ${MAX_DEPTH} below the ${MAX_DEPTH}th level`, () => {
    fc.assert(
      fc.property(validRule, (rule) => {
        let deep: unknown = rule;
        for (let i = 0; i < MAX_DEPTH; i++) deep = { not: deep };
        const paths = errorsOf(deep).map((d) => d.path);
        expect(paths.length).toBeGreaterThan(0);
        for (const p of paths) expect(p.startsWith(`/rule${'/not'.repeat(MAX_DEPTH)}`)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('never crashes on arbitrary input: a rule or a ValidationError with /rule paths', () => {
    const keys = [
      'and',
      'or',
      'not',
      'trait',
      'op',
      'value',
      'event',
      'count',
      'within',
      'where',
      'property',
      'aggregate',
      'fn',
      'sequence',
      'rfm',
      'r',
      'segment',
      'reachable',
      'days',
      'from',
      'to',
    ];
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 2 }),
        fc.dictionary(fc.constantFrom(...keys), tie('tree'), { maxKeys: 4 }),
        fc.array(tie('tree'), { maxLength: 3 }),
      ),
    }));
    fc.assert(
      fc.property(fc.oneof(tree, fc.anything()), (input) => {
        try {
          validateRule(input);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          const details = (e as ValidationError).details;
          expect(details.length).toBeGreaterThan(0);
          for (const d of details) expect(d.path.startsWith('/rule')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

function errorsOf(input: unknown) {
  try {
    validateRule(input);
  } catch (e) {
    if (e instanceof ValidationError) return e.details;
    throw e;
  }
  return [];
}

function replaceAt(rule: Rule, path: string, value: unknown): Rule {
  const keys = path.split('/').slice(2);
  let parent: Record<string, unknown> = rule as never;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  parent[keys[keys.length - 1]] = value;
  return rule;
}
