import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, ROLES } from './permissions.ts';

/** The permission table of docs/security.md, as `permission → roles`. */
function documentedMatrix(): Record<string, string[]> {
  const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('Roles and permissions'));
  if (!section) throw new Error('docs/security.md has no "Roles and permissions" section');
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const [header, , ...body] = rows;
  const roleColumns = header
    .map((h, i) => [h, i] as const)
    .filter(([h]) => (ROLES as readonly string[]).includes(h));
  return Object.fromEntries(
    body.map((cells) => [
      cells[0].replace(/`/g, ''),
      roleColumns.filter(([, i]) => cells[i] === '✓').map(([role]) => role),
    ]),
  );
}

describe('docs/security.md', () => {
  it('documents exactly the permission matrix of the code', () => {
    const code = Object.fromEntries(PERMISSIONS.map((p) => [p, ROLES.filter((r) => can(r, p))]));
    expect(documentedMatrix()).toEqual(code);
  });
});
