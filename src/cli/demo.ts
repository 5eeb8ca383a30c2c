import { DEMO_HELP, parseDemoArgs } from './demo/args.ts';
import { runDemo } from './demo/run.ts';
import { DemoError } from './demo/send.ts';

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 300) || 'unknown error';
}

/** `datapulse demo [--profiles N] [--days N] [--url URL] [--token T] [--write-key K] [--seed N] [--data-dir DIR]`. */
export async function demoCommand(args: string[]): Promise<void> {
  try {
    const options = parseDemoArgs(args, process.env);
    if (options === 'help') {
      process.stdout.write(DEMO_HELP);
      return;
    }
    await runDemo(options, { stdout: process.stdout, stderr: process.stderr, env: process.env });
  } catch (err) {
    const known = err instanceof DemoError;
    process.stderr.write(
      `datapulse demo: ${firstLine(known ? err.message : String((err as Error)?.message ?? err))}\n`,
    );
    process.exit(known ? err.exitCode : 1);
  }
}
