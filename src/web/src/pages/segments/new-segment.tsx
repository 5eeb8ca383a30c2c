import { Anchor, Stack, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { segmentsApi } from '../../api/segments.ts';
import { SegmentForm } from './segment-form.tsx';

/** A new segment: its definition with the rule builder; saved, it opens its own page. */
export function NewSegmentPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => segmentsApi.create(body),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: ['segments'] });
      navigate(`/segments/${s.id}`);
    },
  });
  return (
    <Stack>
      <Anchor component={Link} to="/segments" size="sm">
        ← {t('segments.back')}
      </Anchor>
      <Title order={2}>{t('segments.newTitle')}</Title>
      <SegmentForm
        initial={null}
        onSave={(body) => create.mutate(body)}
        saving={create.isPending}
        error={create.error}
        submitLabel={t('segments.createSubmit')}
      />
    </Stack>
  );
}
