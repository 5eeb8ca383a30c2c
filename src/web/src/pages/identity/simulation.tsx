import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { SimulateReport } from '../../api/identity.ts';
import { useFormat } from '../../components/format.ts';

function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  testId: string;
}) {
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid={testId}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

function ProfileLink({ id }: { id: string }) {
  return (
    <Anchor component={Link} to={`/profiles/${encodeURIComponent(id)}`} size="sm" ff="monospace">
      {id}
    </Anchor>
  );
}

function Identifiers({ list }: { list: string[] }) {
  return (
    <Group gap={4}>
      {list.slice(0, 6).map((id) => (
        <Badge key={id} variant="light" color="gray" tt="none" size="sm">
          {id}
        </Badge>
      ))}
      {list.length > 6 && <Text size="xs">+{list.length - 6}</Text>}
    </Group>
  );
}

/** What the rule simulator reported: profiles today vs proposed, merges and splits with examples. */
export function SimulationResult({ report, stale }: { report: SimulateReport; stale: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const delta = report.proposedProfiles - report.currentProfiles;
  return (
    <Paper withBorder p="sm" data-testid="simulation">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>{t('identityRules.sim.title')}</Text>
          <Text size="xs" c="dimmed" data-testid="simulation-window">
            {t('identityRules.sim.window', {
              count: report.events,
              from: f.date(report.from),
              to: f.date(report.to),
            })}
          </Text>
        </Group>
        {stale && (
          <Alert color="yellow" variant="light" data-testid="simulation-stale">
            {t('identityRules.sim.stale')}
          </Alert>
        )}
        {report.truncated && (
          <Text size="xs" c="dimmed">
            {t('identityRules.sim.truncated')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Stat
            label={t('identityRules.sim.today')}
            value={f.number(report.currentProfiles)}
            testId="sim-current"
          />
          <Stat
            label={t('identityRules.sim.proposed')}
            value={f.number(report.proposedProfiles)}
            hint={delta === 0 ? t('identityRules.sim.noChange') : `${delta > 0 ? '+' : ''}${f.number(delta)}`}
            testId="sim-proposed"
          />
          <Stat
            label={t('identityRules.sim.merging')}
            value={f.number(report.merges.profiles)}
            hint={t('identityRules.sim.groups', { count: report.merges.groups })}
            testId="sim-merges"
          />
          <Stat
            label={t('identityRules.sim.splitting')}
            value={f.number(report.splits.profiles)}
            testId="sim-splits"
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed" data-testid="sim-baseline">
          {t('identityRules.sim.baseline', {
            profiles: f.number(report.baseline.proposedProfiles),
            merges: f.number(report.baseline.mergeGroups),
            splits: f.number(report.baseline.splitProfiles),
          })}
        </Text>
        {report.merges.examples.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t('identityRules.sim.mergeExamples')}
            </Text>
            <Table data-testid="sim-merge-examples">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('identityRules.sim.profiles')}</Table.Th>
                  <Table.Th>{t('identityRules.sim.events')}</Table.Th>
                  <Table.Th>{t('identityRules.sim.identifiers')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.merges.examples.map((ex) => (
                  <Table.Tr key={ex.profileIds.join()}>
                    <Table.Td>
                      <Stack gap={0}>
                        {ex.profileIds.map((id) => (
                          <ProfileLink key={id} id={id} />
                        ))}
                      </Stack>
                    </Table.Td>
                    <Table.Td>{f.number(ex.events)}</Table.Td>
                    <Table.Td>
                      <Identifiers list={ex.identifiers} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
        {report.splits.examples.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t('identityRules.sim.splitExamples')}
            </Text>
            <Table data-testid="sim-split-examples">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('identityRules.sim.profile')}</Table.Th>
                  <Table.Th>{t('identityRules.sim.parts')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.splits.examples.map((ex) => (
                  <Table.Tr key={ex.profileId}>
                    <Table.Td>
                      <ProfileLink id={ex.profileId} />
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={4}>
                        {ex.parts.map((part) => (
                          <Group key={part.identifiers.join()} gap="xs" wrap="nowrap">
                            <Text size="xs" c="dimmed" w={90}>
                              {t('identityRules.sim.eventsCount', { count: part.events })}
                            </Text>
                            <Identifiers list={part.identifiers} />
                          </Group>
                        ))}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
