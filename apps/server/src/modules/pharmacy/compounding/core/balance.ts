import type { BalanceDriver, BalanceReading, SimulatedBalance, SimulatedBalanceOptions } from './types.ts';

export type { BalanceDriver, BalanceReading, SimulatedBalance } from './types.ts';

/** Mulberry32: a small seeded generator, so a demo or a test replays the same readings. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The demo balance: returns what was `place`d on it plus Gaussian noise (σ = `noiseG`, default 0.02 g, the order
 * of a 0.01 g isolator balance), rounded to 0.01 g like the display of such a balance. It stands in for a real
 * driver (serial, USB or network balance) behind the same `BalanceDriver` interface; never for production.
 */
export function createSimulatedBalance(options: SimulatedBalanceOptions = {}): SimulatedBalance {
  const random = mulberry32(options.seed ?? 20260101);
  const noiseG = options.noiseG ?? 0.02;
  let loadG = 0;
  let offsetPercent = 0;
  const gaussian = (): number => {
    // Box–Muller; 1 − u keeps log away from 0.
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    id: options.id ?? 'simulated-balance',
    place(massG: number, placeOptions: { offsetPercent?: number } = {}): void {
      if (!Number.isFinite(massG) || massG < 0) throw new RangeError('massG must be ≥ 0');
      loadG = massG;
      offsetPercent = placeOptions.offsetPercent ?? 0;
    },
    clear(): void {
      loadG = 0;
      offsetPercent = 0;
    },
    read(): Promise<BalanceReading> {
      const massG = Math.max(0, loadG * (1 + offsetPercent / 100) + gaussian() * noiseG);
      return Promise.resolve({ massG: Math.round(massG * 100) / 100, stable: true });
    },
  };
}

/** Type guard for services that accept any driver but can steer the simulated one in the demo. */
export function isSimulatedBalance(driver: BalanceDriver): driver is SimulatedBalance {
  return typeof (driver as Partial<SimulatedBalance>).place === 'function';
}
