import { describe, expect, it } from 'vitest';
import { filenameOf } from './segments.ts';

describe('export file names', () => {
  it('prefers the UTF-8 name of content-disposition, then the plain one', () => {
    expect(
      filenameOf(`attachment; filename="_____.csv"; filename*=UTF-8''${encodeURIComponent('Москва.csv')}`),
    ).toBe('Москва.csv');
    expect(filenameOf('attachment; filename="Pro_buyers.xlsx"')).toBe('Pro_buyers.xlsx');
    expect(filenameOf('inline')).toBeNull();
    expect(filenameOf(null)).toBeNull();
  });
});
