/**
 * The visual segment rule builder: AND / OR / NOT groups nested to any depth, an editor for every
 * condition kind, a JSON tab on the same rule, and the API's validation errors beside the node
 * they name. The pure parts live in rule-tree.ts and vocabulary.ts.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  JsonInput,
  Menu,
  Paper,
  SegmentedControl,
  Stack,
  Tabs,
  Text,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorDetail } from '../../api/client.ts';
import { ConditionEditor } from './condition-editor.tsx';
import {
  type ConditionNode,
  type EditorNode,
  emptyTree,
  errorsByNode,
  type GroupNode,
  type GroupOp,
  type NodeError,
  nextId,
  ruleToTree,
  treeToRule,
  updateNode,
} from './rule-tree.ts';
import { conditionKind, type Json, NEW_CONDITIONS, type NewCondition, newCondition } from './vocabulary.ts';

interface Ctx {
  errors: Map<string, NodeError[]>;
  update: (id: string, fn: (n: EditorNode) => EditorNode | null) => void;
  selfId?: string;
}

/** The menu label of a condition: did with count = 0 reads as "did not". */
function labelKind(n: ConditionNode): NewCondition | 'unknown' {
  if (n.kind === null) return 'unknown';
  const c = n.condition as { count?: { op?: string; value?: unknown } };
  if (n.kind === 'did' && c.count?.op === 'eq' && c.count.value === 0) return 'didNot';
  return n.kind;
}

function Errors({ errors }: { errors: NodeError[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <Stack gap={0}>
      {errors.map((e) => (
        <Text key={`${e.field}:${e.message}`} size="xs" c="red" data-testid="condition-error">
          {e.field ? <code>{e.field}</code> : null}
          {e.field ? ' — ' : ''}
          {e.message}
        </Text>
      ))}
    </Stack>
  );
}

function ConditionCard({ node, ctx }: { node: ConditionNode; ctx: Ctx }) {
  const { t } = useTranslation();
  const errors = ctx.errors.get(node.id);
  return (
    <Paper
      withBorder
      p="xs"
      style={errors ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
      data-testid={`condition-${node.kind ?? 'unknown'}`}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Badge variant="light" size="sm">
            {t(`ruleBuilder.kinds.${labelKind(node)}`)}
          </Badge>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('ruleBuilder.remove')}
            onClick={() => ctx.update(node.id, () => null)}
            data-testid="remove-condition"
          >
            ✕
          </ActionIcon>
        </Group>
        <ConditionEditor
          kind={node.kind}
          cond={node.condition}
          selfId={ctx.selfId}
          onChange={(c) =>
            ctx.update(node.id, (n) => ({ ...(n as ConditionNode), condition: c, kind: conditionKind(c) }))
          }
        />
        <Errors errors={errors} />
      </Stack>
    </Paper>
  );
}

function GroupEditor({ node, ctx, root }: { node: GroupNode; ctx: Ctx; root?: boolean }) {
  const { t } = useTranslation();
  const add = (child: EditorNode) =>
    ctx.update(node.id, (n) => ({
      ...(n as GroupNode),
      implicit: false,
      children: [...(n as GroupNode).children, child],
    }));
  return (
    <Paper withBorder p="xs" bg={root ? undefined : 'var(--mantine-color-gray-0)'} data-testid="rule-group">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              data={(['and', 'or', 'not'] as const).map((op) => ({
                value: op,
                label: t(`ruleBuilder.groups.${op}`),
              }))}
              value={node.op}
              onChange={(op) =>
                ctx.update(node.id, (n) => ({ ...(n as GroupNode), op: op as GroupOp, implicit: false }))
              }
              data-testid="group-op"
            />
            <Text size="xs" c="dimmed">
              {t(`ruleBuilder.groupHints.${node.op}`)}
            </Text>
          </Group>
          <Group gap={4}>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button size="compact-xs" variant="light" data-testid="add-condition">
                  + {t('ruleBuilder.addCondition')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {NEW_CONDITIONS.map((kind) => (
                  <Menu.Item
                    key={kind}
                    onClick={() => {
                      const condition = newCondition(kind);
                      add({ id: nextId(), type: 'condition', kind: conditionKind(condition), condition });
                    }}
                    data-testid={`add-${kind}`}
                  >
                    {t(`ruleBuilder.kinds.${kind}`)}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => add({ ...emptyTree(), op: 'or' })}
              data-testid="add-group"
            >
              + {t('ruleBuilder.addGroup')}
            </Button>
            {!root && (
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={t('ruleBuilder.remove')}
                onClick={() => ctx.update(node.id, () => null)}
                data-testid="remove-group"
              >
                ✕
              </ActionIcon>
            )}
          </Group>
        </Group>
        <Errors errors={node.implicit && node.children.length === 1 ? undefined : ctx.errors.get(node.id)} />
        {node.children.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('ruleBuilder.emptyGroup')}
          </Text>
        )}
        {node.children.map((child) =>
          child.type === 'group' ? (
            <GroupEditor key={child.id} node={child} ctx={ctx} />
          ) : (
            <ConditionCard key={child.id} node={child} ctx={ctx} />
          ),
        )}
      </Stack>
    </Paper>
  );
}

function JsonTab({ rule, onChange }: { rule: Json; onChange: (r: Json) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => JSON.stringify(rule, null, 2));
  const [bad, setBad] = useState(false);
  return (
    <JsonInput
      autosize
      minRows={8}
      maxRows={30}
      formatOnBlur
      aria-label={t('ruleBuilder.json')}
      value={text}
      error={bad ? t('ruleBuilder.invalidJson') : undefined}
      onChange={(v) => {
        setText(v);
        try {
          const parsed = JSON.parse(v) as Json;
          setBad(false);
          onChange(parsed);
        } catch {
          setBad(true);
        }
      }}
      data-testid="rule-json"
    />
  );
}

/** Edits a rule; `onChange` gets the rule JSON after every edit. `errors`: the API's details. */
export function RuleBuilder({
  initial,
  onChange,
  errors = [],
  selfId,
}: {
  initial: Json | null;
  onChange: (rule: Json) => void;
  errors?: readonly ErrorDetail[];
  selfId?: string;
}) {
  const { t } = useTranslation();
  const [tree, setTree] = useState<GroupNode>(() => ruleToTree(initial));
  const [tab, setTab] = useState<string | null>('visual');
  const byNode = useMemo(() => errorsByNode(tree, errors).byNode, [tree, errors]);
  const change = (next: GroupNode) => {
    setTree(next);
    onChange(treeToRule(next));
  };
  const ctx: Ctx = { errors: byNode, update: (id, fn) => change(updateNode(tree, id, fn)), selfId };
  return (
    <Tabs value={tab} onChange={setTab} keepMounted={false} data-testid="rule-builder">
      <Tabs.List>
        <Tabs.Tab value="visual" data-testid="tab-visual">
          {t('ruleBuilder.visual')}
        </Tabs.Tab>
        <Tabs.Tab value="json" data-testid="tab-json">
          {t('ruleBuilder.json')}
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="visual" pt="xs">
        <GroupEditor node={tree} ctx={ctx} root />
      </Tabs.Panel>
      <Tabs.Panel value="json" pt="xs">
        <JsonTab
          rule={treeToRule(tree)}
          onChange={(r) => {
            setTree(ruleToTree(r));
            onChange(r);
          }}
        />
        {errors.length > 0 && (
          <Stack gap={0} mt={4}>
            {errors.map((e) => (
              <Text key={`${e.path}:${e.message}`} size="xs" c="red" data-testid="json-error">
                <code>{e.path}</code> — {e.message}
              </Text>
            ))}
          </Stack>
        )}
      </Tabs.Panel>
    </Tabs>
  );
}
