import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import {
  canManageIdentity,
  type IdentitySettings,
  identityApi,
  isForbidden,
  type SimulateReport,
} from '../../api/identity.ts';
import { useAuth } from '../../auth.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { QueryView } from '../../components/query-view.tsx';
import { IdentifierRules } from './rules-fields.tsx';
import {
  fieldErrors,
  formFromSettings,
  type IdentityForm,
  isChanged,
  reviewFloor,
  settingsFromForm,
} from './settings-form.ts';
import { SimulationResult } from './simulation.tsx';
import { SourceOrder } from './source-order.tsx';

export const settingsKey = ['identity', 'settings'];

function Part({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <Text fw={600} size="sm">
        {title}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed" mb="xs">
          {hint}
        </Text>
      )}
      {children}
    </Paper>
  );
}

function countryName(code: string, lang: string): string | undefined {
  if (!/^[A-Za-z]{2}$/.test(code)) return undefined;
  try {
    const name = new Intl.DisplayNames([lang], { type: 'region' }).of(code.toUpperCase());
    return name && name !== code.toUpperCase() ? name : undefined;
  } catch {
    return undefined;
  }
}

function RulesForm({ saved }: { saved: IdentitySettings }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<IdentityForm>(() => formFromSettings(saved));
  const [days, setDays] = useState<number | string>(30);
  const { session } = useAuth();
  const [readOnly, setReadOnly] = useState(() => canManageIdentity(session?.role) === false);
  const [simulated, setSimulated] = useState<{ report: SimulateReport; settings: string } | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  const proposal = settingsFromForm(form);
  const proposalJson = JSON.stringify(proposal);

  /** The last failed call and where its field paths start (the simulator nests them in /settings). */
  const [problem, setProblem] = useState<{ error: unknown; prefix: string } | null>(null);
  const failedWith = (prefix: string) => (error: unknown) => {
    setProblem({ error, prefix });
    if (isForbidden(error)) setReadOnly(true);
  };
  const simulate = useMutation({
    mutationFn: (settings: IdentitySettings) =>
      identityApi.simulate(settings, typeof days === 'number' ? days : 30),
    onMutate: () => setProblem(null),
    onSuccess: (report, settings) => setSimulated({ report, settings: JSON.stringify(settings) }),
    onError: failedWith('/settings'),
  });
  const save = useMutation({
    mutationFn: identityApi.save,
    onMutate: () => setProblem(null),
    onSuccess: (settings) => {
      queryClient.setQueryData(settingsKey, settings);
      setForm(formFromSettings(settings));
      setJustSaved(true);
    },
    onError: failedWith(''),
  });
  const change = (f: IdentityForm) => {
    setForm(f);
    setJustSaved(false);
  };

  const failed = problem?.error;
  const errors =
    failed instanceof ApiError && failed.code === 'validation_failed'
      ? fieldErrors(failed.details, problem?.prefix)
      : {};
  const changed = isChanged(form, saved);
  const floor = reviewFloor(form);
  const props = { form, onChange: change, errors, readOnly };

  return (
    <Stack data-testid="identity-rules">
      {readOnly && (
        <Alert color="blue" variant="light" title={t('identityRules.readOnlyTitle')} data-testid="read-only">
          {t('identityRules.readOnly')}
        </Alert>
      )}
      <Part title={t('identityRules.kinds')} hint={t('identityRules.kindsHint')}>
        <IdentifierRules {...props} />
      </Part>
      <Part title={t('identityRules.phones')}>
        <TextInput
          label={t('identityRules.defaultCountry')}
          description={
            countryName(form.defaultCountry, i18n.language) ?? t('identityRules.defaultCountryHint')
          }
          value={form.defaultCountry}
          maxLength={2}
          w={260}
          readOnly={readOnly}
          onChange={(e) => change({ ...form, defaultCountry: e.currentTarget.value.toUpperCase() })}
          error={errors['/defaultCountry']}
          data-testid="default-country"
        />
      </Part>
      <Part title={t('identityRules.traits')} hint={t('identityRules.traitsHint')}>
        <Stack gap="sm">
          <SegmentedControl
            w="fit-content"
            value={form.conflictRule}
            disabled={readOnly}
            onChange={(v) => change({ ...form, conflictRule: v as IdentityForm['conflictRule'] })}
            data={[
              { value: 'latest', label: t('identityRules.ruleLatest') },
              { value: 'source_priority', label: t('identityRules.ruleSources') },
            ]}
            data-testid="conflict-rule"
          />
          {errors['/traitConflict/rule'] && (
            <Text size="sm" c="red">
              {errors['/traitConflict/rule']}
            </Text>
          )}
          {form.conflictRule === 'source_priority' && <SourceOrder {...props} />}
          <TagsInput
            label={t('identityRules.setOnce')}
            description={t('identityRules.setOnceHint')}
            value={form.setOnceTraits}
            readOnly={readOnly}
            onChange={(setOnceTraits) => change({ ...form, setOnceTraits })}
            error={errors['/setOnceTraits']}
            data-testid="set-once"
          />
        </Stack>
      </Part>
      <Part title={t('identityRules.matching')} hint={t('identityRules.matchingHint')}>
        <Stack gap="xs">
          <Switch
            label={t('identityRules.autoMerge')}
            checked={form.matchingEnabled}
            disabled={readOnly}
            onChange={(e) => change({ ...form, matchingEnabled: e.currentTarget.checked })}
            error={errors['/probabilistic/enabled']}
            data-testid="matching-enabled"
          />
          <NumberInput
            label={t('identityRules.threshold')}
            description={
              floor === null
                ? undefined
                : t('identityRules.thresholdHint', { floor, threshold: proposal.probabilistic.threshold })
            }
            value={form.threshold}
            min={0.5}
            step={0.5}
            w={260}
            readOnly={readOnly}
            onChange={(threshold) => change({ ...form, threshold })}
            error={errors['/probabilistic/threshold']}
            data-testid="match-threshold"
          />
        </Stack>
      </Part>
      {failed != null && !isForbidden(failed) ? <ErrorAlert error={failed} /> : null}
      {justSaved && !changed && (
        <Alert color="green" variant="light" data-testid="saved">
          {t('identityRules.saved')}
        </Alert>
      )}
      <Group align="end">
        <NumberInput
          label={t('identityRules.days')}
          value={days}
          min={1}
          max={366}
          allowDecimal={false}
          w={160}
          onChange={setDays}
          data-testid="simulate-days"
        />
        <Button
          variant="default"
          onClick={() => simulate.mutate(proposal)}
          loading={simulate.isPending}
          disabled={readOnly}
          data-testid="simulate"
        >
          {t('identityRules.simulate')}
        </Button>
        <Button
          onClick={() => save.mutate(proposal)}
          loading={save.isPending}
          disabled={readOnly || !changed}
          data-testid="save"
        >
          {t('identityRules.save')}
        </Button>
        <Button
          variant="subtle"
          disabled={!changed}
          onClick={() => change(formFromSettings(saved))}
          data-testid="reset"
        >
          {t('identityRules.reset')}
        </Button>
      </Group>
      {changed && !simulated && !readOnly && (
        <Text size="xs" c="dimmed">
          {t('identityRules.simulateFirst')}
        </Text>
      )}
      {simulated && (
        <SimulationResult report={simulated.report} stale={simulated.settings !== proposalJson} />
      )}
    </Stack>
  );
}

/** Settings → Identity rules: edit the workspace's identity settings, simulate them, save them. */
export function IdentityRulesPage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: settingsKey, queryFn: identityApi.settings });
  return (
    <Stack>
      <Stack gap={2}>
        <Title order={2}>{t('identityRules.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('identityRules.intro')}
        </Text>
      </Stack>
      <QueryView query={query}>{(saved) => <RulesForm saved={saved} />}</QueryView>
    </Stack>
  );
}
