import type { GravimetricTolerance, WeighingInput, WeighingResult } from './types.ts';

/**
 * Default tolerances: non-compliant when the error is > 5 % for volumes > 2 mL and > 8 % for volumes ≤ 2 mL
 * (Centre Oscar Lambret, Lille, the small-volume limit lowered from 15 % to 8 %; ±5 % is also CH Montluçon's
 * production limit). [C] domain reference §2.1, gerpac.eu/gravimetric-control-accuracy-stability-and-performances-
 * in-routine-mode. Each pharmacy configures its own.
 */
export const DEFAULT_GRAVIMETRIC_TOLERANCE: GravimetricTolerance = {
  smallVolumeThresholdMl: 2,
  smallVolumePercent: 8,
  largeVolumePercent: 5,
};

/**
 * Density assumed when a product's density is unknown: water for injection is 1.000 g/mL, and density tables of
 * cytotoxic concentrates were not found (domain reference §2.2), so 1.0 is used with a warning.
 */
export const DEFAULT_DENSITY_G_PER_ML = 1.0;

const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** Expected mass in g: volume × density (1.0 when unknown) + tare of the container when it is on the plate. */
export function expectedMassG(volumeMl: number, densityGPerMl: number | null, tareG = 0): number {
  return round(volumeMl * (densityGPerMl ?? DEFAULT_DENSITY_G_PER_ML) + tareG, 4);
}

/** The limit (in %) that applies to a volume, and which branch of the tolerance it is. */
export function toleranceFor(
  volumeMl: number,
  tolerance: GravimetricTolerance = DEFAULT_GRAVIMETRIC_TOLERANCE,
): { limitPercent: number; limitKind: 'small_volume' | 'large_volume' } {
  return volumeMl <= tolerance.smallVolumeThresholdMl
    ? { limitPercent: tolerance.smallVolumePercent, limitKind: 'small_volume' }
    : { limitPercent: tolerance.largeVolumePercent, limitKind: 'large_volume' };
}

/**
 * Gravimetric control of one weighing. The deviation is computed on the net mass of the checked content
 * (measured − tare against volume × density), because that is what the tolerance is about: on a finished bag,
 * a deviation on the gross mass would dilute a wrong drug volume in the mass of the bag and its solvent. The
 * deviation is rounded to 0.01 % before the comparison, so 5.00 % is within a 5 % limit ("non-compliant when
 * the error is > 5 %") and 5.01 % is not.
 */
export function checkWeighing(input: WeighingInput): WeighingResult {
  const tolerance = input.tolerance ?? DEFAULT_GRAVIMETRIC_TOLERANCE;
  if (!(input.volumeMl > 0) || !Number.isFinite(input.volumeMl)) throw new RangeError('volumeMl must be > 0');
  if (!Number.isFinite(input.measuredG)) throw new RangeError('measuredG must be a number');
  if (input.densityGPerMl !== null && !(input.densityGPerMl > 0)) throw new RangeError('density must be > 0');
  const tareG = input.tareG ?? 0;
  const densityUsed = input.densityGPerMl ?? DEFAULT_DENSITY_G_PER_ML;
  const expectedNet = input.volumeMl * densityUsed;
  const measuredNet = input.measuredG - tareG;
  const deviationPercent = round(((measuredNet - expectedNet) / expectedNet) * 100, 2);
  const { limitPercent, limitKind } = toleranceFor(input.volumeMl, tolerance);
  // A reading taken while the plate still moves is not a measurement: never accept it.
  const unstable = input.stable === false;
  const warnings: WeighingResult['warnings'] = [];
  if (input.densityGPerMl === null) warnings.push('DENSITY_ASSUMED');
  if (unstable) warnings.push('UNSTABLE_READING');
  return {
    expectedG: expectedMassG(input.volumeMl, input.densityGPerMl, tareG),
    measuredG: input.measuredG,
    tareG,
    densityUsed,
    // `+ 0` turns a -0 into 0 for display.
    deviationPercent: deviationPercent + 0,
    limitPercent,
    limitKind,
    result: Math.abs(deviationPercent) <= limitPercent && !unstable ? 'accepted' : 'rejected',
    warnings,
  };
}
