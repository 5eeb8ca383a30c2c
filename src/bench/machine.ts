import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function version(pkg: string): string | null {
  try {
    return JSON.parse(readFileSync(`${ROOT}node_modules/${pkg}/package.json`, 'utf8')).version;
  } catch {
    return null;
  }
}

/** What every benchmark reports about where it ran. */
export function machineInfo() {
  const c = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    packages: Object.fromEntries(
      ['chdb', '@clickhouse/client', '@electric-sql/pglite', 'pg', 'fastify', 'drizzle-orm'].map((p) => [
        p,
        version(p),
      ]),
    ),
  };
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** A one-line progress bar on stderr (stdout carries the JSON). */
export function progressBar(label: string, total: number) {
  const start = Date.now();
  let last = 0;
  return {
    tick(done: number) {
      const now = Date.now();
      if (!process.stderr.isTTY || (now - last < 100 && done < total)) return;
      last = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${((now - start) / 1000).toFixed(1)}s`,
      );
      if (done >= total) process.stderr.write('\n');
    },
  };
}

/** `--name value` from a benchmark's arguments, as a number. */
export function arg(args: string[], name: string, def: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return def;
  const n = Number(args[i + 1]);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name}: expected a number, got ${JSON.stringify(args[i + 1])}`);
  return n;
}
