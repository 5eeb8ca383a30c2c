import { describe, expect, it } from 'vitest';
import { areaFiles, en, ru } from './resources.ts';

type Tree = { [k: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const EN = flatten(en);
const RU = flatten(ru);
const base = (key: string) => key.replace(PLURAL, '');
const bases = (m: Map<string, string>) => new Set([...m.keys()].map(base));

// Every source file of the console, as text.
const sources = import.meta.glob(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('console translations', () => {
  it('gives each top-level key to one area file, the same files in both languages', () => {
    for (const lang of ['en', 'ru']) {
      const owner = new Map<string, string>();
      for (const [area, tree] of Object.entries(areaFiles(lang)))
        for (const key of Object.keys(tree)) {
          expect(owner.get(key), `${lang}: ${key} in ${area} and ${owner.get(key)}`).toBeUndefined();
          owner.set(key, area);
        }
    }
    expect(Object.keys(areaFiles('ru')).sort()).toEqual(Object.keys(areaFiles('en')).sort());
  });

  it('has the same keys in English and Russian', () => {
    expect([...bases(RU)].sort()).toEqual([...bases(EN)].sort());
  });

  it('gives every plural key the forms its language needs', () => {
    for (const key of bases(EN)) {
      if (EN.has(key)) continue; // not a plural
      expect(EN.has(`${key}_one`) && EN.has(`${key}_other`), `en ${key}`).toBe(true);
      for (const form of ['one', 'few', 'many', 'other'])
        expect(RU.has(`${key}_${form}`), `ru ${key}_${form}`).toBe(true);
    }
  });

  it('keeps the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)/g)].map((m) => m[1]).sort();
    for (const [key, text] of EN) {
      const ruText = RU.get(key) ?? RU.get(`${base(key)}_other`);
      if (ruText === undefined) continue;
      expect(vars(ruText), key).toEqual(vars(text));
    }
  });

  it('defines every literal key the code asks for', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    const used = new Set<string>();
    for (const text of Object.values(sources))
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z]+(?:\.[a-zA-Z]+)+)'|i18nKey="([^"]+)"/g))
        used.add(m[1] ?? m[2]);
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !bases(EN).has(k));
    expect(missing).toEqual([]);
  });

  it('defines the keys built from API values the console knows', () => {
    for (const role of ['owner', 'admin', 'analyst', 'marketer', 'viewer'])
      expect(EN.has(`roles.${role}`) && EN.has(`roles.${role}Hint`)).toBe(true);
    for (const kind of ['email', 'phone', 'user_id', 'anonymous_id', 'device_id', 'push_token'])
      expect(EN.has(`identifiers.${kind}`)).toBe(true);
  });
});
