import { Alert, Button, Group, Paper, Progress, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import {
  type Candidate,
  type CandidateStatus,
  canManageIdentity,
  identityApi,
  isForbidden,
  type MatchRunResult,
} from '../../api/identity.ts';
import type { Page } from '../../api/types.ts';
import { useAuth } from '../../auth.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormat } from '../../components/format.ts';
import { CandidateCard } from './candidate-card.tsx';
import { jobFinished, jobPercent } from './review-logic.ts';

const STATUSES: CandidateStatus[] = ['pending', 'accepted', 'rejected', 'merged'];

/** "Run matching now": starts the job and follows its progress until it is done. */
function MatchRun({
  onForbidden,
  onDone,
  readOnly,
}: {
  onForbidden: (e: unknown) => void;
  onDone: () => void;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: identityApi.match,
    onSuccess: (job) => setJobId(job.id),
    onError: onForbidden,
  });
  const job = useQuery({
    queryKey: ['jobs', jobId],
    queryFn: () => identityApi.job(jobId as string),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && jobFinished(q.state.data) ? false : 700),
  });
  const status = job.data?.status;
  useEffect(() => {
    if (status === 'done') onDone();
  }, [status, onDone]);
  const result = job.data?.status === 'done' ? (job.data.result as MatchRunResult | undefined) : undefined;
  const running =
    start.isPending || (job.data !== undefined && !jobFinished(job.data)) || (jobId !== null && !job.data);
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('identityReview.runHint')}
          </Text>
          <Button
            onClick={() => start.mutate()}
            loading={running}
            disabled={readOnly}
            data-testid="run-matching"
          >
            {t('identityReview.run')}
          </Button>
        </Group>
        {start.error != null && !isForbidden(start.error) ? <ErrorAlert error={start.error} /> : null}
        {job.error && <ErrorAlert error={job.error} />}
        {job.data && (
          <Stack gap={4} data-testid="match-job">
            <Progress
              value={jobPercent(job.data)}
              animated={!jobFinished(job.data)}
              color={job.data.status === 'failed' ? 'red' : undefined}
            />
            <Text size="xs" c="dimmed" data-testid="match-job-status">
              {t(`identityReview.job.${job.data.status}`)}
              {' · '}
              {t('identityReview.job.processed', {
                processed: f.number(job.data.processed),
                total: job.data.total === null ? '?' : f.number(job.data.total),
              })}
            </Text>
            {job.data.error && (
              <Text size="sm" c="red">
                {job.data.error}
              </Text>
            )}
            {result && (
              <Text size="sm" data-testid="match-result">
                {t('identityReview.job.result', {
                  merged: f.number(result.merged),
                  pending: f.number(result.pending),
                  profiles: f.number(result.profiles),
                })}
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/** Identity → Review: likely duplicates that scored just below the merge threshold. */
export function IdentityReviewPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<CandidateStatus>('pending');
  const { session } = useAuth();
  const [forbidden, setForbidden] = useState(() => canManageIdentity(session?.role) === false);
  const onForbidden = (e: unknown) => {
    if (isForbidden(e)) setForbidden(true);
  };
  const query = useInfiniteQuery({
    queryKey: ['identity', 'candidates', status],
    queryFn: ({ pageParam }) =>
      api<Page<Candidate>>('/identity/candidates', { query: { status, limit: 20, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const onDone = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ['identity', 'candidates'] });
  }, [queryClient]);
  const candidates = query.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack>
      <Stack gap={2}>
        <Title order={2}>{t('identityReview.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('identityReview.intro')}
        </Text>
      </Stack>
      {forbidden && (
        <Alert color="blue" variant="light" title={t('identityRules.readOnlyTitle')} data-testid="read-only">
          {t('identityReview.readOnly')}
        </Alert>
      )}
      <MatchRun onForbidden={onForbidden} onDone={onDone} readOnly={forbidden} />
      <SegmentedControl
        w="fit-content"
        value={status}
        onChange={(v) => setStatus(v as CandidateStatus)}
        data={STATUSES.map((s) => ({ value: s, label: t(`identityReview.status.${s}`) }))}
        data-testid="candidate-status-filter"
      />
      {query.isError && <ErrorAlert error={query.error} />}
      {query.isSuccess && candidates.length === 0 && (
        <Text c="dimmed" size="sm" data-testid="no-candidates">
          {t(`identityReview.empty.${status}`)}
        </Text>
      )}
      {candidates.length > 0 && (
        <Text size="sm" c="dimmed" data-testid="candidate-count">
          {query.hasNextPage
            ? t('identityReview.shownMore', { count: candidates.length })
            : t('identityReview.shown', { count: candidates.length })}
        </Text>
      )}
      {candidates.map((c) => (
        <CandidateCard key={c.id} c={c} onForbidden={onForbidden} readOnly={forbidden} />
      ))}
      {query.hasNextPage && (
        <Button variant="default" onClick={() => query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
