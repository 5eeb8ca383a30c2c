/** The members of a segment, a page at a time (cursor paging: forward and back). */
import { Anchor, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { segmentsApi } from '../../api/segments.ts';
import { useFormat } from '../../components/format.ts';
import { QueryView } from '../../components/query-view.tsx';

const shown = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

export function MembersTable({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [limit, setLimit] = useState(25);
  /** Cursors of the pages before the current one; the last is the current page's. */
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: ['segments', id, 'members', limit, cursor],
    queryFn: () => segmentsApi.members(id, limit, cursor),
    placeholderData: keepPreviousData,
  });
  return (
    <QueryView query={query}>
      {(page) => (
        <Stack gap="xs">
          {page.data.length === 0 ? (
            <Text c="dimmed" size="sm" data-testid="members-empty">
              {t('segments.noMembers')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={700}>
              <Table data-testid="members-table" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('segments.profile')}</Table.Th>
                    <Table.Th>{t('segments.enteredAt')}</Table.Th>
                    <Table.Th>{t('segments.identifiers')}</Table.Th>
                    <Table.Th>{t('segments.traits')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.data.map((m) => (
                    <Table.Tr key={m.profileId} data-testid="member-row">
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`/profiles/${m.profileId}`}
                          size="sm"
                          ff="monospace"
                          data-testid="member-link"
                        >
                          {m.profileId}
                        </Anchor>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.dateTime(m.enteredAt)}</Table.Td>
                      <Table.Td>
                        <Text size="xs" style={{ wordBreak: 'break-all' }}>
                          {Object.entries(m.identifiers)
                            .map(([k, vs]) => `${k}: ${vs.join(', ')}`)
                            .join(' · ')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" style={{ wordBreak: 'break-all' }}>
                          {Object.entries(m.traits)
                            .map(([k, v]) => `${k}: ${shown(v)}`)
                            .join(' · ')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Group justify="space-between">
            <Group gap="xs">
              <Button
                size="xs"
                variant="default"
                disabled={cursors.length <= 1}
                onClick={() => setCursors(cursors.slice(0, -1))}
                data-testid="members-prev"
              >
                ← {t('segments.prevPage')}
              </Button>
              <Button
                size="xs"
                variant="default"
                disabled={!page.nextCursor}
                onClick={() => setCursors([...cursors, page.nextCursor ?? undefined])}
                data-testid="members-next"
              >
                {t('segments.nextPage')} →
              </Button>
              <Text size="xs" c="dimmed">
                {t('segments.pageN', { n: cursors.length })}
              </Text>
            </Group>
            <Select
              size="xs"
              w={110}
              aria-label={t('segments.pageSize')}
              data={['25', '50', '100'].map((v) => ({ value: v, label: t('segments.perPage', { n: v }) }))}
              value={String(limit)}
              onChange={(v) => {
                setLimit(Number(v) || 25);
                setCursors([undefined]);
              }}
              allowDeselect={false}
            />
          </Group>
        </Stack>
      )}
    </QueryView>
  );
}
