/** Collects one person's messages as they are simulated and hands them back in time order. */
import type { Client } from './people.ts';
import { hashUuid } from './random.ts';

type Json = Record<string, unknown>;

/** A Segment message, as `analytics.js` or a mobile SDK puts it in a `/v1/batch` body. */
export interface DemoMessage {
  type: 'track' | 'page' | 'screen' | 'identify';
  messageId: string;
  /** ISO 8601, UTC. */
  timestamp: string;
  userId?: string;
  anonymousId?: string;
  event?: string;
  /** Page or screen name. */
  name?: string;
  properties?: Json;
  traits?: Json;
  context: Json;
}

type Ids = { userId?: string; anonymousId?: string };
type Body = Pick<DemoMessage, 'type' | 'event' | 'name' | 'properties' | 'traits'>;

/** What backend services (billing, payments, cart timers) put in `context`. */
const BACKEND: Json = { library: { name: 'datapulse-demo-backend', version: '1.0.0' } };

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let cachedDay = Number.NaN;
let cachedPrefix = '';

/** `new Date(t).toISOString()`, without a Date per call (the date part is cached). */
export function isoTime(t: number): string {
  const ms = Math.floor(t);
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${cachedPrefix}${PAD2[h]}:${PAD2[m]}:${PAD2[sec]}.${PAD3[rest - sec * 1000]}Z`;
}

interface Item {
  t: number;
  seq: number;
  message: DemoMessage;
}

/**
 * A message's `context` is the client's (shared between its messages: nothing mutates them)
 * plus what the call adds (`page`, `campaign`).
 */
export class Timeline {
  private items: Item[] = [];
  private seq = 0;
  /** Messages up to `now` so far. */
  count = 0;

  /**
   * `runId` (a hash of seed and now) and `person` make message ids unique; later than `now` is
   * dropped. With `countOnly` messages are counted, not built.
   */
  constructor(
    private readonly runId: number,
    private readonly person: number,
    private readonly now: number,
    private readonly countOnly = false,
  ) {}

  private add(t: number, ids: Ids, body: Body, context: Json): void {
    const seq = this.seq++;
    if (t > this.now) return;
    this.count++;
    if (this.countOnly) return;
    const message: DemoMessage = {
      type: body.type,
      messageId: hashUuid(this.runId, this.person, seq),
      timestamp: isoTime(t),
      ...ids,
      ...(body.event === undefined ? {} : { event: body.event }),
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.properties === undefined ? {} : { properties: body.properties }),
      ...(body.traits === undefined ? {} : { traits: body.traits }),
      context,
    };
    this.items.push({ t, seq, message });
  }

  private ids(client: Client): Ids {
    return client.userId
      ? { userId: client.userId, anonymousId: client.anonymousId }
      : { anonymousId: client.anonymousId };
  }

  private context(client: Client, extra: Json | undefined): Json {
    return extra && Object.keys(extra).length > 0 ? { ...client.context, ...extra } : client.context;
  }

  track(t: number, client: Client, event: string, properties: Json, context?: Json): void {
    this.add(t, this.ids(client), { type: 'track', event, properties }, this.context(client, context));
  }

  page(t: number, client: Client, name: string, properties: Json, context?: Json): void {
    this.add(t, this.ids(client), { type: 'page', name, properties }, this.context(client, context));
  }

  screen(t: number, client: Client, name: string, properties: Json, context?: Json): void {
    this.add(t, this.ids(client), { type: 'screen', name, properties }, this.context(client, context));
  }

  identify(t: number, client: Client, traits: Json): void {
    this.add(t, this.ids(client), { type: 'identify', traits }, client.context);
  }

  /** An event a backend sends about a user (no device): payments, renewals, abandoned-cart timers. */
  backendTrack(t: number, ids: Ids, event: string, properties: Json): void {
    this.add(t, ids, { type: 'track', event, properties }, BACKEND);
  }

  backendIdentify(t: number, userId: string, traits: Json): void {
    this.add(t, { userId }, { type: 'identify', traits }, BACKEND);
  }

  /** The messages up to `now`, oldest first (ties keep the order they were made in). */
  messages(): DemoMessage[] {
    this.items.sort((a, b) => a.t - b.t || a.seq - b.seq);
    return this.items.map((item) => item.message);
  }
}
