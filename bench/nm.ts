/**
 * Nuclear-medicine benchmark: the PET ordering optimiser against the decay-optimal minimum, the booking order
 * as it came, and the fair-share proposal over simulated years. See bench/README.md ("Nuclear medicine").
 * The last line printed is one JSON object.
 *
 *   npm run bench:nm [-- --days 300 --years 20 --seed 1]
 */
import { loadSolver } from '../apps/server/src/modules/planner/milp.ts';
import { HALF_LIFE_MIN } from '../apps/server/src/modules/nuclear-medicine/decay.ts';
import { allocateSessions, fairShareBound } from '../apps/server/src/modules/nuclear-medicine/fair-share.ts';
import {
  allowed,
  diabeticCutoff,
  dosesAtCalibration,
  optimiseOrder,
  slotMultiplier,
  type Delivery,
  type OrderPatient,
} from '../apps/server/src/modules/nuclear-medicine/ordering.ts';
import { prescribedActivity } from '../apps/server/src/modules/nuclear-medicine/activity.ts';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : undefined;
};
const DAYS = Number(arg('days') ?? 300);
const YEARS = Number(arg('years') ?? 20);
const SEED = Number(arg('seed') ?? 1);
const T = HALF_LIFE_MIN.F18;
const FDG_RULE = { mbqPerKg: 3, minMBq: 150, maxMBq: 370 };

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

interface FdgDay {
  slots: number[];
  patients: OrderPatient[];
  deliveries: Delivery[];
  /** One scanner, equal slots, one delivery, no constraint: the minimum is "largest dose earliest". */
  simple: boolean;
}

/** A PET day: 1–2 scanners, slots every 20–40 min from 08:00, weights 45–125 kg, some diabetic, some windows. */
function generateDay(): FdgDay {
  const scanners = random() < 0.5 ? 1 : 2;
  const constrained = random() < 0.7;
  const slots: number[] = [];
  for (let s = 0; s < scanners; s++) {
    const step = [20, 30, 40][int(0, 2)]!;
    const count = int(8, 14);
    for (let i = 0; i < count; i++) slots.push(480 + s * 5 + i * step);
  }
  slots.sort((a, b) => a - b);
  const deliveries: Delivery[] = [{ id: 'morning', calibrationAt: 465 }];
  if (random() < 0.5) deliveries.push({ id: 'noon', calibrationAt: 720 });
  // Booking order as it came: patient i took slot i. Diabetic patients are moved first (the constraint), and
  // availability windows contain the slot the patient booked, so the booking order is always feasible.
  let patients: OrderPatient[] = slots.map((_, i) => {
    const weight = Math.min(125, Math.max(45, 75 + (random() + random() + random() - 1.5) * 30));
    return {
      id: `p${i}`,
      activityMBq: prescribedActivity(FDG_RULE, Math.round(weight)),
      diabetic: constrained && random() < 0.12,
      window: null,
    };
  });
  patients = [...patients.filter((p) => p.diabetic), ...patients.filter((p) => !p.diabetic)];
  if (constrained) {
    patients.forEach((p, i) => {
      if (!p.diabetic && random() < 0.2) {
        const t = slots[i]!;
        p.window = random() < 0.5 ? { from: slots[0]!, to: Math.max(t, 720) } : { from: Math.min(t, 780), to: 1200 };
      }
    });
  }
  return { slots, patients, deliveries, simple: scanners === 1 && deliveries.length === 1 && !constrained };
}

/** Exact minimum: rearrangement for simple days, otherwise the assignment as a 0/1 program solved by HiGHS. */
async function exactMinimum(day: FdgDay): Promise<{ value: number; kind: 'rearrangement' | 'milp' }> {
  const { slots, patients, deliveries } = day;
  if (day.simple) {
    const doses = patients.map((p) => p.activityMBq).sort((a, b) => b - a);
    const times = [...slots].sort((a, b) => a - b);
    const value = doses.reduce((s, a, i) => s + a * slotMultiplier(deliveries, times[i]!, T), 0);
    return { value, kind: 'rearrangement' };
  }
  const highs = await loadSolver();
  const cutoff = diabeticCutoff(patients, slots);
  const terms: string[] = [];
  const bins: string[] = [];
  const rows: string[] = [];
  const bySlot = new Map<number, string[]>();
  patients.forEach((p, i) => {
    const vars: string[] = [];
    slots.forEach((t, j) => {
      if (!allowed(p, t, cutoff)) return;
      const v = `x_${i}_${j}`;
      terms.push(`${(p.activityMBq * slotMultiplier(deliveries, t, T)).toFixed(9)} ${v}`);
      bins.push(v);
      vars.push(v);
      bySlot.set(j, [...(bySlot.get(j) ?? []), v]);
    });
    rows.push(` p${i}: ${vars.join(' + ')} = 1`);
  });
  for (const [j, vars] of bySlot) rows.push(` s${j}: ${vars.join(' + ')} <= 1`);
  const lp = `Minimize\n obj: ${terms.join(' + ')}\nSubject To\n${rows.join('\n')}\nBinary\n ${bins.join(' ')}\nEnd\n`;
  const solution = highs.solve(lp, { mip_rel_gap: 1e-9, output_flag: false } as never);
  if (solution.Status !== 'Optimal') throw new Error(`HiGHS: ${solution.Status}`);
  return { value: solution.ObjectiveValue, kind: 'milp' };
}

const started = performance.now();
const ratios: number[] = [];
const fifoRatios: number[] = [];
const optimiseMs: number[] = [];
let milpDays = 0;
let infeasible = 0;
for (let d = 0; d < DAYS; d++) {
  const day = generateDay();
  const t0 = performance.now();
  const best = optimiseOrder(day.patients, day.slots, day.deliveries, T);
  optimiseMs.push(performance.now() - t0);
  if (!best) {
    infeasible += 1;
    continue;
  }
  const minimum = await exactMinimum(day);
  if (minimum.kind === 'milp') milpDays += 1;
  const fifo = dosesAtCalibration(
    day.patients,
    day.patients.map((_, i) => i),
    day.slots,
    day.deliveries,
    T,
  );
  ratios.push(best.dosesMBq / minimum.value);
  fifoRatios.push(fifo / minimum.value);
}

// Fair share: a simulated department (4 gamma cameras, 2 PET-CT; 10 half-days a week, closures) per year and
// per equipment type, two sectors whose agreed share changes from year to year.
const SHARES = [0.5, 0.5, 0.5, 0.45, 0.55, 0.6, 0.4, 1 / 3];
let fairMax = 0;
let fairSlots = 0;
let fairConstrained = 0;
for (let y = 0; y < YEARS; y++) {
  for (const machines of [4, 2]) {
    const p = SHARES[int(0, SHARES.length - 1)]!;
    const slots: object[] = [];
    for (let day = 0; day < 52 * 5; day++) {
      for (let m = 0; m < machines; m++) {
        for (let half = 0; half < 2; half++) if (random() > 0.03) slots.push({});
      }
    }
    const result = allocateSessions(
      [
        { id: 'public', share: p },
        { id: 'private', share: 1 - p },
      ],
      {},
      slots,
    );
    fairMax = Math.max(fairMax, result.maxDeviation);
    fairSlots += slots.length;
    fairConstrained += result.constrained;
  }
}

const summary = {
  fdg_days: ratios.length,
  fdg_days_exact_by_rearrangement: ratios.length - milpDays,
  fdg_days_exact_by_milp: milpDays,
  fdg_days_infeasible: infeasible,
  fdg_ratio_max: r4(Math.max(...ratios)),
  fdg_ratio_mean: r4(mean(ratios)),
  fdg_ratio_fifo_mean: r4(mean(fifoRatios)),
  fdg_ratio_fifo_max: r4(Math.max(...fifoRatios)),
  fdg_optimise_ms_max: r4(Math.max(...optimiseMs)),
  fairshare_years: YEARS,
  fairshare_sessions: fairSlots,
  fairshare_constrained_slots: fairConstrained,
  fairshare_max_dev_sessions: r4(fairMax),
  fairshare_bound_sessions: fairShareBound(2),
  seed: SEED,
  elapsed_s: r4((performance.now() - started) / 1000),
};
console.log(JSON.stringify(summary));
