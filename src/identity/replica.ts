import { traitValues } from '../core/identity/index.ts';
import { type ClickHouse, chTime } from '../storage/index.ts';
import type { ProfileState } from './state.ts';

let lastVersion = 0;
/** Monotonic versions for ReplacingMergeTree rows written by this process. */
function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}

function identifiersJson(p: ProfileState): { types: string[]; json: string } {
  const byKind: Record<string, string[]> = {};
  for (const id of p.identifiers) {
    byKind[id.kind] = [...(byKind[id.kind] ?? []), id.value];
  }
  return { types: Object.keys(byKind).sort(), json: JSON.stringify(byKind) };
}

/**
 * Keeps the ClickHouse profile replica and alias table in step with PostgreSQL, so segments and
 * reports join profiles inside ClickHouse. Each write is a new version of the row.
 */
export function profileReplica(ch: ClickHouse) {
  return {
    async write(
      workspaceId: string,
      profiles: readonly ProfileState[],
      removed: readonly string[] = [],
      aliases: readonly { profileId: string; survivorId: string }[] = [],
    ): Promise<void> {
      if (profiles.length || removed.length) {
        const lines: string[] = [];
        for (const p of profiles) {
          const ids = identifiersJson(p);
          lines.push(
            JSON.stringify({
              workspace_id: workspaceId,
              profile_id: p.id,
              traits: JSON.stringify(traitValues(p.traits)),
              identifier_types: ids.types,
              identifiers: ids.json,
              first_seen: chTime(new Date(p.firstSeen)),
              last_seen: chTime(new Date(p.lastSeen)),
              created_at: chTime(new Date(p.createdAt)),
              version: nextVersion(),
              deleted: 0,
            }),
          );
        }
        for (const id of removed) {
          lines.push(
            JSON.stringify({
              workspace_id: workspaceId,
              profile_id: id,
              traits: '{}',
              identifier_types: [],
              identifiers: '{}',
              first_seen: chTime(new Date(0)),
              last_seen: chTime(new Date(0)),
              created_at: chTime(new Date(0)),
              version: nextVersion(),
              deleted: 1,
            }),
          );
        }
        await ch.insertJsonEachRow('profiles', Buffer.from(`${lines.join('\n')}\n`));
      }
      if (aliases.length) {
        const lines = aliases.map((a) =>
          JSON.stringify({
            workspace_id: workspaceId,
            profile_id: a.profileId,
            survivor_id: a.survivorId,
            version: nextVersion(),
          }),
        );
        await ch.insertJsonEachRow('profile_aliases', Buffer.from(`${lines.join('\n')}\n`));
      }
    },
  };
}

export type ProfileReplica = ReturnType<typeof profileReplica>;
