/**
 * Devices and installs: one client per device and product (a site in a browser, an app on a
 * phone), each with its own anonymousId, the device's id, an app's push token, and the
 * \`context\` its SDK sends.
 */
import { ANDROID_MODELS, type City, IOS_MODELS, WEB_AGENTS } from './names.ts';
import { base64url, type Rng } from './random.ts';

export type ProductKind = 'shop' | 'media';
export type DeviceType = 'web' | 'ios' | 'android';

/** What a client's context takes from its owner. */
type Owner = { locale: string; city: City };

export interface CartLine {
  productIndex: number;
  quantity: number;
}

/** One product (site or app) on one device: what SDKs call an install. */
export interface Client {
  product: ProductKind;
  type: DeviceType;
  deviceId: string;
  anonymousId: string;
  /** Push token of an app install (APNs hex for iOS, FCM for Android). */
  token?: string;
  /** Used by both people of a household (a family laptop). */
  shared: boolean;
  /** `context` every call from this client carries. */
  context: Record<string, unknown>;
  /** Simulation state: the signed-in user, the open cart, sessions so far. */
  userId: string | null;
  cart: CartLine[];
  cartId: string;
  sessions: number;
}

/** People 2k and 2k+1; when `shares`, both use one laptop (one device id and anonymousId) for the shop. */
export interface Household {
  shares: boolean;
  city: City;
  deviceId: string;
  anonymousId: string;
  agent: (typeof WEB_AGENTS)[number];
}

function appVersion(rng: Rng): { version: string; build: string } {
  const minor = rng.int(8, 14);
  const patch = rng.int(0, 3);
  return { version: `5.${minor}.${patch}`, build: String(50_000 + minor * 100 + patch) };
}

const APPS: Record<ProductKind, { name: string; namespace: string; origin: string }> = {
  shop: { name: 'Shop', namespace: 'ru.example.shop', origin: 'https://shop.example.ru' },
  media: { name: 'Kino', namespace: 'ru.example.kino', origin: 'https://kino.example.ru' },
};

export function originOf(product: ProductKind): string {
  return APPS[product].origin;
}

interface Device {
  type: DeviceType;
  id: string;
  context: Record<string, unknown>;
}

function newDevice(rng: Rng, type: DeviceType): Device {
  if (type === 'web') {
    const [name, version, userAgent] = rng.pick(WEB_AGENTS);
    return { type, id: rng.uuid(), context: { userAgent, os: { name, version } } };
  }
  if (type === 'ios') {
    const id = rng.uuid().toUpperCase(); // identifierForVendor
    return {
      type,
      id,
      context: {
        device: { id, type, manufacturer: 'Apple', model: rng.pick(IOS_MODELS) },
        os: { name: 'iOS', version: rng.pick(['16.7', '17.4', '17.5', '18.1']) },
      },
    };
  }
  const id = rng.hex(16); // ANDROID_ID
  const [manufacturer, model] = rng.pick(ANDROID_MODELS);
  return {
    type,
    id,
    context: {
      device: { id, type, manufacturer, model },
      os: { name: 'Android', version: rng.pick(['12', '13', '14']) },
    },
  };
}

function pushToken(rng: Rng, type: DeviceType): string {
  return type === 'ios' ? rng.hex(64) : `${base64url(rng, 11)}:APA91b${base64url(rng, 134)}`;
}

function newClient(rng: Rng, device: Device, product: ProductKind, person: Owner): Client {
  const anonymousId = rng.uuid();
  const base = { locale: person.locale, timezone: person.city.timezone };
  if (device.type === 'web') {
    return {
      ...clientState(product, device, anonymousId, undefined, false),
      context: {
        library: { name: 'analytics.js', version: 'next-1.72.0' },
        ...device.context,
        device: { id: device.id, type: 'web' },
        ...base,
      },
    };
  }
  const token = pushToken(rng, device.type);
  const app = APPS[product];
  return {
    ...clientState(product, device, anonymousId, token, false),
    context: {
      library:
        device.type === 'ios'
          ? { name: 'analytics-swift', version: '1.6.1' }
          : { name: 'analytics-kotlin', version: '1.17.0' },
      app: { name: app.name, namespace: app.namespace, ...appVersion(rng) },
      ...device.context,
      device: { ...(device.context.device as object), token },
      network: { wifi: rng.chance(0.7) },
      ...base,
    },
  };
}

function clientState(
  product: ProductKind,
  device: Device,
  anonymousId: string,
  token: string | undefined,
  shared: boolean,
): Omit<Client, 'context'> {
  return {
    product,
    type: device.type,
    deviceId: device.id,
    anonymousId,
    ...(token ? { token } : {}),
    shared,
    userId: null,
    cart: [],
    cartId: '',
    sessions: 0,
  };
}

function sharedClient(h: Household, person: Owner): Client {
  const [name, version, userAgent] = h.agent;
  const device: Device = { type: 'web', id: h.deviceId, context: {} };
  return {
    ...clientState('shop', device, h.anonymousId, undefined, true),
    context: {
      library: { name: 'analytics.js', version: 'next-1.72.0' },
      userAgent,
      os: { name, version },
      device: { id: h.deviceId, type: 'web' },
      locale: person.locale,
      timezone: person.city.timezone,
    },
  };
}

function deviceTypes(rng: Rng): DeviceType[] {
  const count = rng.weighted([
    [1, 55],
    [2, 33],
    [3, 12],
  ]);
  const first = rng.weighted<DeviceType>([
    ['web', 55],
    ['android', 25],
    ['ios', 20],
  ]);
  const others = (['web', 'android', 'ios'] as const).filter((t) => t !== first);
  const rest = rng.chance(0.5) ? others : [...others].reverse();
  return [first, ...rest].slice(0, count);
}

/** A person's clients: 1–3 devices, each with an install of the products they use; plus a shared laptop. */
export function clientsOf(
  rng: Rng,
  person: Owner & { products: Record<ProductKind, boolean> },
  h: Household,
): Client[] {
  const devices = deviceTypes(rng).map((type) => newDevice(rng, type));
  const clients: Client[] = [];
  for (const product of ['shop', 'media'] as const) {
    if (!person.products[product]) continue;
    const used = devices.filter((_, i) => i === 0 || rng.chance(0.7));
    for (const device of used) clients.push(newClient(rng, device, product, person));
  }
  // The first client is where the person arrives; shops are where most people arrive.
  clients.sort((a, b) => Number(a.product === 'media') - Number(b.product === 'media'));
  if (person.products.shop && !person.products.media && rng.chance(0.05)) clients.reverse();
  if (h.shares) clients.push(sharedClient(h, person));
  return clients;
}
