/**
 * Static segments from an uploaded list: a CSV or XLSX file with a header row and a column of
 * identifiers. Values are normalised as at ingestion (core/identity) and matched against the
 * identity graph; the report lists the rows that matched no profile and why.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { invalid } from '../core/errors.ts';
import {
  type IdentitySettings,
  isBuiltInKind,
  KIND_PATTERN,
  kindOfExternalType,
  normalizeIdentifier,
} from '../core/identity/index.ts';
import type { UploadReport } from './contract.ts';

export type UploadFormat = 'csv' | 'xlsx';

/** The kind naming profile ids themselves. */
const PROFILE_ID = 'profile_id';
const MAX_REPORTED = 1000;
const LOOKUP_CHUNK = 5000;

export interface IdentityLookup {
  settings(workspaceId: string): Promise<Pick<IdentitySettings, 'defaultCountry'>>;
  /** Holders of normalised identifiers. */
  findIdentities(
    workspaceId: string,
    keys: readonly { kind: string; value: string }[],
  ): Promise<{ kind: string; value: string; profile_id: string }[]>;
  /** Stored profiles among ids (merged ones point at their survivor). */
  profiles(
    workspaceId: string,
    ids: readonly string[],
  ): Promise<{ id: string; merged_into: string | null; deleted_at: string | null }[]>;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if (v instanceof Date) return v.toISOString();
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return v.result === undefined || v.result === null ? '' : String(v.result);
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    return '';
  }
  return String(v);
}

/** Rows of the file (header first) as text cells. */
export async function readTable(file: Buffer, format: UploadFormat): Promise<string[][]> {
  if (format === 'xlsx') {
    const book = new ExcelJS.Workbook();
    try {
      await book.xlsx.load(file as unknown as ArrayBuffer);
    } catch {
      throw invalid('/', 'not a readable XLSX file');
    }
    const sheet = book.worksheets[0];
    if (!sheet) throw invalid('/', 'the workbook has no sheet');
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
      rows[n - 1] = values;
    });
    return Array.from(rows, (r) => r ?? []);
  }
  const text = file.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].reduce((best, d) =>
    firstLine.split(d).length > firstLine.split(best).length ? d : best,
  );
  try {
    return parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw invalid('/', `not a readable CSV file: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Header spellings seen in spreadsheets, by the kind they name (compared without case, spaces or punctuation). */
const HEADER_KINDS: Record<string, string> = {
  email: 'email',
  mail: 'email',
  emailaddress: 'email',
  почта: 'email',
  электроннаяпочта: 'email',
  phone: 'phone',
  phonenumber: 'phone',
  telephone: 'phone',
  tel: 'phone',
  mobile: 'phone',
  телефон: 'phone',
  номертелефона: 'phone',
  userid: 'user_id',
  profileid: PROFILE_ID,
};

function kindOfHeader(header: string): string | undefined {
  const known = HEADER_KINDS[header.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')];
  if (known) return known;
  const k = kindOfExternalType(header);
  return k !== undefined && isBuiltInKind(k) ? k : undefined;
}

/** Which column holds the identifiers, and of which kind. */
export function pickColumn(
  header: string[],
  column?: string,
  kind?: string,
): { index: number; kind: string } {
  let index: number;
  if (column !== undefined) {
    index = header.findIndex((h) => h.trim().toLowerCase() === column.trim().toLowerCase());
    if (index < 0)
      throw invalid('/column', `no column "${column}"; the header has ${JSON.stringify(header)}`);
  } else {
    index = header.findIndex((h) => kindOfHeader(h) !== undefined);
    if (index < 0 && kind !== undefined && header.length === 1) index = 0;
    if (index < 0) {
      throw invalid(
        '/column',
        `no identifier column found in ${JSON.stringify(header)}; name it with column=`,
      );
    }
  }
  if (kind !== undefined) {
    const k = kind.trim() === PROFILE_ID ? PROFILE_ID : kindOfExternalType(kind);
    if (k === undefined || !KIND_PATTERN.test(k))
      throw invalid('/kind', `"${kind}" is not an identifier kind`);
    return { index, kind: k };
  }
  const fromHeader = kindOfHeader(header[index] ?? '');
  if (!fromHeader) {
    throw invalid('/kind', `cannot tell the identifier kind of column "${header[index]}"; pass kind=`);
  }
  return { index, kind: fromHeader };
}

export type MatchReport = Omit<UploadReport, 'entered' | 'exited' | 'size'> & { profileIds: string[] };

/** Normalises and matches every data row; returns the matched profile ids and the report. */
export async function matchRows(
  lookup: IdentityLookup,
  workspaceId: string,
  rows: string[][],
  column: { index: number; kind: string },
): Promise<MatchReport> {
  const settings = await lookup.settings(workspaceId);
  const unmatched: { row: number; value: string; reason: string }[] = [];
  const wanted = new Map<string, { row: number; value: string }[]>(); // normalised value → rows
  const data = rows.slice(1);
  data.forEach((cells, i) => {
    const rowNo = i + 2;
    const value = cells[column.index] ?? '';
    if (column.kind === PROFILE_ID) {
      const v = value.trim();
      if (v === '') unmatched.push({ row: rowNo, value, reason: 'empty' });
      else wanted.set(v, [...(wanted.get(v) ?? []), { row: rowNo, value }]);
      return;
    }
    const r = normalizeIdentifier(column.kind, value, settings);
    if (!r.ok) unmatched.push({ row: rowNo, value, reason: r.reason });
    else wanted.set(r.value, [...(wanted.get(r.value) ?? []), { row: rowNo, value }]);
  });

  const holder = new Map<string, string>(); // normalised value → profile id
  const values = [...wanted.keys()];
  for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
    const chunk = values.slice(i, i + LOOKUP_CHUNK);
    if (column.kind === PROFILE_ID) {
      for (const p of await lookup.profiles(workspaceId, chunk)) {
        if (!p.deleted_at) holder.set(p.id, p.merged_into ?? p.id);
      }
    } else {
      const found = await lookup.findIdentities(
        workspaceId,
        chunk.map((value) => ({ kind: column.kind, value })),
      );
      for (const f of found) holder.set(f.value, f.profile_id);
    }
  }

  let matched = 0;
  const profileIds = new Set<string>();
  for (const [value, seen] of wanted) {
    const profileId = holder.get(value);
    if (profileId) {
      matched += seen.length;
      profileIds.add(profileId);
    } else {
      for (const s of seen) unmatched.push({ ...s, reason: 'not_found' });
    }
  }
  unmatched.sort((a, b) => a.row - b.row);
  return {
    rows: data.length,
    matched,
    profiles: profileIds.size,
    unmatched: unmatched.length,
    unmatchedRows: unmatched.slice(0, MAX_REPORTED),
    profileIds: [...profileIds],
  };
}
