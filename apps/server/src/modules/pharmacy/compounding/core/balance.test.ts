import { describe, expect, it } from 'vitest';
import { createSimulatedBalance, isSimulatedBalance } from './balance.ts';
import { checkWeighing } from './gravimetry.ts';

describe('simulated balance', () => {
  it('replays the same readings for the same seed', async () => {
    const a = createSimulatedBalance({ seed: 7 });
    const b = createSimulatedBalance({ seed: 7 });
    a.place(20);
    b.place(20);
    const readsA = [await a.read(), await a.read(), await a.read()];
    const readsB = [await b.read(), await b.read(), await b.read()];
    expect(readsA).toEqual(readsB);
    expect(new Set(readsA.map((r) => r.massG)).size).toBeGreaterThan(1);
  });

  it('reads within tolerance around the load, and out of tolerance when told to', async () => {
    const balance = createSimulatedBalance({ seed: 1 });
    for (let i = 0; i < 50; i++) {
      balance.place(12);
      const reading = await balance.read();
      expect(reading.stable).toBe(true);
      expect(Math.abs(reading.massG - 12)).toBeLessThan(0.2);
      expect(checkWeighing({ volumeMl: 12, densityGPerMl: 1, measuredG: reading.massG }).result).toBe('accepted');
    }
    balance.place(12, { offsetPercent: 12 });
    const off = await balance.read();
    expect(checkWeighing({ volumeMl: 12, densityGPerMl: 1, measuredG: off.massG }).result).toBe('rejected');
    balance.clear();
    expect((await balance.read()).massG).toBeLessThan(0.2);
    expect(isSimulatedBalance(balance)).toBe(true);
    expect(() => balance.place(-1)).toThrow(RangeError);
  });
});
