import { ForbiddenError } from '../core/errors.ts';

export const ROLES = ['owner', 'admin', 'analyst', 'marketer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The permission matrix, in one place. Every service asks `assertCan` before it acts; REST,
 * GraphQL and the console reach services only through it.
 */
const MATRIX = {
  'workspaces:create': ['owner'],
  'workspaces:read': ['owner', 'admin', 'analyst', 'marketer', 'viewer'],
  'sources:manage': ['owner', 'admin'],
  'sources:read': ['owner', 'admin', 'analyst', 'marketer', 'viewer'],
  'tokens:manage': ['owner', 'admin'],
  'users:manage': ['owner', 'admin'],
  'events:read': ['owner', 'admin', 'analyst', 'marketer', 'viewer'],
  'events:export': ['owner', 'admin', 'analyst', 'marketer'],
  'profiles:read': ['owner', 'admin', 'analyst', 'marketer', 'viewer'],
  'profiles:write': ['owner', 'admin', 'marketer'],
  'profiles:export': ['owner', 'admin', 'analyst', 'marketer'],
  'profiles:erase': ['owner', 'admin'],
  'pii:read': ['owner', 'admin', 'marketer'],
  'pii:manage': ['owner', 'admin'],
  'identity:manage': ['owner', 'admin'],
  'segments:read': ['owner', 'admin', 'analyst', 'marketer', 'viewer'],
  'segments:write': ['owner', 'admin', 'analyst', 'marketer'],
  'segments:export': ['owner', 'admin', 'analyst', 'marketer'],
  'reports:read': ['owner', 'admin', 'analyst', 'marketer', 'viewer'],
  'reports:write': ['owner', 'admin', 'analyst', 'marketer'],
  'marketing:write': ['owner', 'admin', 'marketer'],
  'jobs:read': ['owner', 'admin', 'analyst', 'marketer', 'viewer'],
  'audit:read': ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof MATRIX;

export const PERMISSIONS = Object.keys(MATRIX) as Permission[];

export function can(role: Role, permission: Permission): boolean {
  return (MATRIX[permission] as readonly Role[]).includes(role);
}

/** Who is calling: resolved from an API token or a console session. */
export interface Principal {
  workspaceId: string;
  role: Role;
  tokenId: string | null;
  /** The console user, when the call comes with a session cookie. */
  userId?: string | null;
  /** The caller's address (for the audit log), set by the HTTP layer. */
  ip?: string;
  /** True for the owner of the instance's first workspace: may create workspaces. */
  instanceOwner: boolean;
}

export function assertCan(principal: Principal, permission: Permission): void {
  if (!can(principal.role, permission)) {
    throw new ForbiddenError(`Role ${principal.role} may not ${permission.replace(':', ' ')}`);
  }
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
