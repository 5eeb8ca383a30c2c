/**
 * Which traits are PII in a workspace (the defaults plus the workspace's own, stored in
 * PostgreSQL) and the masking policy of a caller: `null` for roles with `pii:read`.
 */
import { eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { assertCan, can, type Principal } from '../auth/index.ts';
import { ValidationError } from '../core/errors.ts';
import { DEFAULT_PII_FIELDS, PII_FIELD_PATTERN, type PiiPolicy, piiPolicy } from '../core/pii.ts';
import type { Db } from '../storage/index.ts';
import { piiSettings } from './schema.ts';

export interface PiiSettingsView {
  /** Always PII. */
  defaults: string[];
  /** Marked by this workspace. */
  fields: string[];
}

export const MAX_PII_FIELDS = 200;

/** The custom field list of a PUT body: trait paths, deduplicated, defaults dropped. */
export function validatePiiFields(body: unknown): string[] {
  const fields = (body as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields)) {
    throw new ValidationError('fields: must be an array of trait names', [
      { path: '/fields', message: 'must be an array of trait names' },
    ]);
  }
  if (fields.length > MAX_PII_FIELDS) {
    throw new ValidationError(`fields: at most ${MAX_PII_FIELDS}`, [
      { path: '/fields', message: `at most ${MAX_PII_FIELDS}` },
    ]);
  }
  const details = fields.flatMap((f, i) =>
    typeof f === 'string' && PII_FIELD_PATTERN.test(f)
      ? []
      : [
          {
            path: `/fields/${i}`,
            message: 'must be a trait name or dotted path, e.g. passport or billing.card',
          },
        ],
  );
  if (details.length) throw new ValidationError(`fields: ${details[0].message}`, details);
  const defaults = new Set<string>(DEFAULT_PII_FIELDS);
  return [...new Set(fields as string[])].filter((f) => !defaults.has(f));
}

export function createPii(deps: { db: Db }) {
  const { db } = deps;
  // Masking runs on hot reads: the list is cached; other nodes pick a change up within the TTL.
  const cache = new LRUCache<string, string[]>({ max: 10_000, ttl: 30_000 });

  async function customFields(workspaceId: string): Promise<string[]> {
    const hit = cache.get(workspaceId);
    if (hit) return hit;
    const [row] = await db.select().from(piiSettings).where(eq(piiSettings.workspaceId, workspaceId));
    const fields = row?.fields ?? [];
    cache.set(workspaceId, fields);
    return fields;
  }

  const policies = new LRUCache<string, PiiPolicy>({ max: 10_000, ttl: 30_000 });

  return {
    /** The masking policy for a caller; `null` when the caller may read PII. */
    async policy(p: Principal): Promise<PiiPolicy | null> {
      if (can(p.role, 'pii:read')) return null;
      const hit = policies.get(p.workspaceId);
      if (hit) return hit;
      const policy = piiPolicy(await customFields(p.workspaceId));
      policies.set(p.workspaceId, policy);
      return policy;
    },

    async get(p: Principal): Promise<PiiSettingsView> {
      assertCan(p, 'profiles:read');
      return { defaults: [...DEFAULT_PII_FIELDS], fields: await customFields(p.workspaceId) };
    },

    async save(p: Principal, body: unknown): Promise<PiiSettingsView> {
      assertCan(p, 'pii:manage');
      const fields = validatePiiFields(body);
      await db
        .insert(piiSettings)
        .values({ workspaceId: p.workspaceId, fields })
        .onConflictDoUpdate({ target: piiSettings.workspaceId, set: { fields, updatedAt: new Date() } });
      cache.delete(p.workspaceId);
      policies.delete(p.workspaceId);
      return { defaults: [...DEFAULT_PII_FIELDS], fields };
    },
  };
}

export type PiiService = ReturnType<typeof createPii>;
