/**
 * Streams a segment's members with chosen identifiers and traits as CSV, XLSX or NDJSON. Rows
 * are read in keyset pages by profile id, so neither ClickHouse nor this process holds the
 * whole export; each format writes as the consumer reads.
 */
import { once } from 'node:events';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { invalid } from '../core/errors.ts';
import { KIND_PATTERN } from '../core/identity/index.ts';
import { NAME_PATTERN } from '../core/segments/rule-constants.ts';
import { join, param, raw, type SqlFragment, sql } from '../core/sql.ts';
import type { ClickHouse } from '../storage/index.ts';
import type { ExportFormat } from './contract.ts';
import { segmentKey } from './membership.ts';
import { isoOf } from './reads.ts';

const PAGE = 10_000;
const XLSX_MAX_ROWS = 1_048_575;
export const DEFAULT_EXPORT_IDENTIFIERS = ['user_id', 'email', 'phone'];

export interface ExportColumns {
  identifiers: string[];
  traits: string[];
}

/** Parses the comma-separated `identifiers` and `traits` query values. */
export function exportColumns(identifiers: string | undefined, traits: string | undefined): ExportColumns {
  const list = (s: string | undefined) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const kinds = identifiers === undefined ? DEFAULT_EXPORT_IDENTIFIERS : list(identifiers);
  for (const k of kinds)
    if (!KIND_PATTERN.test(k)) throw invalid('/identifiers', `"${k}" is not an identifier kind`);
  const names = list(traits);
  for (const t of names) if (!NAME_PATTERN.test(t)) throw invalid('/traits', `"${t}" is not a trait name`);
  if (kinds.length + names.length > 200) throw invalid('/traits', 'at most 200 columns');
  return { identifiers: [...new Set(kinds)], traits: [...new Set(names)] };
}

interface ExportRow {
  profile_id: string;
  entered_at: string;
  ids: string[][];
  traits: string[];
}

export interface MemberRecord {
  profileId: string;
  enteredAt: string;
  identifiers: Record<string, string[]>;
  traits: Record<string, unknown>;
}

function pageSql(ws: string, segmentId: string, cols: ExportColumns, after: string | null): SqlFragment {
  const from = after === null ? raw('') : sql` AND profile_id > ${param(after, 'String')}`;
  const page = sql`SELECT profile_id, entered_at FROM segment_members FINAL WHERE ${segmentKey(ws, segmentId)}${from} AND is_member = 1 ORDER BY profile_id LIMIT ${param(PAGE, 'UInt32')}`;
  const ids = cols.identifiers.map(
    (k) => sql`JSONExtract(p.identifiers, ${param(k, 'String')}, 'Array(String)')`,
  );
  const traits = cols.traits.map(
    (t) =>
      sql`JSONExtractRaw(p.traits, ${join(
        t.split('.').map((key) => param(key, 'String')),
        ', ',
      )})`,
  );
  const array = (xs: SqlFragment[], empty: string) => (xs.length ? sql`[${join(xs, ', ')}]` : raw(empty));
  return sql`SELECT m.profile_id AS profile_id, toString(m.entered_at) AS entered_at, ${array(ids, "CAST([], 'Array(Array(String))')")} AS ids, ${array(traits, "CAST([], 'Array(String)')")} AS traits FROM (${page}) AS m LEFT JOIN (SELECT profile_id, traits, identifiers FROM profiles FINAL WHERE workspace_id = ${param(ws, 'String')} AND deleted = 0 AND profile_id IN (SELECT profile_id FROM (${page}))) AS p ON p.profile_id = m.profile_id ORDER BY profile_id`;
}

/** A trait's raw JSON as a value: strings, numbers and booleans as they are; '' when missing. */
function traitValue(rawJson: string): unknown {
  if (rawJson === '') return null;
  try {
    return JSON.parse(rawJson);
  } catch {
    return rawJson;
  }
}

function cell(v: unknown): string | number | boolean {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

async function* mapRecords(
  source: AsyncGenerator<MemberRecord>,
  fn: (r: MemberRecord) => MemberRecord,
): AsyncGenerator<MemberRecord> {
  for await (const r of source) yield fn(r);
}

export function memberExport(ch: ClickHouse) {
  async function* records(ws: string, segmentId: string, cols: ExportColumns): AsyncGenerator<MemberRecord> {
    let after: string | null = null;
    for (;;) {
      const rows: ExportRow[] = await ch.query<ExportRow>(
        pageSql(ws, segmentId, cols, after),
        'segments-export',
      );
      for (const r of rows) {
        yield {
          profileId: r.profile_id,
          enteredAt: isoOf(r.entered_at),
          identifiers: Object.fromEntries(cols.identifiers.map((k, i) => [k, r.ids[i] ?? []])),
          traits: Object.fromEntries(cols.traits.map((t, i) => [t, traitValue(r.traits[i] ?? '')])),
        };
      }
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].profile_id;
    }
  }

  /** A flat row: profile_id, entered_at, one column per identifier kind (values joined by "; "), one per trait. */
  function flat(r: MemberRecord, cols: ExportColumns): (string | number | boolean)[] {
    return [
      r.profileId,
      r.enteredAt,
      ...cols.identifiers.map((k) => r.identifiers[k].join('; ')),
      ...cols.traits.map((t) => cell(r.traits[t])),
    ];
  }

  function ndjson(source: AsyncGenerator<MemberRecord>): Readable {
    return Readable.from(
      (async function* () {
        for await (const r of source) yield `${JSON.stringify(r)}\n`;
      })(),
    );
  }

  function csv(source: AsyncGenerator<MemberRecord>, cols: ExportColumns, header: string[]): Readable {
    const out = stringify({ header: true, columns: header });
    const rows = Readable.from(
      (async function* () {
        for await (const r of source) yield flat(r, cols);
      })(),
    );
    pipeline(rows, out, () => undefined);
    return out;
  }

  function xlsx(source: AsyncGenerator<MemberRecord>, cols: ExportColumns, header: string[]): Readable {
    const out = new PassThrough();
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: false,
      useSharedStrings: false,
    });
    void (async () => {
      let sheet = book.addWorksheet('Members');
      sheet.addRow(header).commit();
      let rows = 0;
      for await (const r of source) {
        if (++rows > XLSX_MAX_ROWS) {
          await sheet.commit();
          sheet = book.addWorksheet(`Members ${Math.ceil(rows / XLSX_MAX_ROWS)}`);
          sheet.addRow(header).commit();
          rows = 1;
        }
        sheet.addRow(flat(r, cols)).commit();
        if (out.writableNeedDrain) await once(out, 'drain');
      }
      await sheet.commit();
      await book.commit();
    })().catch((err) => out.destroy(err));
    return out;
  }

  return {
    records,
    /** The export stream in `format`; the caller has checked access and the segment. */
    stream(
      ws: string,
      segmentId: string,
      format: ExportFormat,
      cols: ExportColumns,
      /** How each member leaves (PII masking for the caller). */
      mask?: (r: MemberRecord) => MemberRecord,
    ): Readable {
      const source = mask ? mapRecords(records(ws, segmentId, cols), mask) : records(ws, segmentId, cols);
      const header = [
        'profile_id',
        'entered_at',
        ...cols.identifiers,
        ...cols.traits.map((t) => `trait:${t}`),
      ];
      if (format === 'ndjson') return ndjson(source);
      if (format === 'csv') return csv(source, cols, header);
      return xlsx(source, cols, header);
    },
  };
}

export type MemberExport = ReturnType<typeof memberExport>;
