import { RateLimitedError } from '../core/errors.ts';

/** Per-key token buckets (requests per second, burst of one second). Off when rate is 0. */
export function rateLimiter(perSecond: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    check(key: string, now = Date.now()): void {
      if (perSecond <= 0) return;
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size > 100_000) buckets.clear();
        b = { tokens: perSecond, at: now };
        buckets.set(key, b);
      }
      b.tokens = Math.min(perSecond, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
      if (b.tokens < 1) {
        throw new RateLimitedError(
          'Rate limit for this write key exceeded',
          Math.max(1, Math.ceil((1 - b.tokens) / perSecond)),
        );
      }
      b.tokens -= 1;
    },
  };
}
