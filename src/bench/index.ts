import { machineInfo } from './machine.ts';

type Bench = (args: string[]) => Promise<Record<string, unknown>>;

const benches: Record<string, () => Promise<Bench>> = {
  storage: async () => (await import('./storage.ts')).benchStorage,
  ingest: async () => (await import('./ingest.ts')).benchIngest,
  segments: async () => (await import('./segments.ts')).benchSegments,
  identity: async () => (await import('./identity.ts')).benchIdentity,
  reports: async () => (await import('./reports.ts')).benchReports,
  'profile-api': async () => (await import('./identity.ts')).benchProfileApi,
};

/** `npm run bench -- <name>`: runs one benchmark and prints one JSON object on stdout. */
export async function benchCommand(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  const load = name ? benches[name] : undefined;
  if (!load) {
    process.stderr.write(`Usage: npm run bench -- <${Object.keys(benches).join('|')}>\n`);
    process.exit(2);
  }
  const started = new Date();
  let figures: Record<string, unknown>;
  try {
    figures = await (await load())(rest);
  } catch (err) {
    process.stderr.write(
      `bench ${name} failed: ${String((err as Error).message ?? err)
        .split('\n')[0]
        .slice(0, 300)}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    `${JSON.stringify({ bench: name, startedAt: started.toISOString(), seconds: (Date.now() - started.getTime()) / 1000, ...figures, machine: machineInfo() }, null, 2)}\n`,
  );
  process.exit(0);
}
