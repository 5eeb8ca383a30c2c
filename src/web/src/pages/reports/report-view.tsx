/**
 * A report's result drawn the same way on the report page and on a dashboard tile: the chart of
 * its kind and, outside tiles, the table with the exact figures. A breakdown adds a group picker
 * (the funnel draws every group side by side instead). The views per kind are in kind-views.tsx.
 */
import { ScrollArea, SegmentedControl, Stack } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import type { AnyResult, FieldsOf, ReportKind } from '../../api/reports.ts';
import { groupsOf } from './charts.ts';
import { Funnel, VIEWS } from './kind-views.tsx';
import { type Props, useReportFormat } from './view-parts.tsx';

/** The visualisation of a computed report (`tile`: chart only, sized to `height`). */
export function ReportView({
  kind,
  result,
  tile = false,
  height = 320,
}: {
  kind: ReportKind;
  result: AnyResult;
  tile?: boolean;
  height?: number;
}) {
  const x = useReportFormat();
  const groups = groupsOf(result as unknown as Record<string, unknown> & { breakdown?: never[] }).map(
    (g) => ({
      key: g.key,
      label:
        g.value === undefined ? x.t('reports.allUsers') : g.value === null ? x.t('reports.noValue') : g.value,
      fields: g.fields,
    }),
  );
  const [picked, setPicked] = useState('*');
  const spec = (result.spec ?? {}) as Record<string, unknown>;
  if (kind === 'funnel')
    return (
      <div data-testid="report-view">
        <Funnel
          groups={groups as unknown as { label: string; fields: FieldsOf<'funnel'> }[]}
          tile={tile}
          height={height}
          x={x}
        />
      </div>
    );
  const group = groups.find((g) => g.key === picked) ?? groups[0];
  const View = VIEWS[kind] as (p: Props<ReportKind>) => ReactNode;
  return (
    <Stack gap="sm" data-testid="report-view">
      {groups.length > 1 && (
        <ScrollArea type="auto" offsetScrollbars>
          <SegmentedControl
            size="xs"
            value={group.key}
            onChange={setPicked}
            data={groups.slice(0, 21).map((g) => ({ value: g.key, label: g.label }))}
            data-testid="breakdown-groups"
          />
        </ScrollArea>
      )}
      <View fields={group.fields as FieldsOf<ReportKind>} spec={spec} tile={tile} height={height} x={x} />
    </Stack>
  );
}
