/**
 * Request and response shapes of saved reports, dashboards and marketing spend: the TypeBox
 * schemas the routes declare and the types the services take.
 */
import { type Static, Type } from '@sinclair/typebox';
import { REPORT_KINDS } from '../core/reports/index.ts';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const KindSchema = Type.Union(
  REPORT_KINDS.map((k) => Type.Literal(k)),
  { description: 'Report kind' },
);
const Spec = Type.Record(Type.String(), Type.Unknown(), { description: 'The report spec of the kind' });

export const SavedReportInput = Type.Object(
  { name: Name, kind: KindSchema, spec: Spec },
  { additionalProperties: false },
);
export const SavedReportPatch = Type.Object(
  { name: Type.Optional(Name), kind: Type.Optional(KindSchema), spec: Type.Optional(Spec) },
  { additionalProperties: false },
);
export const SavedReport = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: KindSchema,
  spec: Spec,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const GridInt = (min: number, max: number) => Type.Integer({ minimum: min, maximum: max });
export const Tile = Type.Object(
  {
    reportId: Type.String({ minLength: 1, maxLength: 100 }),
    x: GridInt(0, 1000),
    y: GridInt(0, 10_000),
    w: GridInt(1, 48),
    h: GridInt(1, 48),
  },
  { additionalProperties: false },
);
export const MAX_TILES = 100;
const Tiles = Type.Array(Tile, { maxItems: MAX_TILES });

export const DashboardInput = Type.Object({ name: Name, tiles: Tiles }, { additionalProperties: false });
export const DashboardPatch = Type.Object(
  { name: Type.Optional(Name), tiles: Type.Optional(Tiles) },
  { additionalProperties: false },
);
export const Dashboard = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tiles: Tiles,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const MAX_SPEND_ROWS = 100_000;
const Text = Type.String({ maxLength: 200 });
export const SpendRow = Type.Object(
  {
    date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'UTC date YYYY-MM-DD' }),
    source: Type.String({ minLength: 1, maxLength: 200 }),
    medium: Text,
    campaign: Text,
    cost: Type.Number({ minimum: 0 }),
    impressions: Type.Optional(Type.Integer({ minimum: 0 })),
    clicks: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export const SpendUpload = Type.Array(SpendRow, { maxItems: MAX_SPEND_ROWS });
export const SpendRowView = Type.Object({
  date: Type.String(),
  source: Type.String(),
  medium: Type.String(),
  campaign: Type.String(),
  cost: Type.Number(),
  impressions: Type.Integer(),
  clicks: Type.Integer(),
});

export type SavedReportInput = Static<typeof SavedReportInput>;
export type SavedReportPatch = Static<typeof SavedReportPatch>;
export type SavedReport = Static<typeof SavedReport>;
export type Tile = Static<typeof Tile>;
export type DashboardInput = Static<typeof DashboardInput>;
export type DashboardPatch = Static<typeof DashboardPatch>;
export type Dashboard = Static<typeof Dashboard>;
export type SpendRow = Static<typeof SpendRow>;
export type SpendRowView = Static<typeof SpendRowView>;
