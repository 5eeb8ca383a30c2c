/** What can be done to a stored segment: recompute (a job), export (a streamed file or a job), upload a list. */
import {
  Button,
  FileInput,
  Group,
  Paper,
  Progress,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  downloadExport,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportProgress,
  type Job,
  type Segment,
  segmentsApi,
  type UploadReport,
  uploadMembers,
} from '../../api/segments.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormat } from '../../components/format.ts';
import { JobProgress, useJob } from './job-progress.tsx';

export function RecomputePanel({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const start = useMutation({ mutationFn: () => segmentsApi.recompute(segment.id) });
  const { job, error } = useJob(start.data ?? null, () => {
    void queryClient.invalidateQueries({ queryKey: ['segments'] });
  });
  const running =
    start.isPending || (job !== undefined && (job.status === 'queued' || job.status === 'running'));
  return (
    <Stack gap={4} miw={220}>
      <Button
        size="xs"
        variant="light"
        loading={running}
        onClick={() => start.mutate()}
        data-testid="recompute"
      >
        {t('segments.recompute')}
      </Button>
      {start.isError && <ErrorAlert error={start.error} />}
      {start.data && <JobProgress job={job} error={error} testId="recompute-progress" />}
    </Stack>
  );
}

export function ExportPanel({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const followed = useJob(job);
  const run = useMutation({
    mutationFn: async () => {
      setProgress({ bytes: 0, rows: 0 });
      setJob(null);
      const out = await downloadExport(segment.id, format, setProgress);
      if (out.job) setJob(out.job);
      return out;
    },
  });
  const size = segment.lastSize ?? 0;
  // CSV has a header line; NDJSON one line per member; XLSX only reports bytes.
  const rows = progress ? Math.max(0, progress.rows - (format === 'csv' ? 1 : 0)) : 0;
  const ratio = run.isSuccess ? 1 : format !== 'xlsx' && size > 0 ? Math.min(1, rows / size) : null;
  return (
    <Stack gap={4} miw={260}>
      <Group gap={4} wrap="nowrap">
        <Select
          size="xs"
          w={100}
          aria-label={t('segments.exportFormat')}
          data={EXPORT_FORMATS.map((v) => ({ value: v, label: v.toUpperCase() }))}
          value={format}
          onChange={(v) => v && setFormat(v as ExportFormat)}
          allowDeselect={false}
          data-testid="export-format"
        />
        <Button
          size="xs"
          variant="light"
          loading={run.isPending}
          onClick={() => run.mutate()}
          data-testid="export"
        >
          {t('segments.export')}
        </Button>
      </Group>
      {progress && !job && (
        <Stack gap={2} data-testid="export-progress" data-done={run.isSuccess}>
          <Progress
            value={(ratio ?? 0) * 100}
            animated={run.isPending}
            color={run.isSuccess ? 'green' : 'blue'}
          />
          <Text size="xs" c="dimmed">
            {run.isSuccess
              ? t('segments.exportSaved', { name: run.data.filename })
              : format === 'xlsx'
                ? t('segments.exportBytes', { size: f.number(Math.round(progress.bytes / 1024)) })
                : t('segments.exportRows', { count: rows, rows: f.number(rows), total: f.number(size) })}
          </Text>
        </Stack>
      )}
      {job && <JobProgress job={followed.job} error={followed.error} testId="export-job" />}
      {run.isError && <ErrorAlert error={run.error} />}
    </Stack>
  );
}

function UploadResult({ report }: { report: UploadReport }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack gap="xs" data-testid="upload-report">
      <Text size="sm">
        {t('segments.uploadSummary', {
          rows: f.number(report.rows),
          matched: f.number(report.matched),
          profiles: f.number(report.profiles),
          unmatched: f.number(report.unmatched),
          size: f.number(report.size),
        })}
      </Text>
      {report.unmatchedRows.length > 0 && (
        <Table.ScrollContainer minWidth={400} mah={300}>
          <Table data-testid="unmatched-rows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('segments.row')}</Table.Th>
                <Table.Th>{t('segments.value')}</Table.Th>
                <Table.Th>{t('segments.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.unmatchedRows.map((r) => (
                <Table.Tr key={r.row}>
                  <Table.Td>{r.row}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{r.value}</Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** A static segment's members from a CSV or XLSX file of identifiers. */
export function UploadPanel({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [column, setColumn] = useState('');
  const upload = useMutation({
    mutationFn: (f: File) => uploadMembers(segment.id, f, column.trim() || undefined),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['segments'] }),
  });
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {t('segments.uploadIntro')}
        </Text>
        <Group align="end">
          <FileInput
            label={t('segments.uploadFile')}
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={setFile}
            w={260}
            clearable
            data-testid="upload-file"
          />
          <TextInput
            label={t('segments.uploadColumn')}
            placeholder={t('segments.uploadColumnHint')}
            value={column}
            onChange={(e) => setColumn(e.currentTarget.value)}
            w={200}
          />
          <Button
            disabled={!file}
            loading={upload.isPending}
            onClick={() => file && upload.mutate(file)}
            data-testid="upload"
          >
            {t('segments.upload')}
          </Button>
        </Group>
        {upload.isError && <ErrorAlert error={upload.error} />}
        {upload.data && <UploadResult report={upload.data} />}
      </Stack>
    </Paper>
  );
}
