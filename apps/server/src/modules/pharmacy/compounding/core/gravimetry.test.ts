import { describe, expect, it } from 'vitest';
import { checkWeighing, DEFAULT_GRAVIMETRIC_TOLERANCE, expectedMassG, toleranceFor } from './gravimetry.ts';

describe('expected mass', () => {
  it('is volume × density, plus the container tare when the finished product is weighed', () => {
    // Glucose 50 % density 1.188 (domain reference §2.2).
    expect(expectedMassG(10, 1.188)).toBe(11.88);
    expect(expectedMassG(10, 1.188, 31.5)).toBe(43.38);
  });

  it('assumes 1.0 when the density is unknown, and warns', () => {
    expect(expectedMassG(12.5, null)).toBe(12.5);
    const r = checkWeighing({ volumeMl: 12.5, densityGPerMl: null, measuredG: 12.5 });
    expect(r).toMatchObject({ densityUsed: 1, result: 'accepted', deviationPercent: 0 });
    expect(r.warnings).toEqual(['DENSITY_ASSUMED']);
    expect(checkWeighing({ volumeMl: 12.5, densityGPerMl: 1.0, measuredG: 12.5 }).warnings).toEqual([]);
  });
});

describe('tolerance boundaries (default ±5 % above 2 mL, ±8 % at or below, domain reference §2.1)', () => {
  const at = (volumeMl: number, measuredG: number) => checkWeighing({ volumeMl, densityGPerMl: 1, measuredG });

  it.each([
    [10.499, 4.99, 'accepted'],
    [10.5, 5, 'accepted'],
    [10.501, 5.01, 'rejected'],
    [9.501, -4.99, 'accepted'],
    [9.5, -5, 'accepted'],
    [9.499, -5.01, 'rejected'],
  ] as const)('10 mL weighed %s g → %s %% → %s', (measured, deviation, result) => {
    const r = at(10, measured);
    expect(r.deviationPercent).toBe(deviation);
    expect(r.result).toBe(result);
    expect(r.limitPercent).toBe(5);
  });

  it('2 mL uses the small-volume limit (8 %), 2.01 mL the large-volume one (5 %)', () => {
    expect(toleranceFor(2)).toEqual({ limitPercent: 8, limitKind: 'small_volume' });
    expect(toleranceFor(2.01)).toEqual({ limitPercent: 5, limitKind: 'large_volume' });
    expect(at(2, 2.16)).toMatchObject({ deviationPercent: 8, result: 'accepted', limitKind: 'small_volume' });
    expect(at(2, 2.1602)).toMatchObject({ deviationPercent: 8.01, result: 'rejected' });
    // The same 6 % error is accepted at 2 mL and rejected at 2.01 mL.
    expect(at(2, 2.12)).toMatchObject({ deviationPercent: 6, result: 'accepted', limitPercent: 8 });
    expect(at(2.01, 2.1306)).toMatchObject({ deviationPercent: 6, result: 'rejected', limitPercent: 5 });
  });

  it('computes the deviation on the net content when a tare is on the plate', () => {
    // 250 mL bag content, tare 31.5 g: 12 g too much is 4.8 % of the content (accepted), not 4.3 % of the gross.
    const r = checkWeighing({ volumeMl: 250, densityGPerMl: 1, tareG: 31.5, measuredG: 293.5 });
    expect(r).toMatchObject({ expectedG: 281.5, deviationPercent: 4.8, result: 'accepted' });
    const far = checkWeighing({ volumeMl: 250, densityGPerMl: 1, tareG: 31.5, measuredG: 300 });
    expect(far).toMatchObject({ deviationPercent: 7.4, result: 'rejected' });
  });

  it('takes configured tolerances', () => {
    const strict = { ...DEFAULT_GRAVIMETRIC_TOLERANCE, largeVolumePercent: 2, smallVolumeThresholdMl: 1 };
    expect(checkWeighing({ volumeMl: 1.5, densityGPerMl: 1, measuredG: 1.53, tolerance: strict })).toMatchObject({
      limitPercent: 2,
      deviationPercent: 2,
      result: 'accepted',
    });
  });

  it('never accepts an unstable reading, even within tolerance', () => {
    const r = checkWeighing({ volumeMl: 10, densityGPerMl: 1, measuredG: 10, stable: false });
    expect(r.result).toBe('rejected');
    expect(r.warnings).toContain('UNSTABLE_READING');
  });

  it('refuses nonsense input', () => {
    expect(() => checkWeighing({ volumeMl: 0, densityGPerMl: 1, measuredG: 1 })).toThrow(RangeError);
    expect(() => checkWeighing({ volumeMl: 1, densityGPerMl: 0, measuredG: 1 })).toThrow(RangeError);
    expect(() => checkWeighing({ volumeMl: 1, densityGPerMl: 1, measuredG: Number.NaN })).toThrow(RangeError);
  });
});
