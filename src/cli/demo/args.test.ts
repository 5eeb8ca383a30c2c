import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from './args.ts';
import { DemoError } from './send.ts';

function error(args: string[], env: Record<string, string> = {}): DemoError {
  try {
    parseDemoArgs(args, env);
  } catch (err) {
    expect(err).toBeInstanceOf(DemoError);
    expect((err as DemoError).exitCode).toBe(2);
    return err as DemoError;
  }
  throw new Error('expected an error');
}

describe('parseDemoArgs', () => {
  it('has the documented defaults', () => {
    expect(parseDemoArgs([], {})).toEqual({
      profiles: 10_000,
      days: 90,
      url: 'http://127.0.0.1:8080',
      token: undefined,
      writeKey: undefined,
      seed: 42,
      dataDir: resolve('./data'),
    });
  });

  it('takes PORT and DATAPULSE_DATA_DIR from the environment', () => {
    const opts = parseDemoArgs([], { PORT: '9000', DATAPULSE_DATA_DIR: '/srv/dp' });
    expect(opts).toMatchObject({ url: 'http://127.0.0.1:9000', dataDir: '/srv/dp' });
  });

  it('reads --flag value and --flag=value', () => {
    const opts = parseDemoArgs(
      [
        '--profiles',
        '200',
        '--days=7',
        '--url',
        'http://host:1234/',
        '--token',
        'dp_x',
        '--write-key=ckey',
        '--seed',
        '5',
        '--data-dir',
        '/tmp/d',
      ],
      {},
    );
    expect(opts).toEqual({
      profiles: 200,
      days: 7,
      url: 'http://host:1234',
      token: 'dp_x',
      writeKey: 'ckey',
      seed: 5,
      dataDir: '/tmp/d',
    });
  });

  it('answers help', () => {
    expect(parseDemoArgs(['--profiles', '5', '--help'], {})).toBe('help');
    expect(parseDemoArgs(['-h'], {})).toBe('help');
  });

  it('names the flag in every error', () => {
    expect(error(['--profiles', 'many']).message).toBe(
      '--profiles: expected a whole number from 1 to 1,000,000, got "many"',
    );
    expect(error(['--days', '0']).message).toMatch(/^--days: expected a whole number from 1 to 3,650/);
    expect(error(['--days', '2.5']).message).toMatch(/^--days: /);
    expect(error(['--url', 'localhost:8080']).message).toMatch(/^--url: /);
    expect(error(['--url', 'ftp://host']).message).toMatch(/^--url: must be an http/);
    expect(error(['--token']).message).toBe('--token: needs a value');
    expect(error(['--token', '--days', '3']).message).toBe('--token: needs a value');
    expect(error(['--write-key=']).message).toBe('--write-key: needs a value');
    expect(error(['--frobnicate']).message).toBe(
      'unknown option "--frobnicate"; see `datapulse demo --help`',
    );
    expect(error(['200']).message).toMatch(/^unknown option "200"/);
    expect(error([], { PORT: 'abc def' }).message).toMatch(/^PORT: /);
  });
});
