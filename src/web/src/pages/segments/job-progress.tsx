/** Follows a job (GET /jobs/{id}) until it is done or failed, as a progress bar. */
import { Group, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type Job, segmentsApi } from '../../api/segments.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormat } from '../../components/format.ts';

const finished = (j: Job | undefined) => j?.status === 'done' || j?.status === 'failed';

export function useJob(initial: Job | null, onFinished?: (job: Job) => void) {
  const query = useQuery({
    queryKey: ['jobs', initial?.id],
    queryFn: () => segmentsApi.job(initial!.id),
    enabled: !!initial,
    initialData: initial ?? undefined,
    refetchInterval: (q) => (finished(q.state.data) ? false : 500),
  });
  const job = query.data;
  const callback = useRef(onFinished);
  callback.current = onFinished;
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (job && finished(job) && reported.current !== job.id) {
      reported.current = job.id;
      callback.current?.(job);
    }
  }, [job]);
  return { job, error: query.error };
}

export function JobProgress({
  job,
  error,
  testId,
}: {
  job: Job | undefined;
  error: unknown;
  testId: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  if (error) return <ErrorAlert error={error} />;
  if (!job) return null;
  const done = job.status === 'done';
  const value = done ? 1 : job.progress;
  return (
    <Stack gap={4} data-testid={testId} data-status={job.status}>
      <Group justify="space-between">
        <Text size="xs" data-testid={`${testId}-status`}>
          {t(`segments.jobStatus.${job.status}`)}
          {job.total !== null && ` · ${f.number(job.processed)} / ${f.number(job.total)}`}
        </Text>
        <Text size="xs" c="dimmed">
          {f.percent(value)}
        </Text>
      </Group>
      <Progress
        value={value * 100}
        color={job.status === 'failed' ? 'red' : done ? 'green' : 'blue'}
        animated={!finished(job)}
      />
      {job.status === 'failed' && (
        <Text size="xs" c="red">
          {job.error}
        </Text>
      )}
    </Stack>
  );
}
