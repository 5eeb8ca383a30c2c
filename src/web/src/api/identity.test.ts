import { describe, expect, it } from 'vitest';
import { ApiError } from './client.ts';
import { canManageIdentity, isForbidden } from './identity.ts';

describe('identity access', () => {
  it('lets owners and admins manage identity, and knows nothing of an API token', () => {
    expect(canManageIdentity('owner')).toBe(true);
    expect(canManageIdentity('admin')).toBe(true);
    for (const role of ['analyst', 'marketer', 'viewer']) expect(canManageIdentity(role)).toBe(false);
    expect(canManageIdentity(undefined)).toBeNull();
  });

  it('tells a 403 from other failures', () => {
    expect(isForbidden(new ApiError(403, 'forbidden', 'no'))).toBe(true);
    expect(isForbidden(new ApiError(400, 'validation_failed', 'bad'))).toBe(false);
    expect(isForbidden(new Error('403'))).toBe(false);
  });
});
