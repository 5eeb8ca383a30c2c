import { describe, expect, it } from 'vitest';
import {
  countConditions,
  type EditorNode,
  errorsByNode,
  type GroupNode,
  nodePaths,
  ruleToTree,
  treeToRule,
  updateNode,
} from './rule-tree.ts';
import type { Json } from './vocabulary.ts';

const city = { trait: 'city', op: 'eq', value: 'Москва' };
const bought = { event: 'Order Completed', count: { op: 'gte', value: 3 }, within: { days: 30 } };
const nested: Json = {
  and: [
    city,
    { or: [bought, { not: { segment: 'seg_vip' } }] },
    { not: { and: [{ reachable: 'email' }, { rfm: { r: [4, 5] } }] } },
    { sequence: [{ event: 'Product Viewed' }, { event: null }], within: { days: 7 } },
  ],
};

describe('rule ⇄ editing tree', () => {
  it.each([
    ['a nested rule of every group', nested],
    ['a lone condition', city],
    ['a lone NOT', { not: city }],
    ['an empty group', { or: [] }],
    ['an unknown object kept as it is', { and: [{ whatever: 1 }] }],
  ])('gives %s back unchanged', (_name, rule) => {
    expect(treeToRule(ruleToTree(rule))).toEqual(rule);
  });

  it('recognises each condition kind', () => {
    const tree = ruleToTree(nested);
    const kinds: (string | null)[] = [];
    const walk = (n: EditorNode) => (n.type === 'group' ? n.children.forEach(walk) : kinds.push(n.kind));
    walk(tree);
    expect(kinds).toEqual(['trait', 'did', 'segment', 'reachable', 'rfm', 'sequence']);
    const one = ruleToTree({ trait: '$lastSeen', op: 'before', value: { days: 3 } }).children[0];
    expect(one.type === 'condition' && one.kind).toBe('builtin');
    const agg = ruleToTree({ event: null, aggregate: { fn: 'count' }, op: 'gt', value: 1 }).children[0];
    expect(agg.type === 'condition' && agg.kind).toBe('aggregate');
  });

  it('shows a lone condition inside an implicit AND that becomes real with a second rule', () => {
    const tree = ruleToTree(city);
    expect(tree).toMatchObject({ op: 'and', implicit: true, children: [{ condition: city }] });
    const two: GroupNode = { ...tree, children: [...tree.children, ...ruleToTree(bought).children] };
    expect(treeToRule(two)).toEqual({ and: [city, bought] });
  });

  it('writes a NOT of several rules as NOT of their AND', () => {
    const tree = ruleToTree({ not: city });
    const not = tree as GroupNode;
    const more: GroupNode = { ...not, children: [...not.children, ...ruleToTree(bought).children] };
    expect(treeToRule(more)).toEqual({ not: { and: [city, bought] } });
  });
});

describe('JSON paths and API errors', () => {
  it('gives each node the path the API reports', () => {
    const tree = ruleToTree(nested);
    const paths = [...nodePaths(tree).values()];
    expect(paths).toEqual([
      '/rule',
      '/rule/and/0',
      '/rule/and/1',
      '/rule/and/1/or/0',
      '/rule/and/1/or/1',
      '/rule/and/1/or/1/not',
      '/rule/and/2',
      '/rule/and/2/not',
      '/rule/and/2/not/and/0',
      '/rule/and/2/not/and/1',
      '/rule/and/3',
    ]);
    expect([...nodePaths(ruleToTree(city)).values()]).toEqual(['/rule']);
  });

  it('puts each error on the deepest node it names, with the field inside it', () => {
    const tree = ruleToTree(nested);
    const { byNode, other } = errorsByNode(tree, [
      { path: '/rule/and/1/or/0/count/op', message: 'bad op' },
      { path: '/rule/and/2/not/and/1', message: 'bad rfm' },
      { path: '/rule/and/10', message: 'outside' },
      { path: '/name', message: 'required' },
    ]);
    const ids = new Map([...nodePaths(tree)].map(([id, p]) => [p, id]));
    expect(byNode.get(ids.get('/rule/and/1/or/0')!)).toEqual([{ field: 'count/op', message: 'bad op' }]);
    expect(byNode.get(ids.get('/rule/and/2/not/and/1')!)).toEqual([{ field: '', message: 'bad rfm' }]);
    expect(byNode.get(tree.id)).toEqual([{ field: 'and/10', message: 'outside' }]);
    expect(other).toEqual([{ path: '/name', message: 'required' }]);
  });

  it('maps a lone condition’s errors to the condition, not the implicit group', () => {
    const tree = ruleToTree(city);
    const { byNode } = errorsByNode(tree, [{ path: '/rule/op', message: 'x' }]);
    expect(byNode.get(tree.children[0].id)).toEqual([{ field: 'op', message: 'x' }]);
  });
});

describe('editing', () => {
  it('replaces and removes nodes by id, keeping the rest', () => {
    const tree = ruleToTree(nested);
    const first = tree.children[0];
    const replaced = updateNode(
      tree,
      first.id,
      (n) => ({ ...n, condition: { reachable: 'sms' } }) as EditorNode,
    );
    expect((treeToRule(replaced) as { and: Json[] }).and[0]).toEqual({ reachable: 'sms' });
    expect(replaced.children[1]).toBe(tree.children[1]);
    const removed = updateNode(tree, first.id, () => null);
    expect((treeToRule(removed) as { and: Json[] }).and).toHaveLength(3);
    expect(countConditions(tree)).toBe(6);
  });
});
