import { api } from './client.ts';
import type { Role } from './types.ts';

/** The signed-in console user (GET /auth/me, POST /auth/login, POST /auth/switch). */
export interface SessionInfo {
  user: { id: string; email: string; name: string };
  workspace: { id: string; name: string };
  role: Role;
  csrfToken: string;
  workspaces: { id: string; name: string; role: Role }[];
}

export interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

export interface CreatedInvitation extends Invitation {
  token: string;
  /** `/accept-invitation?token=…`, relative to the console's address. */
  path: string;
}

export const login = (body: { email: string; password: string }) =>
  api<SessionInfo>('/auth/login', { method: 'POST', body, quiet401: true });

export const fetchSession = () => api<SessionInfo>('/auth/me', { quiet401: true });

export const logout = () => api<void>('/auth/logout', { method: 'POST', quiet401: true });

export const logoutEverywhere = () => api<void>('/auth/logout-all', { method: 'POST' });

export const switchWorkspace = (workspaceId: string) =>
  api<SessionInfo>('/auth/switch', { method: 'POST', body: { workspaceId } });

export const changePassword = (body: { currentPassword: string; newPassword: string }) =>
  api<void>('/auth/password', { method: 'POST', body });

export const acceptInvitation = (body: { token: string; name: string; password: string }) =>
  api<{ email: string; workspaceId: string; role: Role }>('/auth/accept-invitation', {
    method: 'POST',
    body,
    quiet401: true,
  });
