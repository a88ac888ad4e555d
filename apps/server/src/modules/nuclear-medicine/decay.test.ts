import { describe, expect, it } from 'vitest';
import { activityAfter, activityNeededAtCalibration, decayFactor, HALF_LIFE_MIN } from './decay.ts';

// Hand-computed with A(t) = A₀ · 2^(−t/T½), T½(¹⁸F) = 109.77 min (REFERENCE §8.1).
describe('decay', () => {
  it('halves after one half-life and quarters after two', () => {
    expect(decayFactor(109.77, HALF_LIFE_MIN.F18)).toBeCloseTo(0.5, 12);
    expect(decayFactor(219.54, HALF_LIFE_MIN.F18)).toBeCloseTo(0.25, 12);
    expect(decayFactor(0, HALF_LIFE_MIN.F18)).toBe(1);
  });

  it('keeps 46.87 % of ¹⁸F after 120 min (REFERENCE: 46.9 %)', () => {
    // 120 / 109.77 = 1.093195; 2^−1.093195 = e^(−0.693147 × 1.093195) = e^−0.757745 = 0.468722
    expect(decayFactor(120, HALF_LIFE_MIN.F18)).toBeCloseTo(0.468722, 5);
  });

  it('leaves 273.9 MBq of 400 MBq after 60 min', () => {
    // 60 / 109.77 = 0.546597; 2^−0.546597 = 0.684633; × 400 = 273.85
    expect(activityAfter(400, 60, HALF_LIFE_MIN.F18)).toBeCloseTo(273.85, 1);
  });

  it('needs 370.71 MBq at calibration for 210 MBq (3 MBq/kg × 70 kg) injected 90 min later', () => {
    // 90 / 109.77 = 0.819896; 2^0.819896 = e^(0.693147 × 0.819896) = e^0.568309 = 1.765279; × 210 = 370.71
    expect(activityNeededAtCalibration(210, 90, HALF_LIFE_MIN.F18)).toBeCloseTo(370.71, 1);
  });

  it('refuses a non-positive half-life', () => {
    expect(() => decayFactor(10, 0)).toThrow(RangeError);
  });
});
