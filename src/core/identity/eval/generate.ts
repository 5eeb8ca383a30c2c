import {
  type Device,
  newPerson,
  type Person,
  renderCity,
  renderEmail,
  renderName,
  renderPhone,
  typoEmail,
  typoPhone,
  Uniques,
} from './people.ts';
import { createRng, type Rng } from './prng.ts';
import type { ResolverEvent } from './resolve-all.ts';

/**
 * A labelled synthetic dataset: people browse anonymously, log in, use several devices, fill in
 * forms with messy emails and phones, show up in a CRM import; some are namesakes, some share a
 * family tablet. Every event carries the id of the person who really caused it.
 */
export interface LabelledEvent {
  event: ResolverEvent;
  personId: string;
}

export interface DatasetStats {
  people: number;
  events: number;
  /** People cloned from another's name and city (plus those the short name lists produce). */
  namesakes: number;
  /** Family members who log in on another person's device. */
  sharedDevices: number;
  /** Events on a shared device by its second user without a login (cannot be told apart). */
  ambiguousSharedEvents: number;
  /** Devices never linked to their person by any identifier. */
  anonymousOnlyDevices: number;
  /** CRM records linkable by exact identifiers / only probabilistically / not at all. */
  crmExact: number;
  crmFuzzy: number;
  crmWeak: number;
  /** Junk identifier values (invalid phones and emails, all-zero device ids). */
  junkValues: number;
  /** Events delivered after later ones. */
  lateEvents: number;
}

export interface Dataset {
  events: LabelledEvent[];
  stats: DatasetStats;
}

export interface GenerateOptions {
  seed: number;
  people: number;
  /** Share of events delivered late, out of time order; default 0.03. */
  lateFraction?: number;
}

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ZERO_ID = '00000000-0000-0000-0000-000000000000';

type Fields = Omit<ResolverEvent, 'messageId' | 'timestamp'>;

class Builder {
  readonly events: (LabelledEvent & { at: number })[] = [];
  readonly stats: DatasetStats = {
    people: 0,
    events: 0,
    namesakes: 0,
    sharedDevices: 0,
    ambiguousSharedEvents: 0,
    anonymousOnlyDevices: 0,
    crmExact: 0,
    crmFuzzy: 0,
    crmWeak: 0,
    junkValues: 0,
    lateEvents: 0,
  };
  private seq = 0;
  private clock = 0;
  /** Per person: shares a birthday and a city online (decided once). */
  private readonly profileFacts = new Map<string, { birthday: boolean; city: boolean }>();

  constructor(readonly rng: Rng) {}

  startAt(time: number): void {
    this.clock = time;
  }

  get now(): number {
    return this.clock;
  }

  advance(minMinutes: number, maxMinutes: number): void {
    this.clock += this.rng.int(minMinutes, maxMinutes) * MINUTE;
  }

  emit(person: Person, fields: Fields): void {
    this.advance(1, 240);
    const id = ++this.seq;
    const event = { messageId: `m${id}`, timestamp: new Date(this.clock).toISOString(), ...fields };
    this.events.push({ event, personId: person.id, at: this.clock });
  }

  /** Identity fields of an event on a device, as the SDK (or a seed 004 client) sends them. */
  device(d: Device, userId?: string): Fields {
    const { rng } = this;
    if (d.seedStyle) {
      const clientId = rng.chance(0.3) ? `GA1.2.${d.anonymousId}` : d.anonymousId;
      return { client_id: clientId, device_type: 'web', ...(userId ? { user_id: userId } : {}) };
    }
    const fields: Fields = { anonymousId: rng.chance(0.05) ? d.anonymousId.toUpperCase() : d.anonymousId };
    if (userId) fields.userId = userId;
    if (d.kind !== 'web') {
      let token: string | undefined;
      if (d.pushToken && rng.chance(0.5)) {
        const t = d.pushToken;
        token = d.kind === 'ios' && rng.chance(0.2) ? `<${t.match(/.{8}/g)!.join(' ').toUpperCase()}>` : t;
      }
      if (d.zeroDeviceId) this.stats.junkValues++;
      const id = d.zeroDeviceId ? ZERO_ID : rng.chance(0.2) ? d.deviceId!.toLowerCase() : d.deviceId;
      fields.context = { device: { id, type: d.kind, ...(token ? { token } : {}) } };
      fields.source = 'app';
    }
    return fields;
  }

  /** Traits a person types into a sign-up, login or lead form. */
  traits(p: Person, want: { email: boolean; phone: boolean }): Record<string, unknown> {
    const { rng } = this;
    let facts = this.profileFacts.get(p.id);
    if (!facts) {
      facts = { birthday: rng.chance(0.6), city: rng.chance(0.7) };
      this.profileFacts.set(p.id, facts);
    }
    const traits: Record<string, unknown> = { name: renderName(rng, p) };
    if (want.email && p.emails.length > 0) traits.email = renderEmail(rng, rng.pick(p.emails));
    if (want.phone && p.phone) traits.phone = renderPhone(rng, p.phone);
    if (facts.birthday) traits.birthday = p.birthDate;
    if (facts.city) traits.city = renderCity(rng, p);
    if (rng.chance(0.03)) {
      this.stats.junkValues++;
      if (rng.chance(0.5)) traits.phone = rng.pick(['12345', '+7 000', 'нет']);
      else traits.email = rng.pick(['ivan@', 'test', 'no email']);
    }
    return traits;
  }

  anonymous(p: Person, d: Device, min: number, max: number): void {
    const n = this.rng.int(min, max);
    for (let i = 0; i < n; i++) this.emit(p, { type: 'page', ...this.device(d) });
  }

  loggedIn(p: Person, d: Device, min: number, max: number): void {
    const n = this.rng.int(min, max);
    for (let i = 0; i < n; i++) this.emit(p, { type: 'track', ...this.device(d, p.userId) });
  }

  login(p: Person, d: Device): void {
    const traits = this.traits(p, { email: true, phone: this.rng.chance(0.6) });
    this.emit(p, { type: 'identify', ...this.device(d, p.userId), traits });
  }

  /** An anonymous lead form: only an email or a phone ties the device to the person. */
  form(p: Person, d: Device): void {
    const useEmail = p.emails.length > 0 && (!p.phone || this.rng.chance(0.6));
    const traits = this.traits(p, { email: useEmail, phone: !useEmail });
    this.emit(p, { type: 'identify', ...this.device(d), traits });
  }
}

function personFlow(b: Builder, p: Person): void {
  const { rng } = b;
  const [primary, ...others] = p.devices;
  b.anonymous(p, primary, 0, 4);
  if (p.userId) {
    b.login(p, primary);
    b.loggedIn(p, primary, 2, 12);
    if (rng.chance(0.5)) b.anonymous(p, primary, 0, 3);
  } else {
    if (p.emails.length > 0 || p.phone) b.form(p, primary);
    b.anonymous(p, primary, 1, 6);
  }
  for (const d of others) {
    b.advance(60, 7 * 24 * 60);
    const r = rng.next();
    if (p.userId && r < 0.7) {
      b.anonymous(p, d, 0, 2);
      b.login(p, d);
      b.loggedIn(p, d, 1, 8);
    } else if (r < 0.96 && (p.emails.length > 0 || p.phone)) {
      b.anonymous(p, d, 1, 3);
      b.form(p, d);
      b.anonymous(p, d, 0, 3);
    } else {
      b.stats.anonymousOnlyDevices++;
      b.anonymous(p, d, 1, 3);
    }
  }
}

/** A second family member logs in on the first one's tablet, after the first stopped using it. */
function sharedDeviceFlow(b: Builder, owner: Person, member: Person, lastUse: number): void {
  const tablet = owner.devices[0];
  b.startAt(lastUse + b.rng.int(1, 10) * DAY);
  b.login(member, tablet);
  b.loggedIn(member, tablet, 2, 6);
  if (b.rng.chance(0.4)) {
    const before = b.events.length;
    b.anonymous(member, tablet, 1, 2);
    b.stats.ambiguousSharedEvents += b.events.length - before;
  }
  b.stats.sharedDevices++;
}

function birthdayDots(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

/** A CRM import row: no cookie, no user id, only what a sales person typed. */
function crmFlow(b: Builder, p: Person, crmId: string): void {
  const { rng } = b;
  b.advance(DAY / MINUTE, (30 * DAY) / MINUTE);
  const hasContact = p.emails.length > 0 || p.phone !== undefined;
  const variant = hasContact
    ? rng.weighted<'exact' | 'fuzzy' | 'weak'>([
        ['exact', 50],
        ['fuzzy', 35],
        ['weak', 15],
      ])
    : 'weak';
  const traits: Record<string, unknown> = {
    name: renderName(rng, p, rng.chance(0.5)),
    city: renderCity(rng, p),
  };
  if (variant !== 'weak') traits.birthday = birthdayDots(p.birthDate);
  if (variant === 'exact') {
    b.stats.crmExact++;
    if (p.phone) traits.phone = renderPhone(rng, p.phone);
    if (p.emails.length > 0 && (!p.phone || rng.chance(0.5))) traits.email = renderEmail(rng, p.emails[0]);
  } else {
    if (variant === 'fuzzy') b.stats.crmFuzzy++;
    else b.stats.crmWeak++;
    if (p.phone) traits.phone = renderPhone(rng, typoPhone(rng, p.phone)!);
    if (variant === 'fuzzy' && p.emails.length > 0) traits.email = typoEmail(rng, p.emails[0]);
  }
  b.emit(p, {
    type: 'identify',
    source: 'crm',
    traits,
    context: { externalIds: [{ id: crmId, type: 'crm_id', collection: 'users' }] },
  });
}

/** Generates the dataset; the same options always give the same events. */
export function generateDataset(options: GenerateOptions): Dataset {
  const rng = createRng(options.seed);
  const b = new Builder(rng);
  const uniques = new Uniques();
  const people: Person[] = [];
  const lastUse = new Map<string, number>();
  let crm = 0;

  while (people.length < options.people) {
    const index = people.length;
    const template = people.length > 0 && rng.chance(0.04) ? rng.pick(people) : undefined;
    const p = newPerson(rng, index, uniques, template);
    if (template) b.stats.namesakes++;
    people.push(p);
    b.startAt(T0 + rng.int(0, 60) * DAY + rng.int(0, 24 * 60) * MINUTE);
    personFlow(b, p);
    lastUse.set(p.id, b.now);
    if (rng.chance(0.12)) crmFlow(b, p, `CRM-${100000 + ++crm}`);

    const owner = people.length > 1 && rng.chance(0.03) ? rng.pick(people.slice(0, -1)) : undefined;
    if (owner?.userId && people.length < options.people) {
      const member = newPerson(rng, people.length, uniques, owner, true);
      member.userId ??= `usr_family_${people.length}`;
      people.push(member);
      b.startAt(T0 + rng.int(0, 60) * DAY);
      personFlow(b, member);
      sharedDeviceFlow(b, owner, member, Math.max(lastUse.get(owner.id)!, b.now));
      lastUse.set(owner.id, b.now);
      lastUse.set(member.id, b.now);
    }
  }

  const ordered = [...b.events].sort((x, y) => x.at - y.at);
  const lateFraction = options.lateFraction ?? 0.03;
  const late = new Set(ordered.filter(() => rng.chance(lateFraction)));
  const arrival: (LabelledEvent & { at: number })[] = [];
  const delayed: { until: number; e: LabelledEvent & { at: number } }[] = [];
  ordered.forEach((e, i) => {
    if (late.has(e)) delayed.push({ until: i + rng.int(1, 300), e });
    else arrival.push(e);
    for (let k = delayed.length - 1; k >= 0; k--) {
      if (delayed[k].until <= i) arrival.push(...delayed.splice(k, 1).map((x) => x.e));
    }
  });
  arrival.push(...delayed.map((x) => x.e));
  b.stats.people = people.length;
  b.stats.events = arrival.length;
  b.stats.lateEvents = late.size;
  return { events: arrival.map(({ event, personId }) => ({ event, personId })), stats: b.stats };
}
