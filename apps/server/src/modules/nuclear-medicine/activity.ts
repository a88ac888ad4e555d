/**
 * The exam type's activity rule: weight × MBq/kg, bounded by the exam's minimum and maximum (REFERENCE §8.2:
 * one published FDG protocol uses 3 MBq/kg up to 370 MBq; the SmPC range is 100–400 MBq for 70 kg). A flat
 * activity (no MBq/kg) is the minimum, raised to nothing.
 */
export interface ActivityRule {
  mbqPerKg: number | null;
  minMBq: number;
  maxMBq: number;
}

/** Prescribed activity in MBq, rounded to the whole MBq (the activimeter's resolution). */
export function prescribedActivity(rule: ActivityRule, weightKg: number | null): number {
  if (rule.mbqPerKg === null || weightKg === null) return rule.minMBq;
  const raw = rule.mbqPerKg * weightKg;
  return Math.round(Math.min(rule.maxMBq, Math.max(rule.minMBq, raw)));
}

/** Whether an activity lies within the exam's limits (a tolerance of 0.5 MBq covers rounding). */
export function withinLimits(rule: ActivityRule, activityMBq: number): boolean {
  return activityMBq >= rule.minMBq - 0.5 && activityMBq <= rule.maxMBq + 0.5;
}
