/** The segments a profile is in, as links with their names (the profile view lists ids). */
import { Anchor, Group, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { segmentsApi } from '../../api/segments.ts';

export function ProfileSegments({ ids }: { ids: string[] }) {
  const { t } = useTranslation();
  const names = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['segments', id],
      queryFn: () => segmentsApi.get(id),
      retry: false,
    })),
  });
  if (ids.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="profile-no-segments">
        {t('segments.profileNone')}
      </Text>
    );
  return (
    <Group gap="xs" data-testid="profile-segments">
      {ids.map((id, i) => (
        <Anchor key={id} component={Link} to={`/segments/${id}`} size="sm" data-testid="profile-segment">
          {names[i]?.data?.name ?? id}
        </Anchor>
      ))}
    </Group>
  );
}
