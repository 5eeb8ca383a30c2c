/**
 * Parameterised ClickHouse SQL built from fragments. Values never enter the text: each becomes
 * `{pN:Type}` and travels in `params`. Names (traits, properties) pass `ident()`.
 */
export type ChType = string;

export interface SqlFragment {
  readonly parts: readonly SqlPart[];
}

type SqlPart =
  | { kind: 'text'; text: string }
  | { kind: 'param'; value: unknown; type: ChType }
  | { kind: 'fragment'; fragment: SqlFragment };

export interface CompiledSql {
  query: string;
  params: Record<string, unknown>;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A safe, quoted identifier (column or table name). Throws on anything outside the pattern. */
export function ident(name: string): SqlFragment {
  if (!IDENT.test(name)) throw new Error(`Invalid identifier: ${JSON.stringify(name)}`);
  return { parts: [{ kind: 'text', text: `\`${name}\`` }] };
}

export function isIdent(name: string): boolean {
  return IDENT.test(name);
}

/** Trusted constant SQL text. Never pass user input here. */
export function raw(text: string): SqlFragment {
  return { parts: [{ kind: 'text', text }] };
}

/** A bound value of the given ClickHouse type. */
export function param(value: unknown, type: ChType): SqlFragment {
  return { parts: [{ kind: 'param', value, type }] };
}

/** Tagged template: `sql\`SELECT ${ident('a')} WHERE x = ${param(1, 'UInt32')}\``. */
export function sql(strings: TemplateStringsArray, ...values: SqlFragment[]): SqlFragment {
  const parts: SqlPart[] = [];
  strings.forEach((s, i) => {
    if (s) parts.push({ kind: 'text', text: s });
    if (i < values.length) parts.push({ kind: 'fragment', fragment: values[i] });
  });
  return { parts };
}

export function join(fragments: readonly SqlFragment[], separator: string): SqlFragment {
  const parts: SqlPart[] = [];
  fragments.forEach((f, i) => {
    if (i > 0) parts.push({ kind: 'text', text: separator });
    parts.push({ kind: 'fragment', fragment: f });
  });
  return { parts };
}

export function compile(fragment: SqlFragment, prefix = 'p'): CompiledSql {
  const params: Record<string, unknown> = {};
  let n = 0;
  const walk = (f: SqlFragment): string =>
    f.parts
      .map((p) => {
        if (p.kind === 'text') return p.text;
        if (p.kind === 'fragment') return walk(p.fragment);
        const name = `${prefix}${n++}`;
        params[name] = p.value;
        return `{${name}:${p.type}}`;
      })
      .join('');
  return { query: walk(fragment), params };
}

/**
 * `id IN (SELECT column FROM (rows))` for profile ids (`NOT IN` when `negate`), compared by their
 * 128-bit SipHash: a set of fixed-size keys is several times faster to build and probe than a set
 * of strings (over 10M ids the chance of any collision is about 10⁻²⁵).
 */
export function idIn(id: SqlFragment, column: string, rows: SqlFragment, negate = false): SqlFragment {
  if (!isIdent(column)) throw new Error(`bad column ${column}`);
  return sql`(sipHash128(${id}) ${raw(negate ? 'NOT IN' : 'IN')} (SELECT sipHash128(${raw(column)}) FROM (${rows})))`;
}
