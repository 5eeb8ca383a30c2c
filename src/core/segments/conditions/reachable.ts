import { join, param, raw, type SqlFragment, sql } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import type { Channel } from '../rule-constants.ts';
import type { ReachableCondition } from '../rule-schema.ts';
import { jsonValue } from '../value-sql.ts';

/**
 * What "reachable" means, per channel (the reference evaluator reads these same constants):
 * - an address: a string element of `identifiers[key]` (`{"email":["a@b.c"]}`) matching the
 *   pattern (email: something@domain.tld without spaces; sms: an E.164 phone, as identity
 *   stores them; push and telegram: any non-empty string). Telegram also counts a present
 *   trait `telegram_id` (non-empty string or a number);
 * - consent: the trait `<channel>_consent` does not refuse — refusing is false, 0, or one of
 *   REFUSING_VALUES (case-insensitive); a missing consent trait does not refuse. For email the
 *   trait `unsubscribed` must also not be set — set is true, a non-zero number or one of
 *   SET_VALUES (case-insensitive).
 */
export const REACHABILITY: Record<Channel, { identifier: string; pattern: string; consentTrait: string }> = {
  email: {
    identifier: 'email',
    pattern: '^[^@ \\t\\r\\n]+@[^@ \\t\\r\\n]+\\.[^@ \\t\\r\\n]+$',
    consentTrait: 'email_consent',
  },
  sms: { identifier: 'phone', pattern: '^\\+[1-9][0-9]{6,14}$', consentTrait: 'sms_consent' },
  push: { identifier: 'push_token', pattern: '.', consentTrait: 'push_consent' },
  telegram: { identifier: 'telegram', pattern: '.', consentTrait: 'telegram_consent' },
};
export const TELEGRAM_TRAIT = 'telegram_id';
export const UNSUBSCRIBED_TRAIT = 'unsubscribed';
export const REFUSING_VALUES = [
  'false',
  'no',
  '0',
  'denied',
  'revoked',
  'opt_out',
  'opted_out',
  'unsubscribed',
];
export const SET_VALUES = ['true', 'yes', '1'];

function hasAddressSql(channel: Channel): SqlFragment {
  const { identifier, pattern } = REACHABILITY[channel];
  const values = sql`arrayMap(x -> JSONExtractString(x), arrayFilter(x -> JSONType(x) = 'String', JSONExtractArrayRaw(identifiers, ${param(identifier, 'String')})))`;
  const address = sql`arrayExists(x -> match(x, ${param(pattern, 'String')}), ${values})`;
  if (channel !== 'telegram') return address;
  const id = jsonValue(raw('traits'), TELEGRAM_TRAIT);
  return sql`(${address} OR (${id.isString} AND ${id.str} != '') OR ${id.isNumber})`;
}

/** The trait says no: false, 0 or a refusing word. */
function refusesSql(trait: string): SqlFragment {
  const v = jsonValue(raw('traits'), trait);
  return sql`((${v.isBool} AND NOT ${v.bool}) OR (${v.isNumber} AND ${v.num} = 0) OR (${v.isString} AND has(${param(REFUSING_VALUES, 'Array(String)')}, lowerUTF8(${v.str}))))`;
}

/** The trait is set: true, non-zero or a word saying yes. */
function isSetSql(trait: string): SqlFragment {
  const v = jsonValue(raw('traits'), trait);
  return sql`((${v.isBool} AND ${v.bool}) OR (${v.isNumber} AND ${v.num} != 0) OR (${v.isString} AND has(${param(SET_VALUES, 'Array(String)')}, lowerUTF8(${v.str}))))`;
}

/** Has a usable, consented address for the channel. */
export function compileReachable(node: ReachableCondition, _path: string, _state: CompileState): SqlFragment {
  const channel = node.reachable;
  const parts = [hasAddressSql(channel), sql`NOT ${refusesSql(REACHABILITY[channel].consentTrait)}`];
  if (channel === 'email') parts.push(sql`NOT ${isSetSql(UNSUBSCRIBED_TRAIT)}`);
  return sql`(${join(parts, ' AND ')})`;
}
