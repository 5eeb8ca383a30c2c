/** A whole platform for the analytics tests: the app and one workspace per dataset. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/helpers/platform.ts';
import { buildApp } from '../../api/app.ts';
import { type Dataset, generateDataset } from './dataset.ts';
import { insertDataset } from './insert.ts';

/** A workspace holding one generated dataset, and its owner token. */
export interface World {
  ws: string;
  token: string;
  ds: Dataset;
}

export interface Harness {
  t: TestPlatform;
  app: FastifyInstance;
  /** A new workspace and its owner token. */
  workspace(name: string): Promise<{ id: string; token: string }>;
  /** A new workspace with the dataset of `seed` around `anchor` (events exactly at from/to too). */
  world(seed: number, anchor: number, from: string, to: string): Promise<World>;
  post(
    token: string,
    url: string,
    payload: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  report(token: string, kind: string, spec: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const t = await createTestPlatform();
  const app = await buildApp(t.platform);
  const post: Harness['post'] = (token, url, payload, headers = {}) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const workspace: Harness['workspace'] = async (name) => {
    const res = await post(t.ownerToken, '/api/v1/workspaces', { name });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  return {
    t,
    app,
    workspace,
    async world(seed, anchor, from, to) {
      const { id, token } = await workspace(`seed ${seed}`);
      const ds = generateDataset({ ws: id, seed, anchor, bounds: [Date.parse(from), Date.parse(to)] });
      await insertDataset(t.platform.stores.ch, ds);
      return { ws: id, token, ds };
    },
    post,
    async report(token, kind, spec) {
      const res = await post(token, `/api/v1/reports/${kind}`, spec);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}

function close(a: number, b: number): boolean {
  if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-12;
}

/** Deep equality: counts exact, other numbers within a relative 1e-9; the path of the first difference. */
export function difference(actual: unknown, expected: unknown, path = ''): string | null {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return close(actual, expected) ? null : `${path || '/'}: ${actual} ≠ expected ${expected}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: not an array`;
    if (actual.length !== expected.length)
      return `${path}: ${actual.length} items ≠ expected ${expected.length} (${JSON.stringify(actual).slice(0, 300)} vs ${JSON.stringify(expected).slice(0, 300)})`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(actual[i], expected[i], `${path}/${i}`);
      if (d) return d;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return `${path}: not an object`;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    for (const k of keys) {
      if (!(k in e)) return `${path}/${k}: unexpected`;
      if (!(k in a)) return `${path}/${k}: missing`;
      const d = difference(a[k], e[k], `${path}/${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(actual, expected)
    ? null
    : `${path || '/'}: ${JSON.stringify(actual)} ≠ expected ${JSON.stringify(expected)}`;
}

/** Asserts the API result (without spec and computedAt) equals the reference. */
export function expectReport(result: Record<string, unknown>, expected: unknown, spec: unknown): void {
  const { spec: echoed, computedAt, ...rest } = result;
  expect(echoed).toEqual(spec);
  expect(Number.isNaN(Date.parse(String(computedAt)))).toBe(false);
  const d = difference(rest, expected);
  expect(d, d ?? '').toBeNull();
}

/** Sorts `list` items of an object (and of its breakdown groups) by `key`, for order-free comparison. */
export function sortRows<T extends Record<string, unknown>>(
  result: T,
  list: string,
  key: (row: never) => string,
): T {
  const sortList = (o: Record<string, unknown>) => {
    const rows = o[list] as never[] | undefined;
    if (rows) o[list] = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  };
  const copy = structuredClone(result) as Record<string, unknown>;
  sortList(copy);
  for (const g of (copy.breakdown as Record<string, unknown>[] | undefined) ?? []) sortList(g);
  return copy as T;
}
