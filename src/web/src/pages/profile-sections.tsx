import { Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSourceName } from '../api/sources.ts';
import type { Profile } from '../api/types.ts';
import { useFormat } from '../components/format.ts';

// The profile card's parts: traits, identifiers, devices and push tokens.

export function Section({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text fw={600} size="sm" mb="xs">
        {title}
      </Text>
      {children}
    </Paper>
  );
}

export function Empty() {
  const { t } = useTranslation();
  return (
    <Text c="dimmed" size="sm">
      {t('common.none')}
    </Text>
  );
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function Traits({ p }: { p: Profile }) {
  const { t } = useTranslation();
  const f = useFormat();
  const sourceName = useSourceName();
  const keys = Object.keys(p.traits).sort();
  if (keys.length === 0) return <Empty />;
  return (
    <Table data-testid="traits">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('profile.trait')}</Table.Th>
          <Table.Th>{t('profile.value')}</Table.Th>
          <Table.Th>{t('profile.source')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {keys.map((k) => (
          <Table.Tr key={k}>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {k}
              </Text>
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-word' }}>{show(p.traits[k])}</Table.Td>
            <Table.Td>
              {p.traitSources[k] ? (
                <Text size="xs" c="dimmed">
                  {sourceName(p.traitSources[k].source)} · {f.dateTime(p.traitSources[k].time)}
                </Text>
              ) : (
                '—'
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function Identities({ p }: { p: Profile }) {
  const { t } = useTranslation();
  const f = useFormat();
  const sourceName = useSourceName();
  if (p.identities.length === 0) return <Empty />;
  return (
    <Table data-testid="identities">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('profile.kind')}</Table.Th>
          <Table.Th>{t('profile.value')}</Table.Th>
          <Table.Th>{t('profile.lastSeen')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {p.identities.map((i) => (
          <Table.Tr key={`${i.type}:${i.value}`}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              {t(`identifiers.${i.type}`, { defaultValue: i.type })}
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-all' }}>
              <Text size="sm">
                {i.value}{' '}
                {i.shared && (
                  <Badge size="xs" color="orange" variant="light">
                    {t('profile.shared')}
                  </Badge>
                )}
              </Text>
              {i.source && (
                <Text size="xs" c="dimmed">
                  {sourceName(i.source)}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="xs">{f.dateTime(i.lastSeen)}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function Devices({ p }: { p: Profile }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack gap="xs">
      {p.devices.length === 0 ? (
        <Empty />
      ) : (
        p.devices.map((d) => (
          <Group key={d.id} justify="space-between" wrap="nowrap">
            <Text size="sm" style={{ wordBreak: 'break-all' }}>
              {d.id} {d.type && <Badge size="xs">{d.type}</Badge>}
            </Text>
            <Text size="xs" c="dimmed">
              {f.dateTime(d.lastSeen)}
            </Text>
          </Group>
        ))
      )}
      <Text fw={600} size="sm" mt="xs">
        {t('profile.pushTokens')}
      </Text>
      {p.pushTokens.length === 0 ? (
        <Empty />
      ) : (
        p.pushTokens.map((pt) => (
          <Group key={pt.token} justify="space-between" wrap="nowrap">
            <Text
              size="sm"
              style={{ wordBreak: 'break-all' }}
              td={pt.invalidated ? 'line-through' : undefined}
            >
              {pt.token} {pt.platform && <Badge size="xs">{pt.platform}</Badge>}
            </Text>
            <Text size="xs" c="dimmed">
              {pt.invalidated ? t('profile.invalidated') : f.dateTime(pt.lastUsed)}
            </Text>
          </Group>
        ))
      )}
    </Stack>
  );
}
