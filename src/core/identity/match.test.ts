import { describe, expect, it } from 'vitest';
import {
  blockingKeys,
  editDistance,
  isMatch,
  type MatchRecord,
  matchRecordOf,
  nameKeys,
  normalizeBirthDate,
  normalizeCity,
  scorePair,
  transliterate,
} from './match.ts';
import { DEFAULT_MATCH_THRESHOLD } from './settings.ts';

const feature = (r: ReturnType<typeof scorePair>, name: string) => r.features.find((f) => f.name === name);

describe('transliterate', () => {
  it.each([
    ['Иван Петров', 'Ivan Petrov'],
    ['Юлия Щукина', 'Yuliya Shchukina'],
    ['Фёдор Хмельницкий', 'Fedor Khmelnitskiy'],
    ['ЦОЙ', 'TSOY'],
    ['Артём Подъячев', 'Artem Podyachev'],
    ['Ivan Petrov 42', 'Ivan Petrov 42'],
  ])('%s → %s', (input, expected) => {
    expect(transliterate(input)).toBe(expected);
  });
});

describe('nameKeys', () => {
  it('makes Cyrillic and common Latin spellings agree, in any word order', () => {
    expect(nameKeys('Иван Петров')).toEqual(nameKeys('Ivan Petrov'));
    expect(nameKeys('Петров Иван')).toEqual(nameKeys('ivan  PETROV'));
    expect(nameKeys('Александр')).toEqual(nameKeys('Alexandr'));
    expect(nameKeys('Дмитрий')).toEqual(nameKeys('Dmitry'));
    expect(nameKeys('Dmitrii')).toEqual(nameKeys('Dmitriy'));
    expect(nameKeys('Сергей')).toEqual(nameKeys('Sergei'));
    expect(nameKeys('Елена')).toEqual(nameKeys('Yelena'));
    expect(nameKeys('Михайлов')).toEqual(nameKeys('Mikhaylov'));
  });
});

describe('editDistance', () => {
  it('counts edits and adjacent swaps', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('79161234567', '79161243567')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });
});

describe('normalizers for matching', () => {
  it('reads birth dates in ISO and Russian formats', () => {
    expect(normalizeBirthDate('12.03.1985')).toBe('1985-03-12');
    expect(normalizeBirthDate('1985-03-12T00:00:00Z')).toBe('1985-03-12');
    expect(normalizeBirthDate('1/3/1985')).toBe('1985-03-01');
    expect(normalizeBirthDate('31.02.1985')).toBeUndefined();
    expect(normalizeBirthDate('March 1985')).toBeUndefined();
  });

  it('folds city spellings', () => {
    expect(normalizeCity('г. Москва')).toBe(normalizeCity('Moscow'));
    expect(normalizeCity('Санкт-Петербург')).toBe(normalizeCity('Saint Petersburg'));
    expect(normalizeCity('Екатеринбург')).toBe(normalizeCity('Yekaterinburg'));
    expect(normalizeCity('Нижний Новгород')).toBe(normalizeCity('Nizhny Novgorod'));
    expect(normalizeCity('St. Petersburg')).toBe('sankt peterburg');
    expect(normalizeCity('Казань')).not.toBe(normalizeCity('Самара'));
    expect(normalizeCity(' , ')).toBeUndefined();
  });
});

const ivan: MatchRecord = {
  id: 'a',
  name: 'Иван Петров',
  birthDate: '1985-03-12',
  city: 'moskva',
  emails: ['ivan.petrov85@mail.ru'],
  phones: ['+79161234567'],
};

describe('scorePair', () => {
  it('explains the score: the feature weights sum to it', () => {
    const r = scorePair(ivan, { id: 'b', name: 'Ivan Petrov', birthDate: '1985-03-12' });
    expect(r.features.map((f) => [f.name, f.value, f.weight])).toEqual([
      ['name', 'exact', 4],
      ['birth_date', 'equal', 6],
      ['city', 'missing', 0],
      ['email', 'missing', 0],
      ['phone', 'missing', 0],
    ]);
    expect(r.score).toBe(10);
    expect(isMatch(r)).toBe(true);
  });

  it('a phone with one digit swapped is not enough on its own', () => {
    const swapped = scorePair(ivan, { id: 'b', phones: ['+79161243567'] });
    expect(feature(swapped, 'phone')).toMatchObject({ value: 'one_digit', weight: 2 });
    expect(swapped.score).toBeLessThan(DEFAULT_MATCH_THRESHOLD);
    expect(isMatch(swapped)).toBe(false);
    const changed = scorePair(ivan, { id: 'b', phones: ['+79161234568'] });
    expect(isMatch(changed)).toBe(false);
  });

  it('namesakes in the same city do not match', () => {
    const namesake = { id: 'b', name: 'Петров Иван', city: 'moskva', emails: ['ivan.petrov91@mail.ru'] };
    const r = scorePair(ivan, namesake);
    expect(feature(r, 'email')).toMatchObject({ value: 'two_edits' });
    expect(isMatch(r)).toBe(false);
    const withOtherBirthday = scorePair(ivan, {
      ...namesake,
      birthDate: '1991-07-01',
      phones: ['+79161234576'],
    });
    expect(feature(withOtherBirthday, 'birth_date')).toMatchObject({ value: 'different', weight: -8 });
    expect(isMatch(withOtherBirthday)).toBe(false);
  });

  it('matches a CRM row with a patronymic, a typo in the email and a birth date', () => {
    const crm = {
      id: 'b',
      name: 'Петров Иван Сергеевич',
      birthDate: '1985-03-12',
      emails: ['ivan.petorv85@mail.ru'],
    };
    const r = scorePair(ivan, crm);
    expect(feature(r, 'name')).toMatchObject({ value: 'subset', weight: 3 });
    expect(feature(r, 'email')).toMatchObject({ value: 'one_edit', weight: 3 });
    expect(isMatch(r)).toBe(true);
  });

  it('tolerates spelling variants but penalises different names', () => {
    expect(
      feature(
        scorePair({ id: 'a', name: 'Alexander Ivanov' }, { id: 'b', name: 'Александр Иванов' }),
        'name',
      ),
    ).toMatchObject({
      value: 'similar',
      weight: 2,
    });
    expect(
      feature(scorePair({ id: 'a', name: 'Мария Иванова' }, { id: 'b', name: 'Анна Иванова' }), 'name'),
    ).toMatchObject({
      value: 'different',
      weight: -6,
    });
    expect(
      feature(scorePair({ id: 'a', name: 'Иван' }, { id: 'b', name: 'Иван Петров' }), 'name'),
    ).toMatchObject({
      value: 'partial',
      weight: 0,
    });
  });

  it('is symmetric', () => {
    const other = { id: 'b', name: 'Ivan Petrov', city: 'kazan', emails: ['ivan.petrov85@mail.ru'] };
    expect(scorePair(ivan, other).score).toBe(scorePair(other, ivan).score);
  });

  it('needs two agreeing features even above the threshold', () => {
    const r = scorePair(ivan, { id: 'b', emails: ['ivan.petrov85@mail.ru'] });
    expect(r.score).toBe(8);
    expect(isMatch(r, 5)).toBe(false);
  });
});

describe('blockingKeys', () => {
  it('puts typo variants of a phone or email in a shared block', () => {
    const shared = (a: MatchRecord, b: MatchRecord) =>
      blockingKeys(a).filter((k) => blockingKeys(b).includes(k));
    expect(shared(ivan, { id: 'b', phones: ['+79161243567'] }).length).toBeGreaterThan(0);
    expect(shared(ivan, { id: 'b', emails: ['ivan.petorv85@mail.ru'] }).length).toBeGreaterThan(0);
    expect(shared(ivan, { id: 'b', name: 'Petrov Ivan' })).toEqual(['name:ivan petrov']);
    expect(shared(ivan, { id: 'b', name: 'Iwan Petroff', birthDate: '1985-03-12' })).toEqual([
      'birth:1985-03-12:ip',
    ]);
    expect(shared(ivan, { id: 'b', name: 'Анна Смирнова', phones: ['+79035550000'] })).toEqual([]);
  });

  it('does not block on a single name word', () => {
    expect(blockingKeys({ id: 'a', name: 'Иван' })).toEqual([]);
  });
});

describe('matchRecordOf', () => {
  it('reads name parts, birthday, city and contacts', () => {
    expect(
      matchRecordOf(
        'p1',
        {
          first_name: 'Иван',
          last_name: 'Петров',
          birthday: '12.03.1985',
          address: { city: 'Москва' },
          email: 'X@Y.ru',
        },
        [
          { kind: 'email', value: 'ivan@mail.ru' },
          { kind: 'phone', value: '+79161234567' },
          { kind: 'anonymous_id', value: 'a1' },
        ],
      ),
    ).toEqual({
      id: 'p1',
      name: 'Иван Петров',
      birthDate: '1985-03-12',
      city: 'moskva',
      emails: ['ivan@mail.ru', 'x@y.ru'],
      phones: ['+79161234567'],
    });
  });
});
