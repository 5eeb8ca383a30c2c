import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { type IdentityLookup, matchRows, pickColumn, readTable } from './upload.ts';

const path = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as ValidationError).details[0].path;
  }
  return null;
};

describe('uploaded lists', () => {
  it('reads CSV with , ; or tab, a BOM and quoted cells', async () => {
    expect(await readTable(Buffer.from('\uFEFFemail;name\n"a@b.ru";"Анна; Б."\n\n'), 'csv')).toEqual([
      ['email', 'name'],
      ['a@b.ru', 'Анна; Б.'],
    ]);
    expect(await readTable(Buffer.from('user_id\tx\nu1\t2\n'), 'csv')).toEqual([
      ['user_id', 'x'],
      ['u1', '2'],
    ]);
  });

  it('reads the first sheet of an XLSX file', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('List');
    sheet.addRow(['Phone', 'Note']);
    sheet.addRow([79161234567, 'number cell']);
    sheet.addRow(['8 (916) 765-43-21']);
    const rows = await readTable(Buffer.from(await book.xlsx.writeBuffer()), 'xlsx');
    expect(rows).toEqual([['Phone', 'Note'], ['79161234567', 'number cell'], ['8 (916) 765-43-21']]);
    await expect(readTable(Buffer.from('PK\u0003\u0004 broken'), 'xlsx')).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('finds the identifier column and its kind', () => {
    expect(pickColumn(['Name', 'E-mail'])).toEqual({ index: 1, kind: 'email' });
    expect(pickColumn(['userId'])).toEqual({ index: 0, kind: 'user_id' });
    expect(pickColumn(['Profile ID'])).toEqual({ index: 0, kind: 'profile_id' });
    expect(pickColumn(['Клиент', 'Почта'], 'почта', 'email')).toEqual({ index: 1, kind: 'email' });
    expect(pickColumn(['crm'], undefined, 'crm_id')).toEqual({ index: 0, kind: 'crm_id' });
    expect(path(() => pickColumn(['Name', 'Comment']))).toBe('/column');
    expect(path(() => pickColumn(['Name'], 'email'))).toBe('/column');
    expect(pickColumn(['Клиент', 'Телефон'])).toEqual({ index: 1, kind: 'phone' });
    expect(path(() => pickColumn(['Клиент', 'Контакт'], 'Контакт'))).toBe('/kind');
    expect(path(() => pickColumn(['email'], undefined, 'not a kind!'))).toBe('/kind');
  });

  it('normalises as at ingestion, matches, and reports unmatched rows with reasons', async () => {
    const lookup: IdentityLookup = {
      settings: async () => ({ defaultCountry: 'RU' }),
      findIdentities: async (_ws, keys) =>
        keys
          .filter((k) => ['+79161234567', '+79167654321'].includes(k.value))
          .map((k) => ({ ...k, profile_id: k.value === '+79161234567' ? 'prf_a' : 'prf_b' })),
      profiles: async () => [],
    };
    const rows = [
      ['phone'],
      ['8 (916) 123-45-67'],
      ['+7 916 123 45 67'],
      ['12'],
      [''],
      ['+7 916 765-43-21'],
      ['+79990000000'],
    ];
    const r = await matchRows(lookup, 'ws', rows, { index: 0, kind: 'phone' });
    expect(r).toEqual({
      rows: 6,
      matched: 3,
      profiles: 2,
      unmatched: 3,
      unmatchedRows: [
        { row: 4, value: '12', reason: 'invalid_phone' },
        { row: 5, value: '', reason: 'empty' },
        { row: 7, value: '+79990000000', reason: 'not_found' },
      ],
      profileIds: ['prf_a', 'prf_b'],
    });
  });

  it('matches profile ids directly, following merges and skipping erased profiles', async () => {
    const lookup: IdentityLookup = {
      settings: async () => ({ defaultCountry: 'RU' }),
      findIdentities: async () => [],
      profiles: async (_ws, ids) =>
        [
          { id: 'prf_live', merged_into: null, deleted_at: null },
          { id: 'prf_merged', merged_into: 'prf_live', deleted_at: null },
          { id: 'prf_erased', merged_into: null, deleted_at: '2025-01-01' },
        ].filter((p) => ids.includes(p.id)),
    };
    const r = await matchRows(lookup, 'ws', [['profile_id'], ['prf_live'], ['prf_merged'], ['prf_erased']], {
      index: 0,
      kind: 'profile_id',
    });
    expect(r.profileIds).toEqual(['prf_live']);
    expect(r.unmatchedRows).toEqual([{ row: 4, value: 'prf_erased', reason: 'not_found' }]);
  });
});
