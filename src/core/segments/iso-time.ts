/**
 * The one date format the rule language reads, in rule values and in trait/property values:
 * `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM[:SS[.fff…]]` and `Z` or `±HH[:]MM`.
 * Without an offset the time is UTC. Years 1900..2299 (ClickHouse DateTime64). The same pattern
 * (RE2-compatible) filters strings inside ClickHouse before they are parsed, so both sides agree.
 */
export const ISO_TIME_SOURCE =
  '^((?:19|2[0-2])[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' +
  '(?:[T ]([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:\\.([0-9]{1,9}))?)?' +
  '(Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?$';

const ISO_TIME = new RegExp(ISO_TIME_SOURCE);

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Milliseconds since the epoch, or undefined when `text` is not a valid date in the format. */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (day > daysInMonth(year, month)) return undefined;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let t = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), ms);
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * HOUR_MS + Number(digits.slice(2)) * 60_000);
  }
  return t;
}

/** ClickHouse text form of a DateTime64(3, 'UTC') parameter. */
export function chDateTime64(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
