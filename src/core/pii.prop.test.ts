import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PII_FIELDS, maskEmail, maskPhone, maskValue } from './pii.ts';

/** The characters of a masked value that come from the original (not mask punctuation). */
const revealed = (masked: string) => masked.replace(/[*@.+\s-]/g, '');

describe('PII masking properties', () => {
  it('an email reveals at most the two initials and the TLD', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const masked = maskEmail(email);
        const tld = email.slice(email.lastIndexOf('.') + 1);
        expect(revealed(masked).length).toBeLessThanOrEqual(2 + revealed(tld).length);
        const local = email.split('@')[0];
        if (local.length > 1) expect(masked).not.toContain(local);
      }),
    );
  });

  it('a phone reveals at most a country code and the last four digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+?[1-9]\d{6,14}$/), (phone) => {
        const masked = maskPhone(phone);
        expect(revealed(masked).length).toBeLessThanOrEqual(3 + 4);
        expect(masked).not.toContain(phone.replace('+', ''));
        expect(revealed(masked).length).toBeLessThanOrEqual(phone.replace(/\D/g, '').length - 4);
      }),
    );
  });

  it('any value of any PII field keeps no more than the allowed characters', () => {
    const value = fc.oneof(
      fc.string(),
      fc.emailAddress(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string()),
    );
    fc.assert(
      fc.property(fc.constantFrom(...DEFAULT_PII_FIELDS, 'custom'), value, (field, v) => {
        const masked = maskValue(v, field);
        if (v === null) {
          expect(masked).toBeNull();
          return;
        }
        const strings = (x: unknown): string[] =>
          typeof x === 'string' ? [x] : x && typeof x === 'object' ? Object.values(x).flatMap(strings) : [];
        for (const s of strings(masked)) {
          // An initial, or an email's initials and TLD, or a phone's code and last four digits.
          const budget = s.includes('@') ? 2 + revealed(s.slice(s.lastIndexOf('.'))).length : 7;
          expect(revealed(s).length).toBeLessThanOrEqual(budget);
          expect(s).toContain('***');
        }
        if (typeof v === 'string' && revealed(v).length > 8) expect(strings(masked)).not.toContain(v);
      }),
    );
  });
});
