import { Center, Loader } from '@mantine/core';
import type { EChartsOption } from 'echarts-for-react/lib/types';
import { lazy, Suspense } from 'react';

// ECharts is the largest dependency: its chunk loads only when a chart is drawn.
const EChart = lazy(() => import('./echart.tsx'));

export function Chart(props: { option: EChartsOption; height?: number; testId?: string }) {
  return (
    <Suspense
      fallback={
        <Center h={props.height ?? 260}>
          <Loader size="sm" />
        </Center>
      }
    >
      <EChart {...props} />
    </Suspense>
  );
}
