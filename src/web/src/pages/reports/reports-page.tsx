/**
 * Reports: a tab per kind, the spec form, Run (`POST /reports/{kind}`), the result drawn by
 * ReportView, and "Save report" (`POST /reports/saved`). A saved report opens with
 * `/reports/{kind}?saved={id}`.
 */
import {
  Alert,
  Button,
  Group,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { KINDS, type ReportKind, runReport, type Spec, savedReports } from '../../api/reports.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryView } from '../../components/query-view.tsx';
import { ReportForm } from './report-form.tsx';
import { ReportView } from './report-view.tsx';
import { browserTimeZone, buildSpec, defaultState, type FormState, stateFromSpec } from './spec-form.ts';

const isKind = (k: string | undefined): k is ReportKind => (KINDS as readonly string[]).includes(k ?? '');

function SaveReport({ kind, spec }: { kind: ReportKind; spec: Spec }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const save = useMutation({
    mutationFn: () => savedReports.create({ name: name.trim(), kind, spec }),
    onSuccess: () => {
      setName('');
      void client.invalidateQueries({ queryKey: ['reports', 'saved'] });
    },
  });
  return (
    <Stack gap={4}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) save.mutate();
        }}
      >
        <Group gap="xs" align="flex-end">
          <TextInput
            size="xs"
            label={t('reports.save.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="save-name"
          />
          <Button
            size="xs"
            type="submit"
            disabled={!name.trim()}
            loading={save.isPending}
            data-testid="save-report"
          >
            {t('reports.save.button')}
          </Button>
        </Group>
      </form>
      {save.isError && <ErrorAlert error={save.error} />}
      {save.isSuccess && (
        <Text size="xs" c="green" data-testid="saved-ok">
          {t('reports.save.done', { name: save.data.name })}
        </Text>
      )}
    </Stack>
  );
}

function OpenSaved({ kind }: { kind: ReportKind }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const saved = useQuery({ queryKey: ['reports', 'saved'], queryFn: savedReports.list });
  const mine = (saved.data?.data ?? []).filter((r) => r.kind === kind);
  if (mine.length === 0) return null;
  return (
    <Select
      size="xs"
      w={240}
      placeholder={t('reports.openSaved')}
      value={params.get('saved')}
      onChange={(id) =>
        navigate(id ? `/reports/${kind}?saved=${encodeURIComponent(id)}` : `/reports/${kind}`)
      }
      data={mine.map((r) => ({ value: r.id, label: r.name }))}
      clearable
      data-testid="open-saved"
    />
  );
}

export function ReportsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const { kind } = useParams();
  const [params] = useSearchParams();
  const savedId = params.get('saved');
  const [state, setState] = useState<FormState>(() => defaultState(new Date(), browserTimeZone()));
  const [submitted, setSubmitted] = useState<{ kind: ReportKind; spec: Spec } | null>(null);
  const saved = useQuery({
    queryKey: ['reports', 'saved', savedId],
    queryFn: () => savedReports.get(savedId!),
    enabled: !!savedId,
  });

  // A new kind runs at once with the form as it is; a saved report opened fills the form and runs.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the kind changes
  useEffect(() => {
    if (!isKind(kind) || savedId) return;
    setSubmitted({ kind, spec: buildSpec(kind, state) });
  }, [kind, savedId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another saved report loads
  useEffect(() => {
    if (!saved.data || !isKind(kind)) return;
    const next = stateFromSpec(saved.data.spec, state);
    setState(next);
    setSubmitted({ kind: saved.data.kind, spec: saved.data.spec });
  }, [saved.data]);

  const query = useQuery({
    queryKey: ['reports', 'run', submitted],
    queryFn: () => runReport(submitted!.kind, submitted!.spec),
    enabled: !!submitted,
    // While a changed spec runs, the previous result of the same kind stays on screen.
    placeholderData: (prev, prevQuery) =>
      (prevQuery?.queryKey[2] as typeof submitted)?.kind === submitted?.kind ? prev : undefined,
    staleTime: 60_000,
  });

  if (!isKind(kind)) return <Navigate to="/reports/funnel" replace />;
  const current = submitted?.kind === kind ? submitted : null;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('reports.title')}</Title>
        <OpenSaved kind={kind} />
      </Group>
      <ScrollArea type="auto" offsetScrollbars>
        <Tabs value={kind} onChange={(k) => k && navigate(`/reports/${k}`)}>
          <Tabs.List style={{ flexWrap: 'nowrap' }}>
            {KINDS.map((k) => (
              <Tabs.Tab key={k} value={k} data-testid={`report-tab-${k}`}>
                {t(`reports.kinds.${k}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
      </ScrollArea>
      <Text size="sm" c="dimmed">
        {t(`reports.about.${kind}`)}
      </Text>
      {saved.isError && <ErrorAlert error={saved.error} />}
      <ReportForm
        kind={kind}
        state={state}
        onChange={setState}
        onRun={() => setSubmitted({ kind, spec: buildSpec(kind, state) })}
        running={query.isFetching}
      />
      {current ? (
        <Paper withBorder p="md">
          <QueryView query={query}>
            {(result) => (
              <Stack gap="sm">
                <Group justify="space-between" align="flex-end">
                  <Text size="xs" c="dimmed" data-testid="computed-at">
                    {t('reports.computedAt', { time: f.dateTime(result.computedAt) })}
                  </Text>
                  <SaveReport kind={kind} spec={current.spec} />
                </Group>
                <ReportView kind={current.kind} result={result} />
              </Stack>
            )}
          </QueryView>
        </Paper>
      ) : (
        <Alert variant="light">{t('reports.runHint')}</Alert>
      )}
    </Stack>
  );
}
