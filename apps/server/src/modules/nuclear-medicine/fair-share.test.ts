import { describe, expect, it } from 'vitest';
import { allocateSessions, fairShareBound } from './fair-share.ts';

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

describe('fair share of sessions', () => {
  it('alternates 50/50 and never drifts more than half a session', () => {
    const r = allocateSessions(
      [
        { id: 'public', share: 50 },
        { id: 'private', share: 50 },
      ],
      {},
      Array.from({ length: 10 }, () => ({})),
    );
    expect(r.sectorIds).toEqual([
      'public',
      'private',
      'public',
      'private',
      'public',
      'private',
      'public',
      'private',
      'public',
      'private',
    ]);
    expect(r.maxDeviation).toBe(0.5);
    expect(r.bound).toBe(0.5);
  });

  it('two sectors, any share: |deviation| ≤ ½ over 2,000 random series', () => {
    const random = rng(42);
    let worst = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const p = Math.round(random() * 100) / 100;
      const shares = [
        { id: 'A', share: p },
        { id: 'B', share: 1 - p },
      ];
      if (p === 0 || p === 1) continue;
      const r = allocateSessions(
        shares,
        {},
        Array.from({ length: 1 + Math.floor(random() * 400) }, () => ({})),
      );
      if (r.constrained !== 0) throw new Error('no slot is constrained here');
      worst = Math.max(worst, r.maxDeviation);
    }
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(worst).toBeGreaterThan(0.4);
    expect(fairShareBound(2)).toBe(0.5);
  });

  it('brings a large inherited deviation back into the band, never making it worse', () => {
    const random = rng(3);
    for (let trial = 0; trial < 500; trial++) {
      const a = Math.floor(random() * 40);
      const b = Math.floor(random() * 40);
      const shares = [
        { id: 'A', share: 0.5 },
        { id: 'B', share: 0.5 },
      ];
      const initial = Math.abs(0.5 * (a + b) - a);
      const r = allocateSessions(
        shares,
        { A: a, B: b },
        Array.from({ length: 100 }, () => ({})),
      );
      expect(r.maxDeviation).toBeLessThanOrEqual(Math.max(0.5, initial) + 1e-9);
      expect(Math.abs(r.finalDeviation.A!)).toBeLessThanOrEqual(0.5 + 1e-9);
    }
  });

  it('k sectors: no sector ahead by more than 1 − 1/k nor behind by more than (k − 1)²/k', () => {
    const random = rng(5);
    for (let trial = 0; trial < 500; trial++) {
      const k = 2 + Math.floor(random() * 4);
      const shares = Array.from({ length: k }, (_, i) => ({ id: `s${i}`, share: 1 + Math.floor(random() * 9) }));
      const total = shares.reduce((s, x) => s + x.share, 0);
      const counts: Record<string, number> = {};
      const slots = Array.from({ length: 300 }, () => ({}));
      const r = allocateSessions(shares, {}, slots);
      let n = 0;
      let lead = 0;
      let lag = 0;
      for (const id of r.sectorIds) {
        counts[id!] = (counts[id!] ?? 0) + 1;
        n += 1;
        for (const s of shares) {
          const d = (s.share / total) * n - (counts[s.id] ?? 0);
          lead = Math.max(lead, -d);
          lag = Math.max(lag, d);
        }
      }
      expect(lead).toBeLessThanOrEqual(1 - 1 / k + 1e-9);
      expect(lag).toBeLessThanOrEqual(((k - 1) * (k - 1)) / k + 1e-9);
      expect(r.maxDeviation).toBeLessThanOrEqual(r.bound + 1e-9);
    }
  });

  it('counts sessions planned by hand and reports when a slot could not follow the rule', () => {
    const shares = [
      { id: 'A', share: 1 },
      { id: 'B', share: 1 },
    ];
    const r = allocateSessions(shares, {}, [{ fixedSectorId: 'B' }, { candidates: ['B'] }, {}]);
    expect(r.sectorIds).toEqual(['B', 'B', 'A']);
    expect(r.constrained).toBe(2);
  });
});
