import { Button, Checkbox, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addKind,
  type IdentityForm,
  KIND_PATTERN,
  move,
  type RuleRow,
  removeKind,
  updateRule,
} from './settings-form.ts';
import { MoveButtons } from './source-order.tsx';

// The identity rules form's identifier kinds table.

export interface FieldProps {
  form: IdentityForm;
  onChange: (f: IdentityForm) => void;
  errors: Record<string, string>;
  readOnly: boolean;
}

function kindLabel(t: (k: string, o?: Record<string, unknown>) => string, kind: string) {
  return t(`identifiers.${kind}`, { defaultValue: kind });
}

function RuleCells({
  rule,
  path,
  errors,
  readOnly,
  onChange,
  testId,
}: {
  rule: Omit<RuleRow, 'kind'>;
  path: string;
  errors: Record<string, string>;
  readOnly: boolean;
  onChange: (patch: Partial<RuleRow>) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Table.Td>
        <Checkbox
          aria-label={t('identityRules.identifies')}
          checked={rule.identifies}
          disabled={readOnly}
          onChange={(e) => onChange({ identifies: e.currentTarget.checked })}
          error={errors[`${path}/identifies`]}
          data-testid={`${testId}-identifies`}
        />
      </Table.Td>
      <Table.Td>
        <NumberInput
          aria-label={t('identityRules.maxValues')}
          value={rule.maxValues}
          min={1}
          max={10_000}
          allowDecimal={false}
          w={110}
          size="xs"
          readOnly={readOnly}
          onChange={(v) => onChange({ maxValues: v })}
          error={errors[`${path}/maxValues`]}
          data-testid={`${testId}-max`}
        />
      </Table.Td>
      <Table.Td>
        <Checkbox
          aria-label={t('identityRules.shareable')}
          checked={rule.shareable}
          disabled={readOnly}
          onChange={(e) => onChange({ shareable: e.currentTarget.checked })}
          error={errors[`${path}/shareable`]}
          data-testid={`${testId}-shareable`}
        />
      </Table.Td>
    </>
  );
}

/** The kinds in priority order, each with identifies / limit / shareable, plus other external ids. */
export function IdentifierRules({ form, onChange, errors, readOnly }: FieldProps) {
  const { t } = useTranslation();
  const [newKind, setNewKind] = useState('');
  const kindOk =
    KIND_PATTERN.test(newKind.trim()) && !form.identifiers.some((r) => r.kind === newKind.trim());
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={560}>
        <Table data-testid="identity-kinds" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('identityRules.priority')}</Table.Th>
              <Table.Th>{t('identityRules.kind')}</Table.Th>
              <Table.Th>{t('identityRules.identifies')}</Table.Th>
              <Table.Th>{t('identityRules.maxValues')}</Table.Th>
              <Table.Th>{t('identityRules.shareable')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {form.identifiers.map((rule, i) => {
              const path = `/identifiers/${i}`;
              const error = errors[`${path}/kind`];
              return (
                <Table.Tr key={rule.kind} data-testid={`kind-row-${rule.kind}`}>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Text size="sm" w={18}>
                        {i + 1}
                      </Text>
                      <MoveButtons
                        index={i}
                        length={form.identifiers.length}
                        disabled={readOnly}
                        onMove={(to) => onChange({ ...form, identifiers: move(form.identifiers, i, to) })}
                        testId={`kind-${rule.kind}`}
                      />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{kindLabel(t, rule.kind)}</Text>
                    {error && (
                      <Text size="xs" c="red">
                        {error}
                      </Text>
                    )}
                  </Table.Td>
                  <RuleCells
                    rule={rule}
                    path={path}
                    errors={errors}
                    readOnly={readOnly}
                    onChange={(patch) => onChange(updateRule(form, i, patch))}
                    testId={`kind-${rule.kind}`}
                  />
                  <Table.Td>
                    {rule.kind !== 'user_id' && !readOnly && (
                      <Button
                        variant="subtle"
                        color="red"
                        size="compact-xs"
                        onClick={() => onChange(removeKind(form, i))}
                        data-testid={`kind-${rule.kind}-remove`}
                      >
                        {t('identityRules.remove')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
            <Table.Tr data-testid="kind-row-external">
              <Table.Td />
              <Table.Td>
                <Text size="sm">{t('identityRules.otherExternalIds')}</Text>
              </Table.Td>
              <RuleCells
                rule={form.externalIds}
                path="/externalIds"
                errors={errors}
                readOnly={readOnly}
                onChange={(patch) => onChange({ ...form, externalIds: { ...form.externalIds, ...patch } })}
                testId="kind-external"
              />
              <Table.Td />
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {errors['/identifiers'] && (
        <Text size="sm" c="red">
          {errors['/identifiers']}
        </Text>
      )}
      {!readOnly && (
        <Group align="end" gap="xs">
          <TextInput
            size="xs"
            label={t('identityRules.addKind')}
            placeholder="crm_id"
            value={newKind}
            onChange={(e) => setNewKind(e.currentTarget.value)}
            data-testid="kind-new"
          />
          <Button
            size="xs"
            variant="default"
            disabled={!kindOk}
            onClick={() => {
              onChange(addKind(form, newKind));
              setNewKind('');
            }}
            data-testid="kind-add"
          >
            {t('identityRules.add')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
