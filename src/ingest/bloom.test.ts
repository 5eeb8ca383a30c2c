import { describe, expect, it } from 'vitest';
import { ScalableBloom } from './bloom.ts';

describe('ScalableBloom', () => {
  it('never forgets a key and keeps false positives near 1% as it grows', () => {
    const b = new ScalableBloom(1000);
    for (let i = 0; i < 20_000; i++) b.add(`ws\u0000msg-${i}`);
    for (let i = 0; i < 20_000; i++) expect(b.has(`ws\u0000msg-${i}`)).toBe(true);
    let fp = 0;
    for (let i = 0; i < 20_000; i++) if (b.has(`ws\u0000other-${i}`)) fp++;
    expect(fp / 20_000).toBeLessThan(0.03);
    expect(b.size).toBe(20_000);
  });

  it('round-trips through its binary snapshot and rejects damaged ones', () => {
    const b = new ScalableBloom(10);
    for (let i = 0; i < 100; i++) b.add(`k${i}`);
    const buf = b.serialize({ watermark: 123 });
    const back = ScalableBloom.deserialize(buf);
    expect(back?.meta).toEqual({ watermark: 123 });
    for (let i = 0; i < 100; i++) expect(back?.bloom.has(`k${i}`)).toBe(true);
    expect(ScalableBloom.deserialize(buf.subarray(0, buf.length - 1))).toBeNull();
    expect(ScalableBloom.deserialize(Buffer.from('garbage'))).toBeNull();
  });
});
