import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

const KNOWN_CODES = new Set([
  'network',
  'unauthorized',
  'forbidden',
  'not_found',
  'validation_failed',
  'conflict',
  'rate_limited',
  'unavailable',
  'internal_error',
  'payload_too_large',
  'http_error',
  'bad_response',
]);

/** A failed call as a visible message: what happened (translated), the server's words, the fields. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const api = error instanceof ApiError ? error : null;
  const code = api?.code ?? 'unknown';
  const explanation = KNOWN_CODES.has(code)
    ? t(`errors.codes.${code}`)
    : api && api.status >= 500
      ? t('errors.server')
      : t('errors.unknown');
  const message = api?.message ?? (error instanceof Error ? error.message : String(error));
  return (
    <Alert
      color="red"
      variant="light"
      title={title ?? t('errors.title')}
      data-testid="api-error"
      role="alert"
    >
      <Text size="sm">{explanation}</Text>
      {message && message !== explanation && (
        <Text size="sm" c="dimmed" mt={4}>
          {api?.status ? `${api.status} · ` : ''}
          {message}
        </Text>
      )}
      {api && api.details.length > 0 && (
        <List size="sm" mt={4}>
          {api.details.map((d) => (
            <List.Item key={`${d.path}:${d.message}`}>
              <code>{d.path}</code> — {d.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
