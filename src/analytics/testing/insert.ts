import type { ClickHouse } from '../../storage/index.ts';
import type { Dataset } from './dataset.ts';

const chTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

function lines(rows: Record<string, unknown>[]): Buffer {
  return Buffer.from(rows.map((x) => `${JSON.stringify(x)}\n`).join(''));
}

/** Writes the dataset to the ClickHouse tables, as the ingest pipeline and identity would. */
export async function insertDataset(ch: ClickHouse, ds: Dataset): Promise<void> {
  await ch.insertJsonEachRow(
    'events',
    lines(
      ds.events.map((e) => ({
        workspace_id: e.ws,
        message_id: e.messageId,
        type: e.type,
        event: e.event,
        profile_id: e.profileId,
        user_id: '',
        anonymous_id: '',
        source_id: 'src_test',
        timestamp: chTime(e.ts),
        received_at: chTime(e.receivedAt),
        properties: JSON.stringify(e.properties),
        traits: JSON.stringify(e.traits),
        context: JSON.stringify(e.context),
      })),
    ),
  );
  await ch.insertJsonEachRow(
    'profile_aliases',
    lines(
      ds.aliases.map((a) => ({
        workspace_id: a.ws,
        profile_id: a.profileId,
        survivor_id: a.survivorId,
        version: a.version,
      })),
    ),
  );
  await ch.insertJsonEachRow(
    'profiles',
    lines(
      ds.profiles.map((p) => ({
        workspace_id: p.ws,
        profile_id: p.profileId,
        traits: JSON.stringify(p.traits),
        identifier_types: [],
        identifiers: '{}',
        first_seen: chTime(0),
        last_seen: chTime(0),
        created_at: chTime(0),
        version: p.version,
        deleted: p.deleted,
      })),
    ),
  );
  if (ds.members.length) {
    await ch.insertJsonEachRow(
      'segment_members',
      lines(
        ds.members.map((m) => ({
          workspace_id: m.ws,
          segment_id: m.segmentId,
          profile_id: m.profileId,
          entered_at: chTime(0),
          version: m.version,
          is_member: m.isMember,
        })),
      ),
    );
  }
}
