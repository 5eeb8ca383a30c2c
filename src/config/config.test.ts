import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('defaults to embedded mode on 127.0.0.1:8080', () => {
    const c = loadConfig({});
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(c.clickhouse.url).toBeNull();
    expect(c.postgres.url).toBeNull();
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.durability).toBe('process');
  });

  it.each([
    ['PORT', 'abc', 'PORT: expected a whole number, got "abc"'],
    ['PORT', '70000', 'PORT: expected 0..65535, got 70000'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL: expected a postgres: or postgresql: URL'],
    ['CLICKHOUSE_URL', 'not a url', 'CLICKHOUSE_URL: not a valid URL'],
    ['DATAPULSE_DURABILITY', 'maybe', 'DATAPULSE_DURABILITY: expected one of process, power, got "maybe"'],
    ['DATAPULSE_TRUST_PROXY', 'sometimes', 'DATAPULSE_TRUST_PROXY: expected true or false, got "sometimes"'],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reads server URLs and a cluster name', () => {
    const c = loadConfig({
      CLICKHOUSE_URL: 'http://ch:8123',
      DATABASE_URL: 'postgres://u@db/x',
      CLICKHOUSE_CLUSTER: 'main',
    });
    expect(c.clickhouse).toMatchObject({ url: 'http://ch:8123', cluster: 'main' });
    expect(c.postgres.url).toBe('postgres://u@db/x');
  });
});
