/**
 * Fair share of sessions ("vacations") between sectors, pure.
 *
 * Sessions are unit, indivisible half-days handed out one at a time in chronological order. For a sector s
 * with agreed share p_s (Σ p_s = 1) and c_s sessions after n sessions in all, its deviation is
 * D_s = p_s·n − c_s (positive: behind, owed sessions; negative: ahead). Σ_s D_s = 0 at every n.
 *
 * Rule ("most behind goes next", the sequential quota method): the next session goes to the sector with the
 * largest p_s·(n+1) − c_s = D_s + p_s; ties go to the sector listed first.
 *
 * Bound, k sectors. Σ_s (D_s + p_s) = 1, so the chosen sector has D_s* + p_s* ≥ 1/k, and after the session its
 * deviation is D_s* + p_s* − 1 ≥ 1/k − 1; every other sector's deviation grows by p_s ≥ 0. Hence no sector ever
 * gets ahead by more than A = max(1 − 1/k, a₀), a₀ being the largest lead at the start, and since deviations sum
 * to zero no sector falls behind by more than (k − 1)·A.
 *
 * Two sectors, shares p and 1 − p, d = D_B = −D_A (how far A is ahead). A gets the session iff d ≤ p − ½. If
 * |d| ≤ ½: A chosen → d' = d + 1 − p ≤ p − ½ + 1 − p = ½ and d' ≥ −½ + 1 − p ≥ −½; B chosen → d > p − ½ and
 * d' = d − p > −½, d' ≤ ½ − p ≤ ½. So **|d| ≤ ½ session for ever** once it holds, which it does from an
 * empty history; from a larger deviation every session moves it towards the band by min(p, 1 − p) at least,
 * and it never grows. This is what fair-share.test.ts checks over many random sequences and shares.
 *
 * The bound holds when every sector can take every session. When the sector the rule names has no physician
 * available for a slot, the next in the rule's order takes it and the proposal says the bound is not
 * guaranteed (`constrained` slots).
 */

export interface SectorShare {
  id: string;
  share: number;
}

export interface FairShareSlot {
  /** Sectors that can take this slot (a physician of theirs is available); all when undefined. */
  candidates?: readonly string[];
  /** An already planned session: counted, not chosen. */
  fixedSectorId?: string;
}

export interface FairShareResult {
  /** The sector of each slot, in order (null when no candidate could take it). */
  sectorIds: (string | null)[];
  /** Largest |D_s| over the whole series (history included), in sessions. */
  maxDeviation: number;
  /** Deviation of each sector after the last slot. */
  finalDeviation: Record<string, number>;
  /** Slots where the rule's choice could not take the session. */
  constrained: number;
  /** The proven bound when nothing was constrained (see above). */
  bound: number;
}

/** Normalised shares: weights may be given as 50/50 or 0.5/0.5. */
export function normaliseShares(shares: readonly SectorShare[]): SectorShare[] {
  const total = shares.reduce((s, x) => s + x.share, 0);
  if (!(total > 0) || shares.some((s) => s.share < 0))
    throw new RangeError('Shares must be non-negative, not all zero');
  return shares.map((s) => ({ id: s.id, share: s.share / total }));
}

/** The proven bound on any sector's deviation for k sectors starting with the largest lead `initialLead`. */
export function fairShareBound(k: number, initialLead = 0): number {
  if (k <= 1) return 0;
  const ahead = Math.max(1 - 1 / k, initialLead);
  return Math.max(ahead, (k - 1) * ahead);
}

/**
 * A running allocation: the proposal asks for the next session's sector one slot at a time, because which
 * sectors can take a slot (a physician free that half-day) depends on the sessions already handed out.
 */
export class SessionAllocator {
  private readonly shares: SectorShare[];
  private readonly counts: Map<string, number>;
  private n: number;
  private max: number;
  private readonly initialLead: number;
  constrained = 0;

  constructor(sharesIn: readonly SectorShare[], history: Readonly<Record<string, number>> = {}) {
    this.shares = normaliseShares(sharesIn);
    this.counts = new Map(this.shares.map((s) => [s.id, history[s.id] ?? 0]));
    this.n = [...this.counts.values()].reduce((a, b) => a + b, 0);
    this.initialLead = Math.max(0, ...this.shares.map((s) => -this.deviation(s.id)));
    this.max = Math.max(0, ...this.shares.map((s) => Math.abs(this.deviation(s.id))));
  }

  /** D_s = p_s·n − c_s: sessions owed to the sector (negative when ahead). */
  deviation(sectorId: string): number {
    const s = this.shares.find((x) => x.id === sectorId);
    return s ? s.share * this.n - (this.counts.get(sectorId) ?? 0) : 0;
  }

  /** Sectors in the rule's order for the next session: largest p_s·(n+1) − c_s first, ties by listing order. */
  ranking(): string[] {
    return this.shares
      .map((s, index) => ({ id: s.id, index, priority: s.share * (this.n + 1) - this.counts.get(s.id)! }))
      .sort((a, b) => b.priority - a.priority || a.index - b.index)
      .map((r) => r.id);
  }

  /** Chooses the next session's sector among `candidates` (all when undefined) and counts it. */
  next(candidates?: readonly string[]): string | null {
    const ranked = this.ranking();
    const pick = ranked.find((id) => !candidates || candidates.includes(id)) ?? null;
    if (pick !== ranked[0]) this.constrained += 1;
    if (pick !== null) this.count(pick);
    return pick;
  }

  /** Counts a session planned by hand; when it is not the rule's choice the bound is no longer guaranteed. */
  fixed(sectorId: string): void {
    if (sectorId !== this.ranking()[0]) this.constrained += 1;
    this.count(sectorId);
  }

  private count(sectorId: string): void {
    if (this.counts.has(sectorId)) this.counts.set(sectorId, this.counts.get(sectorId)! + 1);
    this.n += 1;
    for (const s of this.shares) this.max = Math.max(this.max, Math.abs(this.deviation(s.id)));
  }

  result(): Omit<FairShareResult, 'sectorIds'> {
    return {
      maxDeviation: this.max,
      finalDeviation: Object.fromEntries(this.shares.map((s) => [s.id, this.deviation(s.id)])),
      constrained: this.constrained,
      bound: fairShareBound(this.shares.length, this.initialLead),
    };
  }
}

/**
 * Hands out `slots` in order after a history of `history[sectorId]` sessions (counted since the agreement
 * started), following the rule above.
 */
export function allocateSessions(
  shares: readonly SectorShare[],
  history: Readonly<Record<string, number>>,
  slots: readonly FairShareSlot[],
): FairShareResult {
  const allocator = new SessionAllocator(shares, history);
  const sectorIds: (string | null)[] = [];
  for (const slot of slots) {
    if (slot.fixedSectorId !== undefined) {
      allocator.fixed(slot.fixedSectorId);
      sectorIds.push(slot.fixedSectorId);
    } else {
      sectorIds.push(allocator.next(slot.candidates));
    }
  }
  return { sectorIds, ...allocator.result() };
}
