import type { Profile } from '../api/types.ts';

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** A person's display name: name traits, then email, phone, user id, then the profile id. */
export function profileLabel(p: Pick<Profile, 'id' | 'traits' | 'identities'>): string {
  const t = p.traits;
  const full = [text(t.firstName) ?? text(t.first_name), text(t.lastName) ?? text(t.last_name)]
    .filter(Boolean)
    .join(' ');
  const id = (type: string) => p.identities.find((i) => i.type === type)?.value ?? null;
  return (
    text(t.name) ?? (full || null) ?? text(t.email) ?? id('email') ?? id('phone') ?? id('user_id') ?? p.id
  );
}
