/**
 * TypeBox description of a rule, for the OpenAPI document only. Requests are checked by
 * `validateRule`, which reports the exact path of each problem (a JSON-schema union cannot).
 * A property test keeps this schema accepting every rule `validateRule` accepts.
 */
import { type TProperties, type TSchema, Type } from '@sinclair/typebox';
import { ISO_TIME_SOURCE } from './iso-time.ts';
import { RFM_CELL_NAMES } from './rfm-cells.ts';
import {
  AGGREGATE_FNS,
  CHANNELS,
  IDENTIFIER_TYPE_PATTERN,
  MAX_DAYS,
  MAX_EVENT_NAME_LENGTH,
  MAX_HOURS,
  MAX_IN_VALUES,
  MAX_NAME_LENGTH,
  MAX_SEQUENCE_STEPS,
  NAME_PATTERN,
  SEGMENT_ID_PATTERN,
} from './rule-constants.ts';

const closed = { additionalProperties: false };
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

const Name = Type.String({ pattern: NAME_PATTERN.source, maxLength: MAX_NAME_LENGTH });
const EventName = Type.Union([Type.String({ minLength: 1, maxLength: MAX_EVENT_NAME_LENGTH }), Type.Null()], {
  description: 'Event name; null means any event',
});
const IsoDate = Type.String({
  pattern: ISO_TIME_SOURCE,
  description: 'ISO date, UTC unless an offset is given',
});
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const Relative = Type.Union([
  Type.Object({ days: Type.Integer({ minimum: 0, maximum: MAX_DAYS }) }, closed),
  Type.Object({ hours: Type.Integer({ minimum: 0, maximum: MAX_HOURS }) }, closed),
]);
const Window = Type.Union([Relative, Type.Object({ from: IsoDate, to: IsoDate }, closed)]);
const pair = (t: TSchema) => Type.Tuple([t, t]);

/** One object per operator, each carrying `extra` (e.g. the trait or property name). */
function predicates(extra: TProperties): TSchema[] {
  const v = (op: readonly string[], value?: TSchema) =>
    Type.Object({ ...extra, op: literals(op), ...(value && { value }) }, closed);
  return [
    v(['eq', 'neq'], Scalar),
    v(['gt', 'gte', 'lt', 'lte'], Type.Number()),
    v(['between'], Type.Union([pair(Type.Number()), pair(IsoDate)])),
    v(['in', 'not_in'], Type.Array(Scalar, { minItems: 1, maxItems: MAX_IN_VALUES })),
    v(['contains', 'not_contains', 'starts_with', 'ends_with'], Type.String()),
    v(['exists', 'not_exists']),
    v(['before', 'after'], Type.Union([Relative, IsoDate])),
    v(['within_last'], Relative),
  ];
}

function numberPredicates(extra: TProperties, value: TSchema): TSchema[] {
  return [
    Type.Object({ ...extra, op: literals(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']), value }, closed),
    Type.Object({ ...extra, op: Type.Literal('between'), value: pair(value) }, closed),
  ];
}

const Count = Type.Integer({ minimum: 0 });
const PropertyFilter = Type.Union(predicates({ property: Name }));
const Where = Type.Array(PropertyFilter);
const IdentifierType = Type.String({ pattern: IDENTIFIER_TYPE_PATTERN.source });
const Score = Type.Integer({ minimum: 1, maximum: 5 });

const conditions: TSchema[] = [
  ...predicates({ trait: Name }),
  Type.Object(
    {
      trait: literals(['$firstSeen', '$lastSeen']),
      op: literals(['before', 'after', 'within_last', 'between']),
      value: Type.Union([Relative, IsoDate, pair(IsoDate)]),
    },
    closed,
  ),
  ...numberPredicates({ trait: Type.Literal('$eventCount') }, Count),
  Type.Object(
    {
      trait: Type.Literal('$identifiers'),
      op: literals(['contains', 'not_contains', 'in', 'not_in', 'exists', 'not_exists']),
      value: Type.Optional(Type.Union([IdentifierType, Type.Array(IdentifierType, { minItems: 1 })])),
    },
    closed,
  ),
  Type.Object(
    {
      event: EventName,
      count: Type.Optional(Type.Union(numberPredicates({}, Count))),
      within: Type.Optional(Window),
      where: Type.Optional(Where),
    },
    closed,
  ),
  ...numberPredicates(
    {
      event: EventName,
      aggregate: Type.Object({ fn: literals(AGGREGATE_FNS), property: Type.Optional(Name) }, closed),
      within: Type.Optional(Window),
      where: Type.Optional(Where),
    },
    Type.Number(),
  ),
  Type.Object(
    {
      sequence: Type.Array(Type.Object({ event: EventName, where: Type.Optional(Where) }, closed), {
        minItems: 1,
        maxItems: MAX_SEQUENCE_STEPS,
      }),
      within: Type.Optional(Window),
    },
    closed,
  ),
  Type.Object(
    {
      rfm: Type.Union([
        literals(RFM_CELL_NAMES),
        Type.Object(
          { r: Type.Optional(pair(Score)), f: Type.Optional(pair(Score)), m: Type.Optional(pair(Score)) },
          { ...closed, minProperties: 1 },
        ),
      ]),
    },
    closed,
  ),
  Type.Object({ segment: Type.String({ pattern: SEGMENT_ID_PATTERN.source }) }, closed),
  Type.Object({ reachable: literals(CHANNELS) }, closed),
];

/** A segment rule: a group (`and`, `or`, `not`) or a condition. See docs and specs/segment-rules.md. */
export const RuleSchema = Type.Recursive(
  (Self) =>
    Type.Union([
      Type.Object({ and: Type.Array(Self, { minItems: 1 }) }, closed),
      Type.Object({ or: Type.Array(Self, { minItems: 1 }) }, closed),
      Type.Object({ not: Self }, closed),
      ...conditions,
    ]),
  { $id: 'SegmentRule' },
);
