import { describe, expect, it } from 'vitest';
import { compile } from '../sql.ts';
import { planReport, validateSpec } from './index.ts';

const range = { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' };
const queriesOf = (kind: 'overview' | 'paths' | 'rfm' | 'revenue', spec: object) =>
  Object.values(planReport(validateSpec(kind, spec), 'ws').queries).map((q) => compile(q).query);

describe('which reports read events in profile order', () => {
  it('reports over most events of each profile turn the by_event projection off', () => {
    for (const q of [...queriesOf('overview', range), ...queriesOf('paths', { ...range, start: 'A' })]) {
      expect(q).toMatch(/ SETTINGS optimize_use_projections = 0$/);
    }
  });

  it('reports of a few event names leave it to ClickHouse', () => {
    for (const q of [...queriesOf('rfm', range), ...queriesOf('revenue', range)]) {
      expect(q).not.toContain('optimize_use_projections');
    }
  });
});
