import { Button, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { identityApi, isForbidden } from '../../api/identity.ts';
import type { Merge } from '../../api/types.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';

/** The profile card's "Undo merge" action: asks first, then splits the merge back (unmerge). */
export function UndoMerge({ merge }: { merge: Merge }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const undo = useMutation({
    mutationFn: () => identityApi.undoMerge(merge.id),
    onSuccess: () => {
      setOpen(false);
      void queryClient.invalidateQueries({ queryKey: ['profiles'] });
      void queryClient.invalidateQueries({ queryKey: ['identity', 'candidates'] });
    },
  });
  if (merge.undoneAt) return null;
  return (
    <>
      <Button
        size="compact-xs"
        variant="light"
        color="red"
        onClick={() => {
          undo.reset();
          setOpen(true);
        }}
        data-testid="undo-merge"
      >
        {t('identityMerges.undo')}
      </Button>
      <ConfirmModal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('identityMerges.confirmTitle')}
        message={t('identityMerges.confirm', { id: merge.mergedId })}
        confirmLabel={t('identityMerges.undo')}
        onConfirm={() => undo.mutate()}
        pending={undo.isPending}
        error={undo.error}
        renderError={(error) =>
          isForbidden(error) ? (
            <Text size="sm" c="red" data-testid="undo-forbidden">
              {t('identityMerges.forbidden')}
            </Text>
          ) : (
            <ErrorAlert error={error} />
          )
        }
        testId="confirm-undo"
      />
    </>
  );
}
