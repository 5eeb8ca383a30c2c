import { describe, expect, it } from 'vitest';
import { filterOf, pathsOf } from '../testing/unit.ts';
import { REACHABILITY, REFUSING_VALUES, SET_VALUES } from './reachable.ts';

describe('reachable condition SQL', () => {
  it('email: a valid address in identifiers, consent not refused, not unsubscribed', () => {
    const { query, values } = filterOf({ reachable: 'email' });
    expect(query).toMatch(
      /^\(arrayExists\(x -> match\(x, \{p0:String\}\), arrayMap\(x -> JSONExtractString\(x\), arrayFilter\(x -> JSONType\(x\) = 'String', JSONExtractArrayRaw\(identifiers, \{p1:String\}\)\)\)\) AND NOT/,
    );
    expect(values.slice(0, 2)).toEqual([REACHABILITY.email.pattern, 'email']);
    expect(values).toEqual(
      expect.arrayContaining(['email_consent', 'unsubscribed', REFUSING_VALUES, SET_VALUES]),
    );
  });

  it('each channel reads its identifier and consent trait', () => {
    expect(filterOf({ reachable: 'sms' }).values).toEqual(expect.arrayContaining(['phone', 'sms_consent']));
    expect(filterOf({ reachable: 'push' }).values).toEqual(
      expect.arrayContaining(['push_token', 'push_consent']),
    );
    const telegram = filterOf({ reachable: 'telegram' });
    expect(telegram.values).toEqual(expect.arrayContaining(['telegram', 'telegram_id', 'telegram_consent']));
    expect(filterOf({ reachable: 'sms' }).values).not.toContain('unsubscribed');
  });
});

describe('reachable validation', () => {
  it.each([
    ['unknown channel', { reachable: 'fax' }, ['/rule/reachable']],
    ['a list', { reachable: ['email'] }, ['/rule/reachable']],
    ['unknown key', { reachable: 'email', consent: false }, ['/rule/consent']],
  ])('%s', (_name, input, paths) => {
    expect(pathsOf(input)).toEqual(paths);
  });
});
