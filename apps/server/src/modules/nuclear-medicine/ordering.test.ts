import { describe, expect, it } from 'vitest';
import { minCostAssignment } from './assignment.ts';
import { HALF_LIFE_MIN } from './decay.ts';
import { computeOrder, dosesAtCalibration, optimiseOrder, type OrderPatient } from './ordering.ts';

const T = HALF_LIFE_MIN.F18;

/** Every permutation of 0…n−1 (small n only). */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

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

describe('computeOrder', () => {
  it('decay-corrects each dose to its delivery, hand-computed', () => {
    // Delivery at 07:00 (420). Doses: 300 MBq at 07:30 → 300 × 2^(30/109.77) = 300 × 1.208636 = 362.59;
    // 200 MBq at 08:45 → 200 × 2^(105/109.77) = 200 × 1.941527 = 388.31. Σ = 750.90; +10 % = 825.99.
    const { orders, totalMBq } = computeOrder(
      [
        { id: 'a', activityMBq: 300, injectionAt: 450 },
        { id: 'b', activityMBq: 200, injectionAt: 525 },
      ],
      [{ id: 'd1', calibrationAt: 420 }],
      { halfLifeMin: T, margin: 0.1 },
    );
    expect(orders[0]!.dosesMBq).toBeCloseTo(750.9, 0);
    expect(totalMBq).toBeCloseTo(826.0, 0);
  });

  it('draws each dose from the latest delivery calibrated before it', () => {
    const { orders } = computeOrder(
      [
        { id: 'a', activityMBq: 300, injectionAt: 450 },
        { id: 'b', activityMBq: 300, injectionAt: 700 },
      ],
      [
        { id: 'morning', calibrationAt: 420 },
        { id: 'noon', calibrationAt: 690 },
      ],
      { halfLifeMin: T, margin: 0 },
    );
    expect(orders.map((o) => o.doseIds)).toEqual([['a'], ['b']]);
    // 300 × 2^(10/109.77) = 300 × 1.065187 = 319.56
    expect(orders[1]!.dosesMBq).toBeCloseTo(319.56, 1);
  });

  it('refuses an injection before every calibration: DELIVERY_AFTER_INJECTION', () => {
    expect(() =>
      computeOrder([{ id: 'a', activityMBq: 300, injectionAt: 400 }], [{ id: 'd', calibrationAt: 420 }], {
        halfLifeMin: T,
        margin: 0,
      }),
    ).toThrow(expect.objectContaining({ code: 'DELIVERY_AFTER_INJECTION' }));
  });
});

describe('minCostAssignment', () => {
  it('matches brute force on random matrices, with forbidden pairs', () => {
    const random = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 6);
      const m = n + Math.floor(random() * 2);
      const cost = Array.from({ length: n }, () =>
        Array.from({ length: m }, () => (random() < 0.15 ? Infinity : Math.round(random() * 1000) / 10)),
      );
      let best = Infinity;
      for (const perm of permutations(m)) {
        const total = cost.reduce((s, row, i) => s + row[perm[i]!]!, 0);
        best = Math.min(best, total);
      }
      const result = minCostAssignment(cost);
      if (!Number.isFinite(best)) expect(result).toBeNull();
      else expect(result!.total).toBeCloseTo(best, 9);
    }
  });
});

describe('optimiseOrder', () => {
  it('with one delivery and no constraint, injects the largest dose first (rearrangement)', () => {
    const patients: OrderPatient[] = [150, 400, 250, 320].map((a, i) => ({
      id: `p${i}`,
      activityMBq: a,
      diabetic: false,
    }));
    const slots = [480, 540, 600, 660];
    const result = optimiseOrder(patients, slots, [{ id: 'd', calibrationAt: 450 }], T)!;
    const order = patients.map((p, i) => [slots[result.slotOf[i]!]!, p.activityMBq]).sort((a, b) => a[0]! - b[0]!);
    expect(order.map((o) => o[1])).toEqual([400, 320, 250, 150]);
  });

  it('puts diabetic patients in the first slots and respects availability windows, optimal among allowed orders', () => {
    const random = rng(11);
    for (let trial = 0; trial < 100; trial++) {
      const n = 3 + Math.floor(random() * 4);
      const slots = Array.from({ length: n }, (_, i) => 480 + i * 30);
      const patients: OrderPatient[] = slots.map((_, i) => ({
        id: `p${i}`,
        activityMBq: 150 + Math.round(random() * 250),
        diabetic: random() < 0.25,
        window: random() < 0.3 ? { from: 480 + Math.floor(random() * n) * 30, to: 480 + (n - 1) * 30 } : null,
      }));
      const deliveries = [{ id: 'd', calibrationAt: 470 }];
      const diabetics = patients.filter((p) => p.diabetic).length;
      let best = Infinity;
      for (const perm of permutations(n)) {
        const ok = patients.every((p, i) => {
          const t = slots[perm[i]!]!;
          if (p.window && (t < p.window.from || t > p.window.to)) return false;
          return !p.diabetic || perm[i]! < diabetics;
        });
        if (ok) best = Math.min(best, dosesAtCalibration(patients, perm, slots, deliveries, T));
      }
      const result = optimiseOrder(patients, slots, deliveries, T);
      if (!Number.isFinite(best)) {
        expect(result).toBeNull();
        continue;
      }
      expect(result!.dosesMBq).toBeCloseTo(best, 6);
      patients.forEach((p, i) => {
        if (p.diabetic) expect(result!.slotOf[i]!).toBeLessThan(diabetics);
      });
    }
  });
});
