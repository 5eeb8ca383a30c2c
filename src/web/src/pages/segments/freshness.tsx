import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { freshness, type Segment } from '../../api/segments.ts';

const COLORS = { fresh: 'green', stale: 'yellow', failed: 'red', never: 'gray' } as const;

/** fresh / stale (schedule missed) / failed (with the error on hover) / never computed. */
export function FreshnessBadge({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  const state = freshness(segment);
  const badge = (
    <Badge color={COLORS[state]} variant="light" size="sm" data-testid="freshness" data-state={state}>
      {t(`segments.freshness.${state}`)}
    </Badge>
  );
  if (state === 'failed' && segment.lastError)
    return (
      <Tooltip label={segment.lastError} multiline w={320} withArrow>
        {badge}
      </Tooltip>
    );
  return badge;
}
