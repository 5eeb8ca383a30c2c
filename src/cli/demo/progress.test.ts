import { describe, expect, it } from 'vitest';
import { createProgress, formatBar, formatDuration, formatLine } from './progress.ts';

describe('progress formatting', () => {
  it('draws a bar with counts, rate and ETA', () => {
    expect(formatBar({ done: 50_000, total: 200_000, elapsedMs: 10_000 })).toBe(
      `[${'█'.repeat(8)}${'░'.repeat(22)}]  25% 50,000/200,000 events · 5,000 events/s · ETA 30s`,
    );
    expect(formatBar({ done: 10, total: 10, elapsedMs: 1000 })).toMatch(
      /^\[█{30}\] 100% 10\/10 events · 10 events\/s$/,
    );
  });

  it('writes a plain line for logs', () => {
    expect(formatLine({ done: 1234, total: 10_000, elapsedMs: 2000 })).toBe(
      'demo: 1,234/10,000 events (12%), 617 events/s',
    );
  });

  it('formats durations', () => {
    expect(formatDuration(12_400)).toBe('12s');
    expect(formatDuration(187_000)).toBe('3m 07s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
  });
});

describe('createProgress', () => {
  function stream(isTTY: boolean) {
    const chunks: string[] = [];
    return { chunks, isTTY, write: (c: string) => chunks.push(c) };
  }

  it('redraws in place on a terminal', () => {
    let t = 0;
    const out = stream(true);
    const p = createProgress(100, { stream: out, now: () => t });
    t = 200;
    p.add(50);
    t = 250;
    p.add(50); // within 100 ms of the last draw: not drawn
    p.finish();
    expect(out.chunks).toHaveLength(4);
    expect(out.chunks.every((c) => c.startsWith('\r') || c === '\n')).toBe(true);
    expect(out.chunks[1]).toContain('50/100 events');
    expect(out.chunks.at(-2)).toContain('100/100 events');
    expect(out.chunks.at(-1)).toBe('\n');
  });

  it('prints a plain line every few seconds when not a terminal', () => {
    let t = 0;
    const out = stream(false);
    const p = createProgress(100, { stream: out, now: () => t });
    for (let i = 0; i < 10; i++) {
      t += 1000;
      p.add(5);
    }
    p.finish();
    expect(out.chunks).toEqual([
      'demo: 25/100 events (25%), 5 events/s\n',
      'demo: 50/100 events (50%), 5 events/s\n',
      'demo: 50/100 events (50%), 5 events/s\n',
    ]);
  });
});
