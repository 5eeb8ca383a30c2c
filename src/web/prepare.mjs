// `npm install` (prepare) builds the console into src/web/dist, so `npm start` serves it.
// An install without dev dependencies (no Vite) skips the build: the server then answers `/`
// with a page that says how to build the console.
import { spawnSync } from 'node:child_process';

try {
  import.meta.resolve('vite');
} catch {
  console.log('datapulse: Vite is not installed (dev dependencies omitted); skipping the console build.');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['run', 'build:web'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
