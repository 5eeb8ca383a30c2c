import { describe, expect, it } from 'vitest';
import { RFM_CELL_NAMES, RFM_CELLS } from '../rfm-cells.ts';
import { CTX, errorsOf, filterOf, pathsOf } from '../testing/unit.ts';

describe('RFM cells', () => {
  it('cover each of the 25 (r, f) pairs exactly once', () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const cells = RFM_CELL_NAMES.filter((n) => {
          const c = RFM_CELLS[n];
          return r >= c.r[0] && r <= c.r[1] && f >= c.f[0] && f <= c.f[1];
        });
        expect(cells, `r=${r} f=${f}`).toHaveLength(1);
      }
    }
    expect(RFM_CELL_NAMES).toHaveLength(11);
  });
});

describe('RFM condition SQL', () => {
  it('scores quintiles with rank over the workspace’s buyers', () => {
    const { query, params } = filterOf({ rfm: 'champions' });
    expect(query).toContain(
      '1 + intDiv(5 * (rank() OVER (ORDER BY recency DESC) - 1), count() OVER ()) AS r',
    );
    expect(query).toContain('1 + intDiv(5 * (rank() OVER (ORDER BY frequency) - 1), count() OVER ()) AS f');
    expect(query).toContain('intDiv({p0:Int64} - toUnixTimestamp64Milli(last_at), 86400000) AS recency');
    // Each purchase mapped to its surviving profile (revenue from its materialised columns).
    expect(query).toContain(
      'max(timestamp) AS last_at, count() AS frequency, sumIf(revenue, revenue_is_number) AS monetary FROM events AS e',
    );
    expect(query).toContain('event = {p3:String} AND timestamp <= {p4:DateTime64');
    expect(query).toContain('FROM profiles FINAL WHERE workspace_id = {p5:String} AND deleted = 0');
    expect(query).toMatch(
      /WHERE r BETWEEN \{p7:UInt8\} AND \{p8:UInt8\} AND f BETWEEN \{p9:UInt8\} AND \{p10:UInt8\}\)\)\)$/,
    );
    expect(params).toMatchObject({
      p0: CTX.now.getTime(),
      p3: 'Order Completed',
      p7: 5,
      p8: 5,
      p9: 4,
      p10: 5,
    });
  });

  it('score ranges constrain only the given letters', () => {
    const { query, params } = filterOf({ rfm: { m: [2, 3] } });
    expect(query).toMatch(/WHERE m BETWEEN \{p7:UInt8\} AND \{p8:UInt8\}\)\)\)$/);
    // Only the named score is ranked: each rank is a sort of every buyer.
    expect(query).toContain('AS m FROM');
    expect(query).not.toMatch(/ AS [rf] FROM/);
    expect([params.p7, params.p8]).toEqual([2, 3]);
  });

  it('purchase event and revenue property come from the context', () => {
    const { values } = filterOf(
      { rfm: 'lost' },
      { ...CTX, rfm: { purchaseEvent: 'Payment', revenueProperty: 'amount.usd' } },
    );
    expect(values).toEqual(expect.arrayContaining(['Payment', 'amount', 'usd']));
    expect(values).not.toContain('Order Completed');
    const bad = errorsOf(() => filterOf({ rfm: 'lost' }, { ...CTX, rfm: { revenueProperty: 'a b' } }));
    expect(bad.map((d) => d.path)).toEqual(['/rfm/revenueProperty']);
  });
});

describe('RFM validation', () => {
  it.each([
    ['unknown cell', { rfm: 'vip' }, ['/rule/rfm']],
    ['score 0', { rfm: { r: [0, 5] } }, ['/rule/rfm/r']],
    ['score reversed', { rfm: { f: [4, 2] } }, ['/rule/rfm/f']],
    ['score fraction', { rfm: { m: [1, 2.5] } }, ['/rule/rfm/m']],
    ['no letters', { rfm: {} }, ['/rule/rfm']],
    ['unknown letter', { rfm: { r: [1, 2], x: [1, 2] } }, ['/rule/rfm/x']],
    ['a number', { rfm: 5 }, ['/rule/rfm']],
  ])('%s', (_name, input, paths) => {
    expect(pathsOf(input)).toEqual(paths);
  });
});
