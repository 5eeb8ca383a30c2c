/**
 * One dashboard: its saved reports as tiles on a 12-column grid (react-grid-layout). Tiles are
 * dragged by their title bar and resized from the corner; the layout is saved with
 * `PATCH /dashboards/{id}` when a drag or resize ends. Each tile runs its saved report
 * (`POST /reports/saved/{id}/run`) and draws it with the report page's ReportView.
 */
import 'react-grid-layout/css/styles.css';
import { ActionIcon, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import ReactGridLayout, { type Layout, useContainerWidth } from 'react-grid-layout';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { type Dashboard, dashboards, type SavedReport, savedReports, type Tile } from '../../api/reports.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { QueryView } from '../../components/query-view.tsx';
import { ReportView } from '../reports/report-view.tsx';
import {
  addTile,
  applyLayout,
  COLS,
  type GridItem,
  ROW_HEIGHT,
  removeTile,
  sameTiles,
  toLayout,
} from './layout.ts';

const MARGIN = 12;
const HEADER = 44;

function TileBody({ report, h }: { report: SavedReport | undefined; h: number }) {
  const { t } = useTranslation();
  const run = useQuery({
    queryKey: ['reports', 'saved', report?.id, 'run', report?.updatedAt],
    queryFn: () => savedReports.run(report!.id),
    enabled: !!report,
    staleTime: 60_000,
  });
  if (!report)
    return (
      <Text size="sm" c="dimmed">
        {t('dashboards.missingReport')}
      </Text>
    );
  const height = h * ROW_HEIGHT + (h - 1) * MARGIN - HEADER - 16;
  return (
    <QueryView query={run}>
      {(result) => <ReportView kind={report.kind} result={result} tile height={Math.max(120, height)} />}
    </QueryView>
  );
}

function Grid({ dashboard, reports }: { dashboard: Dashboard; reports: Map<string, SavedReport> }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const { width, containerRef, mounted } = useContainerWidth();
  const [tiles, setTiles] = useState<Tile[]>(dashboard.tiles);
  useEffect(() => setTiles(dashboard.tiles), [dashboard.tiles]);
  const save = useMutation({
    mutationFn: (next: Tile[]) => dashboards.update(dashboard.id, { tiles: next }),
    onSuccess: (d) => client.setQueryData(['dashboards', d.id], d),
  });
  const commit = (next: Tile[]) => {
    setTiles(next);
    if (!sameTiles(next, dashboard.tiles)) save.mutate(next);
  };
  const onStop = (layout: Layout) => commit(applyLayout(tiles, layout as readonly GridItem[]));
  const options = [...reports.values()].map((r) => ({
    value: r.id,
    label: `${r.name} · ${t(`reports.kinds.${r.kind}`)}`,
  }));
  return (
    <Stack gap="sm">
      <Group gap="xs" align="flex-end">
        <Select
          label={t('dashboards.addTile')}
          placeholder={options.length ? t('dashboards.pickReport') : t('dashboards.noSaved')}
          data={options}
          value={null}
          onChange={(id) => id && commit(addTile(tiles, id))}
          searchable
          w={320}
          disabled={options.length === 0}
          data-testid="add-tile"
        />
        {options.length === 0 && (
          <Button component={Link} to="/reports" variant="light" size="sm">
            {t('dashboards.toReports')}
          </Button>
        )}
      </Group>
      {save.isError && <ErrorAlert error={save.error} />}
      {tiles.length === 0 && (
        <Text c="dimmed" size="sm" data-testid="dashboard-empty">
          {t('dashboards.empty')}
        </Text>
      )}
      <div ref={containerRef} data-testid="dashboard-grid">
        {mounted && (
          <ReactGridLayout
            width={width}
            layout={toLayout(tiles)}
            gridConfig={{ cols: COLS, rowHeight: ROW_HEIGHT, margin: [MARGIN, MARGIN] }}
            dragConfig={{ enabled: true, handle: '.tile-handle' }}
            onDragStop={onStop}
            onResizeStop={onStop}
          >
            {tiles.map((tile, i) => {
              const report = reports.get(tile.reportId);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: a tile is its position in the list
                <div key={`t${i}`} data-testid="dashboard-tile">
                  <Paper withBorder h="100%" p="xs" style={{ overflow: 'hidden' }}>
                    <Group justify="space-between" wrap="nowrap" h={HEADER - 12} mb={4}>
                      <Text
                        fw={600}
                        size="sm"
                        truncate
                        className="tile-handle"
                        style={{ cursor: 'move', flex: 1 }}
                      >
                        {report ? (
                          <Link to={`/reports/${report.kind}?saved=${encodeURIComponent(report.id)}`}>
                            {report.name}
                          </Link>
                        ) : (
                          tile.reportId
                        )}
                      </Text>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        onClick={() => commit(removeTile(tiles, i))}
                        aria-label={t('dashboards.removeTile')}
                        data-testid="remove-tile"
                      >
                        ×
                      </ActionIcon>
                    </Group>
                    <TileBody report={report} h={tile.h} />
                  </Paper>
                </div>
              );
            })}
          </ReactGridLayout>
        )}
      </div>
    </Stack>
  );
}

function Rename({ dashboard }: { dashboard: Dashboard }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState(dashboard.name);
  const rename = useMutation({
    mutationFn: () => dashboards.update(dashboard.id, { name: name.trim() }),
    onSuccess: (d) => {
      client.setQueryData(['dashboards', d.id], d);
      void client.invalidateQueries({ queryKey: ['dashboards', 'list'] });
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim() && name.trim() !== dashboard.name) rename.mutate();
      }}
    >
      <Group gap="xs" align="flex-end">
        <TextInput
          size="xs"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-testid="dashboard-rename"
        />
        <Button size="xs" variant="default" type="submit" loading={rename.isPending}>
          {t('dashboards.rename')}
        </Button>
      </Group>
      {rename.isError && <ErrorAlert error={rename.error} />}
    </form>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const dashboard = useQuery({ queryKey: ['dashboards', id], queryFn: () => dashboards.get(id) });
  const saved = useQuery({ queryKey: ['reports', 'saved'], queryFn: savedReports.list });
  const remove = useMutation({
    mutationFn: () => dashboards.remove(id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['dashboards', 'list'] });
      navigate('/dashboards');
    },
  });
  return (
    <QueryView query={dashboard}>
      {(d) => (
        <Stack gap="md">
          <Group justify="space-between">
            <Group gap="xs">
              <Button component={Link} to="/dashboards" variant="subtle" size="xs">
                ← {t('dashboards.title')}
              </Button>
              <Title order={2} data-testid="dashboard-name">
                {d.name}
              </Title>
            </Group>
            <Group gap="xs">
              <Rename dashboard={d} />
              <Button
                size="xs"
                color="red"
                variant="light"
                loading={remove.isPending}
                onClick={() =>
                  window.confirm(t('dashboards.confirmDelete', { name: d.name })) && remove.mutate()
                }
                data-testid="dashboard-delete"
              >
                {t('common.delete')}
              </Button>
            </Group>
          </Group>
          {remove.isError && <ErrorAlert error={remove.error} />}
          <QueryView query={saved}>
            {(list) => <Grid dashboard={d} reports={new Map(list.data.map((r) => [r.id, r]))} />}
          </QueryView>
        </Stack>
      )}
    </QueryView>
  );
}
