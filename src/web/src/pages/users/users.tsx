import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { type Page, ROLES, type Role } from '../../api/types.ts';
import type { CreatedInvitation, Invitation, Member } from '../../api/users.ts';
import { useAuth } from '../../auth.tsx';
import { CopyCode } from '../../components/copy-code.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryView } from '../../components/query-view.tsx';

function useRoleOptions() {
  const { t } = useTranslation();
  const { session } = useAuth();
  // Nobody hands out more power than they hold: only owners see the owner role.
  const canOwner = !session || session.role === 'owner';
  return ROLES.filter((r) => r !== 'owner' || canOwner).map((r) => ({ value: r, label: t(`roles.${r}`) }));
}

function InviteForm({ onCreated }: { onCreated: (inv: CreatedInvitation) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roles = useRoleOptions();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const invite = useMutation({
    mutationFn: (body: { email: string; role: Role }) =>
      api<CreatedInvitation>('/users/invitations', { method: 'POST', body }),
    onSuccess: (inv) => {
      setEmail('');
      void queryClient.invalidateQueries({ queryKey: ['invitations'] });
      onCreated(inv);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate({ email: email.trim(), role });
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Group align="end">
            <TextInput
              label={t('users.manage.email')}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              style={{ flex: 1 }}
              data-testid="invite-email"
            />
            <Select
              label={t('users.manage.role')}
              data={roles}
              value={role}
              onChange={(v) => v && setRole(v as Role)}
              allowDeselect={false}
              w={180}
              data-testid="invite-role"
            />
            <Button
              type="submit"
              loading={invite.isPending}
              disabled={!email.trim()}
              data-testid="invite-create"
            >
              {t('users.manage.invite')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t(`roles.${role}Hint`)}
          </Text>
          {invite.isError && <ErrorAlert error={invite.error} />}
        </Stack>
      </form>
    </Paper>
  );
}

function MemberRow({ member }: { member: Member }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { session } = useAuth();
  const queryClient = useQueryClient();
  const roles = useRoleOptions();
  const [confirming, setConfirming] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['members'] });
  const setRole = useMutation({
    mutationFn: (role: Role) =>
      api<Member>(`/users/${encodeURIComponent(member.id)}`, { method: 'PATCH', body: { role } }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/users/${encodeURIComponent(member.id)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  const ownerLocked = member.role === 'owner' && session !== null && session.role !== 'owner';
  return (
    <>
      <Table.Tr data-testid={`member-${member.email}`}>
        <Table.Td>
          {member.name}{' '}
          {session?.user.id === member.id && (
            <Badge size="xs" variant="light">
              {t('users.manage.you')}
            </Badge>
          )}
        </Table.Td>
        <Table.Td>{member.email}</Table.Td>
        <Table.Td>
          <Select
            size="xs"
            w={150}
            data={ownerLocked ? [{ value: 'owner', label: t('roles.owner') }] : roles}
            value={member.role}
            disabled={ownerLocked || setRole.isPending}
            allowDeselect={false}
            onChange={(v) => v && v !== member.role && setRole.mutate(v as Role)}
            aria-label={t('users.manage.role')}
            data-testid="member-role"
          />
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.dateTime(member.joinedAt)}</Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          {confirming ? (
            <Group gap={4} wrap="nowrap">
              <Button
                size="xs"
                color="red"
                loading={remove.isPending}
                onClick={() => remove.mutate()}
                data-testid="member-remove-confirm"
              >
                {t('users.manage.removeConfirm')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
            </Group>
          ) : (
            <Button
              size="xs"
              variant="subtle"
              color="red"
              disabled={ownerLocked}
              onClick={() => setConfirming(true)}
              data-testid="member-remove"
            >
              {t('users.manage.remove')}
            </Button>
          )}
        </Table.Td>
      </Table.Tr>
      {(setRole.isError || remove.isError) && (
        <Table.Tr>
          <Table.Td colSpan={5}>
            <ErrorAlert error={setRole.error ?? remove.error} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function PendingInvitations() {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['invitations'],
    queryFn: () => api<Page<Invitation>>('/users/invitations'),
  });
  const withdraw = useMutation({
    mutationFn: (id: string) =>
      api<void>(`/users/invitations/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['invitations'] }),
  });
  return (
    <QueryView query={query}>
      {({ data }) =>
        data.length === 0 ? null : (
          <Stack gap="xs">
            <Title order={4}>{t('users.manage.pending')}</Title>
            {withdraw.isError && <ErrorAlert error={withdraw.error} />}
            <Table data-testid="invitations-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.manage.email')}</Table.Th>
                  <Table.Th>{t('users.manage.role')}</Table.Th>
                  <Table.Th>{t('users.manage.expires')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((inv) => (
                  <Table.Tr key={inv.id}>
                    <Table.Td>{inv.email}</Table.Td>
                    <Table.Td>{t(`roles.${inv.role}`)}</Table.Td>
                    <Table.Td>{f.dateTime(inv.expiresAt)}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => withdraw.mutate(inv.id)}>
                        {t('users.manage.withdraw')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )
      }
    </QueryView>
  );
}

/** Settings → Users: members with roles, invitations (link shown once), role changes, removal. */
export function UsersPage() {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const query = useQuery({ queryKey: ['members'], queryFn: () => api<Page<Member>>('/users') });
  return (
    <Stack>
      <Title order={2}>{t('users.manage.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('users.manage.intro')}
      </Text>
      {/* Members first: a role without users:manage sees one clear error, not a form. */}
      <QueryView query={query}>
        {({ data }) => (
          <Stack>
            <InviteForm onCreated={setCreated} />
            {created && (
              <Alert
                color="green"
                variant="light"
                title={t('users.manage.createdTitle', { email: created.email })}
                withCloseButton
                onClose={() => setCreated(null)}
                data-testid="invitation-created"
              >
                <Stack gap="xs">
                  <Text size="sm">{t('users.manage.showOnce')}</Text>
                  <CopyCode value={`${window.location.origin}${created.path}`} testId="invitation-link" />
                </Stack>
              </Alert>
            )}
            <Table.ScrollContainer minWidth={640}>
              <Table highlightOnHover data-testid="users-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('users.manage.name')}</Table.Th>
                    <Table.Th>{t('users.manage.email')}</Table.Th>
                    <Table.Th>{t('users.manage.role')}</Table.Th>
                    <Table.Th>{t('users.manage.joined')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.map((m) => (
                    <MemberRow key={m.id} member={m} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <PendingInvitations />
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
