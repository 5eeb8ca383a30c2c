import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert.tsx';

/**
 * Asks before a destructive action (delete, revoke, undo): a message, the failed call's error if
 * any, Cancel and a red confirm button that shows progress.
 */
export function ConfirmModal(props: {
  opened: boolean;
  onClose: () => void;
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  pending: boolean;
  error?: unknown;
  /** Shown instead of the generic error alert (e.g. a friendlier "not allowed"). */
  renderError?: (error: unknown) => ReactNode;
  /** Extra content under the message (warnings). */
  children?: ReactNode;
  testId: string;
}) {
  const { t } = useTranslation();
  const { error } = props;
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title}>
      <Stack>
        <Text size="sm">{props.message}</Text>
        {props.children}
        {error != null && (props.renderError ? props.renderError(error) : <ErrorAlert error={error} />)}
        <Group justify="end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={props.pending} onClick={props.onConfirm} data-testid={props.testId}>
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
