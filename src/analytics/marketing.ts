/**
 * Marketing spend (cost, impressions and clicks per UTC day and campaign), uploaded as JSON or
 * CSV. Rows are validated all together (every problem with its path, nothing stored when one is
 * bad); re-uploading the same (date, source, medium, campaign) replaces the row.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { parse } from 'csv-parse/sync';
import { assertCan, type Principal } from '../auth/index.ts';
import { type ErrorDetail, invalid, ValidationError } from '../core/errors.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import { join, param, raw, type SqlFragment, sql } from '../core/sql.ts';
import { type ClickHouse, chTime } from '../storage/index.ts';
import { MAX_SPEND_ROWS, SpendRow, type SpendRowView } from './contract.ts';

const checkRow = TypeCompiler.Compile(SpendRow);
const COLUMNS = ['date', 'source', 'medium', 'campaign', 'cost', 'impressions', 'clicks'] as const;
const MAX_DETAILS = 50;

function isCalendarDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return (
    !Number.isNaN(d.getTime()) &&
    d.toISOString().slice(0, 10) === text &&
    text >= '1970-01-01' &&
    text < '2149-06-01'
  );
}

/** Problems of one row at `/${i}`; `line` (CSV) is named in the messages. */
function rowProblems(row: unknown, i: number, line?: number): ErrorDetail[] {
  const where = (m: string) => (line === undefined ? m : `line ${line}: ${m}`);
  const out: ErrorDetail[] = [];
  for (const e of checkRow.Errors(row)) out.push({ path: `/${i}${e.path}`, message: where(e.message) });
  if (out.length === 0 && !isCalendarDate((row as SpendRow).date)) {
    out.push({ path: `/${i}/date`, message: where('must be a calendar date YYYY-MM-DD') });
  }
  return out;
}

function rejected(details: ErrorDetail[]): ValidationError {
  const shown = details.slice(0, MAX_DETAILS);
  const more = details.length > shown.length ? ` (and ${details.length - shown.length} more)` : '';
  return new ValidationError(
    `Invalid spend rows: ${shown.map((d) => `${d.path} ${d.message}`).join('; ')}${more}`,
    shown,
  );
}

/** A CSV cell as the JSON value it stands for: numbers for the numeric columns. */
function csvValue(column: string, text: string): unknown {
  if (column === 'cost' || column === 'impressions' || column === 'clicks') {
    if (text === '' && column !== 'cost') return undefined;
    const n = Number(text);
    return text === '' || !Number.isFinite(n) ? text : n;
  }
  return text;
}

/** Rows of a CSV text with a header line naming the columns (any order, extra columns refused). */
export function parseSpendCsv(text: string): { rows: unknown[]; lines: number[] } {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (err) {
    throw invalid('/', `not valid CSV: ${String((err as Error).message).split('\n')[0]}`);
  }
  const [header, ...data] = records;
  if (!header) throw invalid('/', 'the CSV is empty; the first line names the columns');
  const names = header.map((h) => h.toLowerCase());
  const problems: ErrorDetail[] = [];
  for (const n of names) {
    if (!(COLUMNS as readonly string[]).includes(n))
      problems.push({ path: '/header', message: `unknown column "${n}"; columns: ${COLUMNS.join(', ')}` });
  }
  for (const required of ['date', 'source', 'medium', 'campaign', 'cost'])
    if (!names.includes(required))
      problems.push({ path: '/header', message: `missing column "${required}"` });
  if (problems.length) throw rejected(problems);
  const rows = data.map((cells) => {
    const row: Record<string, unknown> = {};
    names.forEach((n, j) => {
      const v = csvValue(n, cells[j] ?? '');
      if (v !== undefined) row[n] = v;
    });
    return row;
  });
  return { rows, lines: data.map((_, i) => i + 2) };
}

let lastVersion = 0;
/** Versions grow within the process even inside one millisecond: the later upload wins. */
function nextVersions(n: number): number {
  const start = Math.max(lastVersion + 1, Date.now() * 1000);
  lastVersion = start + n;
  return start;
}

interface SpendFilter {
  from?: string;
  to?: string;
}

export function marketingService(ch: ClickHouse) {
  async function store(p: Principal, input: unknown, lines?: number[]): Promise<{ rows: number }> {
    assertCan(p, 'marketing:write');
    if (!Array.isArray(input)) throw invalid('/', 'must be a list of spend rows');
    if (input.length > MAX_SPEND_ROWS) throw invalid('/', `at most ${MAX_SPEND_ROWS} rows per upload`);
    const problems = input.flatMap((row, i) => rowProblems(row, i, lines?.[i]));
    if (problems.length) throw rejected(problems);
    if (input.length === 0) return { rows: 0 };
    const version = nextVersions(input.length);
    const uploadedAt = chTime(new Date());
    const body = (input as SpendRow[])
      .map((r, i) =>
        JSON.stringify({
          workspace_id: p.workspaceId,
          date: r.date,
          source: r.source,
          medium: r.medium,
          campaign: r.campaign,
          cost: r.cost,
          impressions: r.impressions ?? 0,
          clicks: r.clicks ?? 0,
          uploaded_at: uploadedAt,
          version: version + i,
        }),
      )
      .join('\n');
    await ch.insertJsonEachRow('marketing_spend', Buffer.from(`${body}\n`));
    return { rows: input.length };
  }

  return {
    /** Stores JSON rows `[{date, source, medium, campaign, cost, impressions?, clicks?}]`. */
    upload(p: Principal, rows: unknown): Promise<{ rows: number }> {
      return store(p, rows);
    },

    /** Stores the rows of a CSV text (header line: date,source,medium,campaign,cost,impressions,clicks). */
    uploadCsv(p: Principal, text: string): Promise<{ rows: number }> {
      assertCan(p, 'marketing:write');
      const { rows, lines } = parseSpendCsv(text);
      return store(p, rows, lines);
    },

    /** Stored rows (the latest upload of each key), by date then source, medium, campaign. */
    async list(
      p: Principal,
      f: SpendFilter,
      limit = DEFAULT_LIMIT,
      cursor?: string,
    ): Promise<Page<SpendRowView>> {
      assertCan(p, 'reports:read');
      const conds: SqlFragment[] = [sql`workspace_id = ${param(p.workspaceId, 'String')}`];
      for (const [key, op] of [
        ['from', '>='],
        ['to', '<'],
      ] as const) {
        const v = f[key];
        if (v === undefined || v === '') continue;
        if (!isCalendarDate(v)) throw invalid(`/${key}`, 'must be a date YYYY-MM-DD');
        conds.push(sql`date ${raw(op)} ${param(v, 'Date')}`);
      }
      const after = decodeCursor(cursor, 4);
      if (after) {
        conds.push(
          sql`(date, source, medium, campaign) > (${param(String(after[0]), 'Date')}, ${param(String(after[1]), 'String')}, ${param(String(after[2]), 'String')}, ${param(String(after[3]), 'String')})`,
        );
      }
      const rows = await ch.query<Record<string, unknown>>(
        sql`SELECT toString(date) AS day, source, medium, campaign, cost, impressions, clicks
          FROM marketing_spend FINAL WHERE ${join(conds, ' AND ')}
          ORDER BY date, source, medium, campaign LIMIT ${param(limit + 1, 'UInt32')}`,
        'marketing-spend-list',
      );
      const data = rows.slice(0, limit).map((r) => ({
        date: String(r.day),
        source: String(r.source),
        medium: String(r.medium),
        campaign: String(r.campaign),
        cost: Number(r.cost),
        impressions: Number(r.impressions),
        clicks: Number(r.clicks),
      }));
      const last = data[data.length - 1];
      return {
        data,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor([last.date, last.source, last.medium, last.campaign])
            : null,
      };
    },
  };
}

export type MarketingService = ReturnType<typeof marketingService>;
