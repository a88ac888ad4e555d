import { AppError } from '../../core/errors.ts';
import { minCostAssignment } from './assignment.ts';
import { activityNeededAtCalibration } from './decay.ts';

/**
 * The radiopharmaceutical order of a PET day, pure. Every time is in minutes on one clock (minutes since
 * midnight, or epoch minutes); activities in MBq.
 *
 * Each dose is drawn from the latest delivery calibrated at or before its injection (the freshest vial), and
 * decay-corrected back to that calibration time (REFERENCE §8.3: "order Σ patient doses decay-corrected to
 * each injection time, referenced to the vial calibration time"). The margin covers dead volume and contingency.
 */

export interface DoseAt {
  id: string;
  activityMBq: number;
  injectionAt: number;
}
export interface Delivery {
  id: string;
  calibrationAt: number;
}
export interface OrderOptions {
  halfLifeMin: number;
  /** Extra fraction ordered on top of the doses (dead volume, contingency), e.g. 0.1. */
  margin: number;
}
export interface DeliveryOrder {
  deliveryId: string;
  calibrationAt: number;
  /** Σ doses decay-corrected to calibration, before the margin. */
  dosesMBq: number;
  orderMBq: number;
  doseIds: string[];
}

/** Index of the delivery serving an injection, or -1 when every delivery is calibrated after it. */
export function servingDelivery(deliveries: readonly Delivery[], injectionAt: number): number {
  let best = -1;
  deliveries.forEach((d, i) => {
    if (d.calibrationAt <= injectionAt && (best < 0 || d.calibrationAt > deliveries[best]!.calibrationAt)) best = i;
  });
  return best;
}

/** The decay multiplier of a slot: what 1 MBq injected then costs at its delivery's calibration. */
export function slotMultiplier(deliveries: readonly Delivery[], injectionAt: number, halfLifeMin: number): number {
  const k = servingDelivery(deliveries, injectionAt);
  if (k < 0) return Infinity;
  return activityNeededAtCalibration(1, injectionAt - deliveries[k]!.calibrationAt, halfLifeMin);
}

/**
 * The activity to order for each delivery. Throws DELIVERY_AFTER_INJECTION when an injection comes before
 * every delivery's calibration: that dose could not be drawn at all.
 */
export function computeOrder(doses: readonly DoseAt[], deliveries: readonly Delivery[], options: OrderOptions) {
  if (deliveries.length === 0 && doses.length > 0) {
    throw new AppError('DELIVERY_AFTER_INJECTION', 'No delivery is planned before the first injection', {
      fields: [{ path: 'body.deliveries', message: 'empty' }],
    });
  }
  const orders: DeliveryOrder[] = deliveries.map((d) => ({
    deliveryId: d.id,
    calibrationAt: d.calibrationAt,
    dosesMBq: 0,
    orderMBq: 0,
    doseIds: [],
  }));
  for (const dose of doses) {
    const k = servingDelivery(deliveries, dose.injectionAt);
    if (k < 0) {
      throw new AppError(
        'DELIVERY_AFTER_INJECTION',
        'A delivery is calibrated after an injection it must serve: plan a delivery before the first injection',
        { fields: [{ path: 'body.deliveries', message: 'calibrated after the first injection' }] },
      );
    }
    const order = orders[k]!;
    order.dosesMBq += activityNeededAtCalibration(
      dose.activityMBq,
      dose.injectionAt - deliveries[k]!.calibrationAt,
      options.halfLifeMin,
    );
    order.doseIds.push(dose.id);
  }
  for (const o of orders) o.orderMBq = o.dosesMBq * (1 + options.margin);
  const totalMBq = orders.reduce((s, o) => s + o.orderMBq, 0);
  return { orders, totalMBq };
}

export interface OrderPatient {
  id: string;
  activityMBq: number;
  /** Diabetic patients go first (fasting glycaemia is best controlled early in the morning). */
  diabetic: boolean;
  /** The injection must fall within this window when given (the patient's availability). */
  window?: { from: number; to: number } | null;
}

/**
 * Whether `patient` may take slot `slotIndex` of `slotTimes`: within their availability window, and — for a
 * diabetic patient — among the first D slots of the day, D being the number of diabetic patients (slots at
 * the same time as the D-th count as first).
 */
export function allowed(patient: OrderPatient, slotTime: number, diabeticCutoff: number): boolean {
  if (patient.window && (slotTime < patient.window.from || slotTime > patient.window.to)) return false;
  if (patient.diabetic && slotTime > diabeticCutoff) return false;
  return true;
}

/** The time of the D-th earliest slot (D = diabetic patients), the latest a diabetic patient may be injected. */
export function diabeticCutoff(patients: readonly OrderPatient[], slotTimes: readonly number[]): number {
  const d = patients.filter((p) => p.diabetic).length;
  if (d === 0) return Infinity;
  return [...slotTimes].sort((a, b) => a - b)[d - 1] ?? Infinity;
}

/**
 * Assigns patients to the day's injection slots so that the activity ordered is minimal, under the
 * constraints. The cost of patient i in slot j is A_i × 2^((t_j − T_k(j)) / T½), linear in the assignment, so
 * the minimum-cost assignment is the exact optimum (the margin is a common factor). Returns the slot index of
 * each patient, or null when the constraints cannot all be met.
 */
export function optimiseOrder(
  patients: readonly OrderPatient[],
  slotTimes: readonly number[],
  deliveries: readonly Delivery[],
  halfLifeMin: number,
): { slotOf: number[]; dosesMBq: number } | null {
  const cutoff = diabeticCutoff(patients, slotTimes);
  const multipliers = slotTimes.map((t) => slotMultiplier(deliveries, t, halfLifeMin));
  const cost = patients.map((p) =>
    slotTimes.map((t, j) => (allowed(p, t, cutoff) ? p.activityMBq * multipliers[j]! : Infinity)),
  );
  const result = minCostAssignment(cost);
  if (!result) return null;
  return { slotOf: result.columnOf, dosesMBq: result.total };
}

/** Σ doses decay-corrected to calibration for a given assignment (no margin). */
export function dosesAtCalibration(
  patients: readonly OrderPatient[],
  slotOf: readonly number[],
  slotTimes: readonly number[],
  deliveries: readonly Delivery[],
  halfLifeMin: number,
): number {
  return patients.reduce(
    (s, p, i) => s + p.activityMBq * slotMultiplier(deliveries, slotTimes[slotOf[i]!]!, halfLifeMin),
    0,
  );
}
