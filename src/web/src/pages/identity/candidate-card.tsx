import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Candidate, CandidateProfile } from '../../api/identity.ts';
import { identityApi, isForbidden } from '../../api/identity.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormat } from '../../components/format.ts';
import { keyTraits, sharedValues } from './review-logic.ts';

const STATUS_COLOR = { pending: 'yellow', accepted: 'green', merged: 'teal', rejected: 'gray' } as const;

function Side({ p, shared, testId }: { p: CandidateProfile; shared: Set<string>; testId: string }) {
  const { t } = useTranslation();
  const traits = keyTraits(p);
  return (
    <Paper withBorder p="xs" data-testid={testId}>
      <Stack gap={4}>
        {p.currentId ? (
          <Anchor
            component={Link}
            to={`/profiles/${encodeURIComponent(p.currentId)}`}
            size="sm"
            ff="monospace"
            data-testid="candidate-profile-link"
          >
            {p.currentId}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {t('identityReview.erased')}
          </Text>
        )}
        {p.currentId && p.currentId !== p.id && (
          <Text size="xs" c="dimmed">
            {t('identityReview.wasId', { id: p.id })}
          </Text>
        )}
        <Table verticalSpacing={2}>
          <Table.Tbody>
            {traits.map(({ key, value }) => (
              <Table.Tr
                key={key}
                bg={
                  shared.has(`${key}=${value.trim().toLowerCase()}`)
                    ? 'var(--mantine-color-green-light)'
                    : undefined
                }
              >
                <Table.Td w="35%">
                  <Text size="xs" c="dimmed" ff="monospace">
                    {key}
                  </Text>
                </Table.Td>
                <Table.Td style={{ wordBreak: 'break-word' }}>
                  <Text size="sm">{value}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
            {p.identities.map((i) => (
              <Table.Tr key={`${i.type}:${i.value}`}>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {t(`identifiers.${i.type}`, { defaultValue: i.type })}
                  </Text>
                </Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>
                  <Text size="sm">{i.value}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

/** One likely duplicate: the score and why, both profiles side by side, accept or reject. */
export function CandidateCard({
  c,
  onForbidden,
  readOnly,
}: {
  c: Candidate;
  onForbidden: (e: unknown) => void;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const decide = useMutation({
    mutationFn: (decision: 'accept' | 'reject') => identityApi.decide(c.id, decision),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['identity', 'candidates'] });
      void queryClient.invalidateQueries({ queryKey: ['profiles'] });
    },
    onError: onForbidden,
  });
  const shared = sharedValues(c.profiles[0], c.profiles[1]);
  return (
    <Paper withBorder p="sm" data-testid="candidate">
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Badge size="lg" variant="filled" data-testid="candidate-score">
              {t('identityReview.score', { score: f.number(c.score) })}
            </Badge>
            <Badge color={STATUS_COLOR[c.status]} variant="light" data-testid="candidate-status">
              {t(`identityReview.status.${c.status}`)}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {f.dateTime(c.decidedAt ?? c.createdAt)}
          </Text>
        </Group>
        <Group gap={6} data-testid="candidate-features">
          {c.features.map((feat) => (
            <Badge
              key={feat.name}
              variant="light"
              tt="none"
              color={feat.weight > 0 ? 'green' : feat.weight < 0 ? 'red' : 'gray'}
            >
              {t(`identityReview.feature.${feat.name}`, { defaultValue: feat.name })}:{' '}
              {t(`identityReview.value.${feat.value}`, { defaultValue: feat.value })}{' '}
              {feat.weight > 0 ? '+' : ''}
              {f.number(feat.weight)}
            </Badge>
          ))}
        </Group>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Side p={c.profiles[0]} shared={shared} testId="candidate-a" />
          <Side p={c.profiles[1]} shared={shared} testId="candidate-b" />
        </SimpleGrid>
        {decide.error != null && !isForbidden(decide.error) ? <ErrorAlert error={decide.error} /> : null}
        {c.status === 'pending' && !readOnly && (
          <Group>
            <Button
              color="green"
              loading={decide.isPending && decide.variables === 'accept'}
              disabled={decide.isPending}
              onClick={() => decide.mutate('accept')}
              data-testid="candidate-accept"
            >
              {t('identityReview.accept')}
            </Button>
            <Button
              variant="default"
              loading={decide.isPending && decide.variables === 'reject'}
              disabled={decide.isPending}
              onClick={() => decide.mutate('reject')}
              data-testid="candidate-reject"
            >
              {t('identityReview.reject')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
