import { describe, expect, it } from 'vitest';
import { OTHER, shapePaths } from './paths.ts';

describe('shapePaths', () => {
  it('keeps the top N events per step and merges the rest into (other)', () => {
    const rows = [
      { step: 1, source: 'Home', target: 'Cart', users: 5 },
      { step: 1, source: 'Home', target: 'Search', users: 2 },
      { step: 1, source: 'Home', target: 'Help', users: 1 },
      { step: 1, source: 'Promo', target: 'Cart', users: 3 },
      { step: 1, source: 'Ads', target: null, users: 1 },
      { step: 2, source: 'Cart', target: null, users: 8 },
      { step: 2, source: 'Search', target: null, users: 2 },
      { step: 2, source: 'Help', target: null, users: 1 },
    ];
    expect(shapePaths(rows, 2)).toEqual({
      nodes: [
        { id: '1:Home', step: 1, event: 'Home', users: 8 },
        { id: '1:Promo', step: 1, event: 'Promo', users: 3 },
        { id: `1:${OTHER}`, step: 1, event: OTHER, users: 1 },
        { id: '2:Cart', step: 2, event: 'Cart', users: 8 },
        { id: '2:Search', step: 2, event: 'Search', users: 2 },
        { id: `2:${OTHER}`, step: 2, event: OTHER, users: 1 },
      ],
      links: [
        { source: '1:Home', target: '2:Cart', users: 5 },
        { source: '1:Promo', target: '2:Cart', users: 3 },
        { source: '1:Home', target: '2:Search', users: 2 },
        { source: '1:Home', target: `2:${OTHER}`, users: 1 },
      ],
    });
  });
});
