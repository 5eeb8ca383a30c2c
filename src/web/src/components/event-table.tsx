import { Anchor, Badge, Collapse, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { StoredEvent } from '../api/types.ts';
import { useFormat } from './format.ts';
import { JsonBlock } from './json-block.tsx';

const TYPE_COLORS: Record<string, string> = {
  track: 'blue',
  identify: 'grape',
  page: 'teal',
  screen: 'cyan',
  group: 'orange',
  alias: 'gray',
};

export function TypeBadge({ type }: { type: string }) {
  return (
    <Badge variant="light" color={TYPE_COLORS[type] ?? 'gray'} size="sm">
      {type}
    </Badge>
  );
}

/** Events, newest first; a click on a row shows its properties, traits and context. */
export function EventTable({ events, showProfile = true }: { events: StoredEvent[]; showProfile?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [open, setOpen] = useState<string | null>(null);
  if (events.length === 0)
    return (
      <Text c="dimmed" size="sm" data-testid="no-events">
        {t('events.none')}
      </Text>
    );
  const cols = showProfile ? 5 : 4;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table highlightOnHover verticalSpacing={6} data-testid="event-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('events.time')}</Table.Th>
            <Table.Th>{t('events.type')}</Table.Th>
            <Table.Th>{t('events.event')}</Table.Th>
            <Table.Th>{t('events.user')}</Table.Th>
            {showProfile && <Table.Th>{t('events.profile')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((e) => (
            <Fragment key={e.messageId}>
              <Table.Tr
                style={{ cursor: 'pointer' }}
                onClick={() => setOpen(open === e.messageId ? null : e.messageId)}
                data-testid="event-row"
              >
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.dateTime(e.timestamp)}</Table.Td>
                <Table.Td>
                  <TypeBadge type={e.type} />
                </Table.Td>
                <Table.Td>{e.event || '—'}</Table.Td>
                <Table.Td maw={240}>
                  <Text size="sm" truncate="end">
                    {e.userId ?? '—'}
                  </Text>
                  {e.anonymousId && (
                    <Text size="xs" c="dimmed" truncate="end" title={e.anonymousId}>
                      {e.anonymousId}
                    </Text>
                  )}
                </Table.Td>
                {showProfile && (
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/profiles/${e.profileId}`}
                      size="sm"
                      onClick={(ev) => ev.stopPropagation()}
                    >
                      {e.profileId}
                    </Anchor>
                  </Table.Td>
                )}
              </Table.Tr>
              <Table.Tr style={{ display: open === e.messageId ? undefined : 'none' }}>
                <Table.Td colSpan={cols}>
                  <Collapse expanded={open === e.messageId}>
                    <Text size="xs" c="dimmed" mb={4}>
                      {t('events.messageId')}: {e.messageId} · {t('events.receivedAt')}:{' '}
                      {f.dateTime(e.receivedAt)}
                    </Text>
                    <JsonBlock value={{ properties: e.properties, traits: e.traits, context: e.context }} />
                  </Collapse>
                </Table.Td>
              </Table.Tr>
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
