import { Badge, Button, Group, Select } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { switchWorkspace } from '../api/users.ts';
import { useAuth } from '../auth.tsx';

/** Header: the workspace switcher (when the user has several) and the user, linking to Account. */
export function UserMenu() {
  const { t } = useTranslation();
  const auth = useAuth();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: switchWorkspace,
    onSuccess: (session) => {
      auth.setSession(session);
      // Every cached answer belongs to the previous workspace.
      queryClient.clear();
    },
  });
  const s = auth.session;
  if (!s) return null;
  return (
    <Group gap="xs" wrap="nowrap">
      {s.workspaces.length > 1 && (
        <Select
          size="xs"
          w={180}
          aria-label={t('users.header.workspace')}
          data={s.workspaces.map((w) => ({ value: w.id, label: w.name }))}
          value={s.workspace.id}
          allowDeselect={false}
          disabled={change.isPending}
          onChange={(v) => v && v !== s.workspace.id && change.mutate(v)}
          data-testid="workspace-switch"
        />
      )}
      <Button component={Link} to="/account" variant="subtle" size="xs" data-testid="current-user">
        {s.user.name || s.user.email}
        <Badge size="xs" variant="light" ml={6} data-testid="current-role">
          {t(`roles.${s.role}`)}
        </Badge>
      </Button>
    </Group>
  );
}
