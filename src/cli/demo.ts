export async function demoCommand(_args: string[]): Promise<void> {
  process.stderr.write('datapulse demo: not available yet\n');
  process.exit(2);
}
