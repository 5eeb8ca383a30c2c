import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { invalid, ValidationError } from '../core/errors.ts';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/**
 * The password policy (docs/security.md): 10..256 characters, at least two kinds of character
 * (lower-case, upper-case, digits, other), at least 5 different characters, and not the e-mail
 * address or its name part. Returns the problem, or null when the password is acceptable.
 */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) =>
    re.test(password),
  );
  if (classes.length < 2)
    return 'must mix at least two kinds of character: lower-case, upper-case, digits, symbols';
  if (new Set(password).size < 5) return 'must contain at least 5 different characters';
  if (email) {
    const lower = password.toLowerCase();
    const e = email.trim().toLowerCase();
    const local = e.split('@')[0];
    if (lower === e || (local.length >= 4 && lower.includes(local)))
      return 'must not contain your e-mail address';
  }
  return null;
}

/** Throws a ValidationError naming `path` when the password breaks the policy. */
export function assertPasswordPolicy(password: string, path: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw invalid(path, problem);
}

/** argon2id (the library's default algorithm) with its default cost: 19 MiB, 2 passes. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

let dummy: Promise<string> | null = null;

/**
 * Checks a password against a stored hash; without one (unknown e-mail) it verifies against a
 * dummy hash, so answering takes about as long whether the address exists or not.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummy ??= hash(randomBytes(16).toString('hex'));
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function assertEmail(email: string, path = '/email'): string {
  const e = normaliseEmail(email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) || e.length > 254)
    throw invalid(path, 'must be an e-mail address');
  return e;
}

export { ValidationError };
