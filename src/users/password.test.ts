import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { assertPasswordPolicy, hashPassword, passwordProblem, verifyPassword } from './password.ts';

describe('password policy', () => {
  it.each([
    ['short1!', /at least 10/],
    ['abcdefghijkl', /two kinds/],
    ['ABCDEFGHIJKL', /two kinds/],
    ['123456789012', /two kinds/],
    ['aaaaaaaaaa11', /5 different/],
    ['x'.repeat(257), /at most 256/],
  ])('rejects %s', (pw, msg) => {
    expect(passwordProblem(pw)).toMatch(msg);
  });

  it.each(['correct horse battery', 'Tr0ub4dor&3x', 'пароль-2026-года', 'Admin-pass-2026'])(
    'accepts %s',
    (pw) => {
      expect(passwordProblem(pw)).toBeNull();
    },
  );

  it('rejects a password containing the e-mail name', () => {
    expect(passwordProblem('maria.ivanova1', 'Maria.Ivanova@example.com')).toMatch(/e-mail/);
    expect(passwordProblem('maria.ivanova1', 'other@example.com')).toBeNull();
  });

  it('names the field in the error', () => {
    try {
      assertPasswordPolicy('short', '/newPassword');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).details).toEqual([
        { path: '/newPassword', message: expect.any(String) },
      ]);
    }
  });

  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword('Tr0ub4dor&3x');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'Tr0ub4dor&3x')).toBe(true);
    expect(await verifyPassword(h, 'Tr0ub4dor&3y')).toBe(false);
    expect(await verifyPassword(null, 'Tr0ub4dor&3x')).toBe(false);
  });
});
