/**
 * Radioactive decay, pure: A(t) = A₀ × 2^(−t / T½) (REFERENCE §8.1). Times are in minutes, activities in MBq.
 */

/** Physical half-lives in minutes. ¹⁸F: 109.77 min (ANSM SmPC FDG, 6,586 s). */
export const HALF_LIFE_MIN = {
  F18: 109.77,
  Ga68: 67.7,
  Tc99m: 360.4,
  I131: 8.02 * 24 * 60,
} as const;
export type Nuclide = keyof typeof HALF_LIFE_MIN;

export function isNuclide(value: string): value is Nuclide {
  return Object.hasOwn(HALF_LIFE_MIN, value);
}

/** Fraction of the activity left after `minutes` (negative minutes give the growth back in time). */
export function decayFactor(minutes: number, halfLifeMin: number): number {
  if (!(halfLifeMin > 0)) throw new RangeError('The half-life must be positive');
  return Math.pow(2, -minutes / halfLifeMin);
}

/** The activity `minutes` after a measurement of `activityMBq`. */
export function activityAfter(activityMBq: number, minutes: number, halfLifeMin: number): number {
  return activityMBq * decayFactor(minutes, halfLifeMin);
}

/**
 * The activity needed at calibration so that `targetMBq` remains `minutesBeforeInjection` later:
 * target × 2^(Δt / T½). A calibration after the injection (Δt < 0) is the caller's error to refuse.
 */
export function activityNeededAtCalibration(targetMBq: number, minutesBeforeInjection: number, halfLifeMin: number) {
  return targetMBq / decayFactor(minutesBeforeInjection, halfLifeMin);
}
