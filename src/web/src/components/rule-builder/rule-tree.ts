/**
 * The builder's editing tree and the rule JSON, both ways. Groups get ids so React can track
 * them; conditions keep their JSON object as is, so `treeToRule(ruleToTree(r))` gives `r` back.
 * A lone condition at the root is shown inside an implicit AND group that writes back as the bare
 * condition. API validation errors (`details[].path` like `/rule/and/0/op`) are mapped to the node
 * they name.
 */
import { type ConditionKind, conditionKind, type Json, type JsonObject } from './vocabulary.ts';

export type GroupOp = 'and' | 'or' | 'not';

export interface GroupNode {
  id: string;
  type: 'group';
  op: GroupOp;
  children: EditorNode[];
  /** The root around a lone condition: written back as that condition while it is alone. */
  implicit?: boolean;
}

export interface ConditionNode {
  id: string;
  type: 'condition';
  /** null: not a condition the builder knows (edited as raw JSON; the API names the problem). */
  kind: ConditionKind | null;
  condition: Json;
}

export type EditorNode = GroupNode | ConditionNode;

let counter = 0;
export const nextId = (): string => `n${++counter}`;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function groupOf(v: unknown): { op: GroupOp; rules: Json[] } | null {
  if (!isObject(v)) return null;
  for (const op of ['and', 'or'] as const) if (op in v && Array.isArray(v[op])) return { op, rules: v[op] };
  if ('not' in v && Object.keys(v).length === 1) return { op: 'not', rules: [v.not] };
  return null;
}

function toNode(rule: Json): EditorNode {
  const g = groupOf(rule);
  if (g) return { id: nextId(), type: 'group', op: g.op, children: g.rules.map(toNode) };
  return { id: nextId(), type: 'condition', kind: conditionKind(rule), condition: rule };
}

/** A rule as an editing tree whose root is always a group. `null` gives an empty AND group. */
export function ruleToTree(rule: Json | undefined): GroupNode {
  if (rule === null || rule === undefined) return emptyTree();
  const node = toNode(rule);
  if (node.type === 'group') return node;
  return { id: nextId(), type: 'group', op: 'and', children: [node], implicit: true };
}

export function emptyTree(): GroupNode {
  return { id: nextId(), type: 'group', op: 'and', children: [] };
}

/** The rule of a tree. A NOT holding several rules negates their AND. */
export function treeToRule(node: EditorNode): Json {
  if (node.type === 'condition') return node.condition;
  if (node.implicit && node.children.length === 1) return treeToRule(node.children[0]);
  const rules = node.children.map(treeToRule);
  if (node.op === 'not') return { not: rules.length === 1 ? rules[0] : { and: rules } };
  return { [node.op]: rules };
}

/** The JSON path (`/rule/and/0`) of every node of the tree. */
export function nodePaths(root: GroupNode, base = '/rule'): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (node: EditorNode, path: string) => {
    // A lone condition in the implicit root owns the root's path.
    if (node.type === 'group' && node.implicit && node.children.length === 1)
      return walk(node.children[0], path);
    out.set(node.id, path);
    if (node.type !== 'group') return;
    node.children.forEach((child, i) => {
      const childPath =
        node.op !== 'not'
          ? `${path}/${node.op}/${i}`
          : node.children.length === 1
            ? `${path}/not`
            : `${path}/not/and/${i}`;
      walk(child, childPath);
    });
  };
  walk(root, base);
  return out;
}

export interface NodeError {
  /** The rest of the path inside the node (`op`, `count/value`), '' for the node itself. */
  field: string;
  message: string;
}

/**
 * Errors by the node they point into (the deepest node whose path is a prefix); details that
 * name no node of the tree (another field of the request) come back in `other`.
 */
export function errorsByNode(
  root: GroupNode,
  details: readonly { path: string; message: string }[],
  base = '/rule',
): { byNode: Map<string, NodeError[]>; other: { path: string; message: string }[] } {
  const paths = [...nodePaths(root, base)].sort((a, b) => b[1].length - a[1].length);
  const byNode = new Map<string, NodeError[]>();
  const other: { path: string; message: string }[] = [];
  for (const d of details) {
    const hit = paths.find(([, p]) => d.path === p || d.path.startsWith(`${p}/`));
    if (!hit) {
      other.push(d);
      continue;
    }
    const [id, p] = hit;
    const list = byNode.get(id) ?? [];
    list.push({ field: d.path.slice(p.length + 1), message: d.message });
    byNode.set(id, list);
  }
  return { byNode, other };
}

/** The tree with `fn` applied to the node `id` (returning null removes it). */
export function updateNode(
  root: GroupNode,
  id: string,
  fn: (node: EditorNode) => EditorNode | null,
): GroupNode {
  const visit = (node: EditorNode): EditorNode | null => {
    if (node.id === id) return fn(node);
    if (node.type !== 'group') return node;
    const children = node.children.map(visit).filter((c): c is EditorNode => c !== null);
    return children.length === node.children.length && children.every((c, i) => c === node.children[i])
      ? node
      : { ...node, children };
  };
  return (visit(root) as GroupNode | null) ?? emptyTree();
}

/** How many conditions the tree holds (the compiler allows 200). */
export function countConditions(node: EditorNode): number {
  return node.type === 'condition' ? 1 : node.children.reduce((n, c) => n + countConditions(c), 0);
}
