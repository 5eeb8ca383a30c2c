import { Badge, Button, Code, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditEntry, type AuditFilter, changedPaths, fetchAudit } from '../../api/audit.ts';
import { useFormat } from '../../components/format.ts';
import { JsonBlock } from '../../components/json-block.tsx';
import { QueryView } from '../../components/query-view.tsx';

const json = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

/** The ids a coalesced entry lists (reads of several profiles within one flush window). */
function targetsOf(e: AuditEntry): string[] {
  const targets = (e.detail as { targets?: unknown } | null)?.targets;
  return Array.isArray(targets) ? targets.filter((x): x is string => typeof x === 'string') : [];
}

/** The before/after of one entry: the changed paths, then the whole entry. */
function EntryDetail({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const changes =
    entry.before !== null || entry.after !== null ? changedPaths(entry.before, entry.after) : [];
  return (
    <Stack gap="sm" data-testid="audit-detail">
      {changes.length > 0 && (
        <Table data-testid="audit-diff">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.field')}</Table.Th>
              <Table.Th>{t('audit.before')}</Table.Th>
              <Table.Th>{t('audit.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.map((c) => (
              <Table.Tr key={c.path}>
                <Table.Td>
                  <Code>{c.path}</Code>
                </Table.Td>
                <Table.Td c="red">{json(c.before)}</Table.Td>
                <Table.Td c="green">{json(c.after)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <JsonBlock value={entry} />
    </Stack>
  );
}

/** Settings → Audit: who did what and when, filtered by actor, action and dates, paged. */
export function AuditPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: ['audit', filter, cursor],
    queryFn: () => fetchAudit(filter, cursor),
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const iso = (d?: string) => (d ? new Date(d).toISOString() : undefined);
    setFilter({
      actor: draft.actor?.trim() || undefined,
      action: draft.action?.trim() || undefined,
      from: iso(draft.from),
      to: iso(draft.to),
    });
    setCursors([null]);
  };
  return (
    <Stack>
      <Title order={2}>{t('audit.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('audit.intro')}
      </Text>
      <form onSubmit={apply}>
        <Group align="end">
          <TextInput
            label={t('audit.actor')}
            placeholder={t('audit.actorPlaceholder')}
            value={draft.actor ?? ''}
            onChange={(e) => setDraft({ ...draft, actor: e.currentTarget.value })}
            data-testid="audit-actor"
          />
          <TextInput
            label={t('audit.action')}
            placeholder="segments.*"
            value={draft.action ?? ''}
            onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
            data-testid="audit-action"
          />
          <TextInput
            type="date"
            label={t('audit.from')}
            value={draft.from ?? ''}
            onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
            data-testid="audit-from"
          />
          <TextInput
            type="date"
            label={t('audit.to')}
            value={draft.to ?? ''}
            onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
            data-testid="audit-to"
          />
          <Button type="submit" data-testid="audit-apply">
            {t('audit.apply')}
          </Button>
        </Group>
      </form>
      <QueryView query={query}>
        {(page) => (
          <Stack gap="xs">
            {page.data.length === 0 ? (
              <Text c="dimmed" data-testid="audit-empty">
                {t('audit.empty')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={720}>
                <Table highlightOnHover data-testid="audit-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('audit.at')}</Table.Th>
                      <Table.Th>{t('audit.actor')}</Table.Th>
                      <Table.Th>{t('audit.action')}</Table.Th>
                      <Table.Th>{t('audit.target')}</Table.Th>
                      <Table.Th>{t('audit.ip')}</Table.Th>
                      <Table.Th>{t('audit.status')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.data.map((e) => (
                      <Table.Tr
                        key={e.id}
                        onClick={() => setOpen(e)}
                        style={{ cursor: 'pointer' }}
                        data-testid="audit-row"
                        data-action={e.action}
                      >
                        <Table.Td>{f.dateTime(e.at)}</Table.Td>
                        <Table.Td>
                          {t(
                            `audit.actorType.${e.actor.type === 'user' ? 'user' : e.actor.type === 'system' ? 'system' : 'token'}`,
                          )}{' '}
                          <Code>{e.actor.id ?? '—'}</Code>{' '}
                          {e.actor.role && <Badge size="xs">{e.actor.role}</Badge>}
                        </Table.Td>
                        <Table.Td>
                          <Code>{e.action}</Code>
                        </Table.Td>
                        <Table.Td>
                          {e.target.type ?? ''} <Code>{e.target.id ?? targetsOf(e)[0] ?? ''}</Code>
                          {targetsOf(e).length > 1 &&
                            ` ${t('audit.moreTargets', { count: targetsOf(e).length - 1 })}`}
                        </Table.Td>
                        <Table.Td>{e.actor.ip ?? '—'}</Table.Td>
                        <Table.Td>
                          <Badge color={e.status === 'succeeded' ? 'green' : 'red'} variant="light">
                            {t(e.status === 'succeeded' ? 'audit.succeeded' : 'audit.failed')}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <Group justify="flex-end">
              <Button
                variant="default"
                disabled={cursors.length === 1}
                onClick={() => setCursors(cursors.slice(0, -1))}
                data-testid="audit-prev"
              >
                {t('audit.previous')}
              </Button>
              <Button
                variant="default"
                disabled={!page.nextCursor}
                onClick={() => setCursors([...cursors, page.nextCursor])}
                data-testid="audit-next"
              >
                {t('audit.next')}
              </Button>
            </Group>
          </Stack>
        )}
      </QueryView>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open?.action} size="xl">
        {open && <EntryDetail entry={open} />}
      </Modal>
    </Stack>
  );
}
