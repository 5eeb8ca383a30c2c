/**
 * The demo dataset: simulated people of an e-commerce site + app (seed 004) and a media
 * subscription product (seed 001), as the Segment messages their SDKs and backends would send.
 * Pure and deterministic: the same options give the same messages (ids included).
 *
 * Each person arrives through a first touch (UTM campaign with click id, organic, direct),
 * browses anonymously on one of 1–3 devices (an anonymousId per device and product), and most
 * sign in later (identify with traits typed in messy ways); some never do, a few households
 * share a laptop. Messages come per person, oldest first.
 */

import { identifyTraits } from './identifiers.ts';
import { mediaVisit, priorSubscription } from './media.ts';
import { createPerson, DAY_MS, type Person } from './people.ts';
import { type PlannedPush, type PlannedVisit, planPushes, planVisits } from './plan.ts';
import { createRng, hash32, type Rng } from './random.ts';
import { newSession, type PersonState, planAt } from './session.ts';
import { shopVisit } from './shop.ts';
import { type DemoMessage, Timeline } from './timeline.ts';

export { generateSpend, type SpendRow, spendCsv } from './spend.ts';
export type { DemoMessage } from './timeline.ts';

export interface GenerateOptions {
  /** Simulated people. */
  profiles: number;
  /** Length of the window, ending at `now`. */
  days: number;
  seed: number;
  /** End of the window; no message is later. */
  now: Date | number;
}

export interface GeneratedPerson {
  index: number;
  userId: string;
  /** Oldest first. */
  events: DemoMessage[];
}

interface Run {
  seed: number;
  profiles: number;
  /** Hash of seed and now: message ids differ between runs, so a second run adds a second dataset. */
  runId: number;
  range: { notBefore: number; now: number };
}

function runOf(opts: GenerateOptions): Run {
  const now = Number(opts.now);
  return {
    seed: opts.seed,
    profiles: opts.profiles,
    runId: hash32(opts.seed, now),
    range: { notBefore: now - opts.days * DAY_MS, now },
  };
}

/** The campaign that brought a person decides how likely they are to buy or subscribe. */
function initialState(run: Run, person: Person, rng: Rng, tl: Timeline, quality: number): PersonState {
  const state: PersonState = {
    everSignedIn: person.existing,
    leadCaptured: false,
    checkouts: 0,
    subscription: null,
    subscribeOnVisit: -1,
    mediaVisits: 0,
  };
  if (person.existing) for (const client of person.clients) client.userId = person.userId;
  if (person.products.media) {
    if (person.existing && rng.chance(0.45))
      state.subscription = priorSubscription(tl, rng, person, run.range);
    else if (person.signsIn && rng.chance(Math.min(0.9, 0.35 * quality)))
      state.subscribeOnVisit = rng.int(0, 4);
  }
  person.buyIntent = Math.min(0.6, person.buyIntent * quality);
  return state;
}

function push(tl: Timeline, item: PlannedPush): void {
  const { client, notification: n } = item;
  const props = {
    push_token: client.token,
    notification_type: n.type,
    campaign_id: n.campaign,
    title: n.title,
  };
  tl.track(item.t, client, 'Push Received', props);
  if (item.openedAt !== null) tl.track(item.openedAt, client, 'Push Opened', props);
}

function visit(
  run: Run,
  tl: Timeline,
  rng: Rng,
  person: Person,
  state: PersonState,
  item: PlannedVisit,
): void {
  const { client } = item;
  client.sessions += 1;
  const s = newSession({ tl, rng, person, client, state, t: item.t }, item.touch);
  if (client.sessions === 1 && client.userId) {
    // A customer from before the window: the app identifies at launch.
    const plan = planAt(person, state, s.t);
    tl.identify(s.t, client, identifyTraits(rng, person, 'email', plan ? { plan } : {}));
    s.t += rng.int(200, 1000);
  }
  if (client.product === 'shop') shopVisit(s);
  else mediaVisit(s, run.range);
}

function simulate(run: Run, index: number, countOnly = false): { person: Person; tl: Timeline } {
  const { seed, profiles, range } = run;
  const person = createPerson(seed, index, profiles, range.notBefore, range.now);
  const rng = createRng(hash32(seed, index, 0xbe4a));
  const tl = new Timeline(run.runId, index, range.now, countOnly);
  const visits = planVisits(rng, person, range.notBefore);
  const state = initialState(run, person, rng, tl, visits[0]?.touch?.quality ?? 1);
  const agenda = [...visits, ...planPushes(rng, person, visits, range.now)].sort((a, b) => a.t - b.t);
  for (const item of agenda) {
    if (item.kind === 'push') push(tl, item);
    else visit(run, tl, rng, person, state, item);
  }
  return { person, tl };
}

/** Person by person, each person's messages oldest first. */
export function* generatePeople(opts: GenerateOptions): Generator<GeneratedPerson> {
  const run = runOf(opts);
  for (let index = 0; index < opts.profiles; index++) {
    const { person, tl } = simulate(run, index);
    yield { index, userId: person.userId, events: tl.messages() };
  }
}

/** Every message of every person (person by person). */
export function* generateEvents(opts: GenerateOptions): Generator<DemoMessage> {
  for (const person of generatePeople(opts)) yield* person.events;
}

/** How many messages `generateEvents` yields: the same simulation, without building the messages. */
export function countEvents(opts: GenerateOptions): number {
  const run = runOf(opts);
  let n = 0;
  for (let index = 0; index < opts.profiles; index++) n += simulate(run, index, true).tl.count;
  return n;
}
