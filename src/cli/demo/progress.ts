/**
 * A progress bar on stderr: redrawn in place on a terminal, a plain line every few seconds
 * otherwise (CI logs, pipes).
 */

export interface ProgressState {
  done: number;
  total: number;
  elapsedMs: number;
}

const BAR_WIDTH = 30;

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `1h 02m`, `3m 07s`, `12s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function rate(p: ProgressState): number {
  return p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0;
}

/** `[██████░░░░] 42% 123,456/300,000 events · 8,123 events/s · ETA 21s` */
export function formatBar(p: ProgressState): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const perSecond = rate(p);
  const eta =
    perSecond > 0 && p.done < p.total
      ? ` · ETA ${formatDuration(((p.total - p.done) / perSecond) * 1000)}`
      : '';
  return (
    `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ` +
    `${formatCount(p.done)}/${formatCount(p.total)} events · ${formatCount(perSecond)} events/s${eta}`
  );
}

/** `demo: 123,456/300,000 events (41%), 8,123 events/s` */
export function formatLine(p: ProgressState): string {
  const percent = p.total > 0 ? Math.floor((Math.min(p.done, p.total) / p.total) * 100) : 100;
  return `demo: ${formatCount(p.done)}/${formatCount(p.total)} events (${percent}%), ${formatCount(rate(p))} events/s`;
}

export interface ProgressOptions {
  /** Where to draw; `isTTY` decides the style. */
  stream: { write(chunk: string): unknown; isTTY?: boolean };
  /** Milliseconds between redraws: 100 on a terminal, 5,000 for plain lines by default. */
  intervalMs?: number;
  now?: () => number;
}

export interface Progress {
  add(events: number): void;
  /** Draws the final state and ends the line. */
  finish(): void;
  state(): ProgressState;
}

export function createProgress(total: number, opts: ProgressOptions): Progress {
  const { stream } = opts;
  const tty = stream.isTTY === true;
  const now = opts.now ?? Date.now;
  const interval = opts.intervalMs ?? (tty ? 100 : 5_000);
  const started = now();
  let done = 0;
  let drawnAt = tty ? Number.NEGATIVE_INFINITY : started;
  let finished = false;

  const state = (): ProgressState => ({ done, total, elapsedMs: now() - started });
  const draw = () => {
    drawnAt = now();
    if (tty) stream.write(`\r${formatBar(state())}\x1b[K`);
    else stream.write(`${formatLine(state())}\n`);
  };

  if (tty) draw();
  return {
    add(events) {
      done += events;
      if (now() - drawnAt >= interval) draw();
    },
    finish() {
      if (finished) return;
      finished = true;
      draw();
      if (tty) stream.write('\n');
    },
    state,
  };
}
