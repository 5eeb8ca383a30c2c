import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { MessageIdIndex } from './dedup.ts';

describe('MessageIdIndex', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(async () => t?.close());

  const line = (ws: string, id: string) =>
    `${JSON.stringify({ workspace_id: ws, message_id: id, type: 'track', event: 'x', profile_id: 'p', user_id: '', anonymous_id: 'a', source_id: 's', timestamp: '2026-01-01 00:00:00.000', received_at: '2026-11-01 00:00:00.000', properties: '{}', traits: '{}', context: '{}' })}\n`;

  it('finds stored ids after a rebuild from ClickHouse and from a snapshot, per workspace', async () => {
    await t.platform.stores.ch.insertJsonEachRow(
      'events',
      Buffer.from(line('ws_a', 'm\t1') + line('ws_a', 'm2') + line('ws_b', 'm3')),
    );
    const log = pino({ level: 'silent' });
    const file = `${t.dataDir}/ids.bloom`;
    const rebuilt = new MessageIdIndex(t.platform.stores.ch, file, log);
    await rebuilt.load();
    expect(rebuilt.size).toBeGreaterThanOrEqual(3);
    expect(await rebuilt.existing('ws_a', ['m\t1', 'm2', 'm3', 'new'])).toEqual(new Set(['m\t1', 'm2']));
    expect(await rebuilt.existing('ws_b', ['m3', 'm2'])).toEqual(new Set(['m3']));

    rebuilt.save(Date.now());
    const fromSnapshot = new MessageIdIndex(t.platform.stores.ch, file, log);
    await fromSnapshot.load();
    expect(await fromSnapshot.existing('ws_a', ['m\t1', 'm2', 'nope'])).toEqual(new Set(['m\t1', 'm2']));
  });
});
