import type {
  BeyondUse,
  OpenReliquat,
  PlanContainer,
  PlanDraw,
  PlanInput,
  PlanLeftover,
  PlanPresentation,
  PlanReconstitution,
  PlanResult,
  PlanStabilityRule,
  PreparationPlan,
} from './types.ts';
import type { Container, Presentation, StabilityEntry } from '../../referential-data/index.ts';

const EPS = 1e-9;
const HOUR_MS = 3_600_000;
/** Real presentations come in two to four strengths; the exact search stays far below this. */
const SEARCH_LIMIT = 500_000;

const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f + 0;
};

/** End of the expiry day (an expiry "YYYY-MM-DD" on a pack means usable through that day). */
function endOfExpiryDay(isoDate: string): Date {
  return new Date(`${isoDate}T23:59:59.999Z`);
}

interface Candidate {
  presentation: PlanPresentation;
  /** Unexpired lots, first expiring first (FEFO); null = stock not tracked, any lot scanned at compounding. */
  lots: { lot: string; expiry: string; quantity: number }[] | null;
  maxCount: number;
}

interface Choice {
  counts: number[];
  overage: number;
  cost: number;
  vials: number;
}

/**
 * Exact search of the vial counts covering `amount` with the least overage (drug opened beyond the need), then
 * the lowest cost, then the fewest vials. Depth-first enumeration over the presentations: each count is
 * bounded by what covers the amount alone (and by the stock), so the optimum is inside the search space.
 */
function chooseVials(amount: number, candidates: Candidate[]): Choice | null {
  let best: Choice | null = null;
  let explored = 0;
  const counts = new Array<number>(candidates.length).fill(0);
  const better = (c: Omit<Choice, 'counts'>): boolean => {
    if (!best) return true;
    if (c.overage < best.overage - EPS) return true;
    if (c.overage > best.overage + EPS) return false;
    if (c.cost < best.cost - EPS) return true;
    if (c.cost > best.cost + EPS) return false;
    return c.vials < best.vials;
  };
  const search = (index: number, covered: number, cost: number, vials: number): void => {
    if (explored++ > SEARCH_LIMIT) return;
    if (covered >= amount - EPS) {
      const candidate = { overage: covered - amount, cost, vials };
      if (better(candidate)) best = { ...candidate, counts: [...counts] };
      return;
    }
    if (index === candidates.length) return;
    const { presentation, maxCount } = candidates[index]!;
    for (let n = 0; n <= maxCount; n++) {
      counts[index] = n;
      search(index + 1, covered + n * presentation.strength, cost + n * presentation.unitPriceEur, vials + n);
      if (covered + n * presentation.strength >= amount - EPS) break;
    }
    counts[index] = 0;
  };
  search(0, 0, 0, 0);
  return best;
}

function containerMatches(rule: PlanStabilityRule, container: PlanContainer): boolean {
  // A rule for non-PVC bags is only used when the bag is known to be non-PVC, which the container data do not
  // say: stay on the rules for the container kind itself.
  return rule.container === container.kind;
}

/**
 * The storage giving the longest stability among the applicable rules; refrigerated storage wins a tie (it is
 * the safer default). Returns the rule, or null when none applies.
 */
function longestRule(rules: PlanStabilityRule[]): PlanStabilityRule | null {
  let best: PlanStabilityRule | null = null;
  for (const rule of rules) {
    if (
      !best ||
      rule.durationHours > best.durationHours ||
      (rule.durationHours === best.durationHours && rule.temperatureC.max < best.temperatureC.max)
    ) {
      best = rule;
    }
  }
  return best;
}

/**
 * The fabrication plan of one preparation: which reliquats and new vials to draw from (reliquats still within
 * their stability first, the one expiring first first; then the new vials minimising waste, then cost, lots first
 * expiring first), the volumes to draw, the reconstitutions, the container and diluent, the final volume, the
 * expected mass of the finished product, the beyond-use date and the leftovers to keep as new reliquats.
 *
 * Beyond-use date = the earliest of: the after-dilution stability of the chosen storage (drug, diluent,
 * container, concentration range; domain reference §2.3), the expiry of each reliquat used and of each lot
 * planned. When no stability entry matches, `defaultLimit` applies (SmPC microbiological limit, 24 h at 2–8 °C)
 * with a warning.
 */
export function planPreparation(input: PlanInput): PlanResult {
  const { dose, now, container } = input;
  if (!(dose > 0) || !Number.isFinite(dose)) {
    return { ok: false, code: 'PLAN_INVALID_DOSE', message: 'dose must be a positive number' };
  }
  const presentations = input.presentations.filter((p) => p.strength > 0 && p.concentrationPerMl > 0);
  if (presentations.length === 0) {
    return { ok: false, code: 'PLAN_NO_PRESENTATION', message: 'no presentation of the drug is available' };
  }
  if (
    container.kind === 'bag' &&
    container.diluentId !== null &&
    input.diluentId !== null &&
    container.diluentId !== input.diluentId
  ) {
    // Oxaliplatin degrades in chloride solutions: never put a drug in a bag of another solution than prescribed.
    return {
      ok: false,
      code: 'PLAN_DILUENT_MISMATCH',
      message: `the bag holds ${container.diluentId}, the prescription asks for ${input.diluentId}`,
    };
  }
  const byId = new Map(presentations.map((p) => [p.id, p]));
  const warnings = new Set<PreparationPlan['warnings'][number]>();
  const draws: PlanDraw[] = [];
  const expiryLimits: { at: Date; kind: 'reliquat' | 'lot'; ref: string; what: string }[] = [];

  // 1. Reliquats within stability, first expiring first.
  const minRemainingMs = (input.reliquatMinimumRemainingHours ?? 0) * HOUR_MS;
  const reliquats = input.reliquats
    .filter(
      (r: OpenReliquat) =>
        byId.has(r.presentationId) &&
        r.remainingVolumeMl > EPS &&
        r.concentrationPerMl > 0 &&
        r.expiresAt.getTime() > now.getTime() + minRemainingMs,
    )
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || a.id.localeCompare(b.id));
  let remaining = dose;
  for (const r of reliquats) {
    if (remaining <= EPS) break;
    const available = r.remainingVolumeMl * r.concentrationPerMl;
    const amount = Math.min(available, remaining);
    remaining -= amount;
    draws.push({
      source: 'reliquat',
      reliquatId: r.id,
      presentationId: r.presentationId,
      lot: r.lot,
      vialCount: 1,
      volumeMl: round(amount / r.concentrationPerMl, 2),
      amount: round(amount, 4),
      concentrationPerMl: r.concentrationPerMl,
    });
    expiryLimits.push({ at: r.expiresAt, kind: 'reliquat', ref: r.lot, what: `reliquat ${r.lot}` });
  }

  // 2. New vials for what remains.
  const today = now.toISOString().slice(0, 10);
  const candidates: Candidate[] = [...presentations]
    .sort((a, b) => b.strength - a.strength || a.id.localeCompare(b.id))
    .map((presentation) => {
      const bound = remaining > EPS ? Math.ceil(remaining / presentation.strength - EPS) : 0;
      if (!presentation.lots || presentation.lots.length === 0) {
        return { presentation, lots: null, maxCount: bound };
      }
      const lots = presentation.lots
        .filter((l) => l.quantity > 0 && l.expiry >= today)
        .sort((a, b) => a.expiry.localeCompare(b.expiry) || a.lot.localeCompare(b.lot));
      const stock = lots.reduce((sum, l) => sum + l.quantity, 0);
      return { presentation, lots, maxCount: Math.min(bound, stock) };
    });
  const vials: PreparationPlan['vials'] = [];
  const reconstitutions: PlanReconstitution[] = [];
  const leftovers: PlanLeftover[] = [];
  let overage = 0;
  let cost = 0;
  if (remaining > EPS) {
    const choice = chooseVials(remaining, candidates);
    if (!choice) {
      return {
        ok: false,
        code: 'PLAN_INSUFFICIENT_STOCK',
        message: 'the unexpired stock does not cover the dose',
      };
    }
    overage = choice.overage;
    cost = choice.cost;
    // Full vials first (largest first); the last vial opened is drawn partially and may become a reliquat.
    const opened: { candidate: Candidate; lot: string | null; lotExpiry: string | null }[] = [];
    candidates.forEach((candidate, i) => {
      const count = choice.counts[i]!;
      if (count === 0) return;
      const p = candidate.presentation;
      vials.push({ presentationId: p.id, count, unitPriceEur: p.unitPriceEur });
      if (p.form === 'powder' && p.reconstitution) {
        reconstitutions.push({
          presentationId: p.id,
          vialCount: count,
          diluentId: p.reconstitution.diluentId,
          volumeMlPerVial: p.reconstitution.volumeMl,
        });
      }
      let left = count;
      for (const lot of candidate.lots ?? []) {
        const take = Math.min(left, lot.quantity);
        for (let k = 0; k < take; k++) opened.push({ candidate, lot: lot.lot, lotExpiry: lot.expiry });
        left -= take;
        if (left === 0) break;
      }
      for (let k = 0; k < left; k++) opened.push({ candidate, lot: null, lotExpiry: null });
    });
    // Group consecutive vials of the same presentation and lot into one draw.
    let need = remaining;
    const grouped = new Map<string, PlanDraw>();
    opened.forEach(({ candidate, lot, lotExpiry }, index) => {
      const p = candidate.presentation;
      const amount = Math.min(p.strength, need);
      need -= amount;
      const isPartial = amount < p.strength - EPS;
      const key = `${p.id}|${lot ?? ''}|${isPartial ? index : 'full'}`;
      const existing = grouped.get(key);
      if (existing) {
        existing.vialCount += 1;
        existing.amount += amount;
      } else {
        const draw: PlanDraw = {
          source: 'new_vial',
          reliquatId: null,
          presentationId: p.id,
          lot,
          vialCount: 1,
          volumeMl: 0,
          amount,
          concentrationPerMl: p.concentrationPerMl,
        };
        grouped.set(key, draw);
        draws.push(draw);
      }
      if (lotExpiry && lot) {
        expiryLimits.push({ at: endOfExpiryDay(lotExpiry), kind: 'lot', ref: lot, what: `lot ${lot} expiry` });
      }
      if (isPartial) {
        const leftoverVolume = p.volumeMl - amount / p.concentrationPerMl;
        const inUse = longestRule(
          input.stability.filter(
            (r) =>
              r.phase === 'after_reconstitution' &&
              r.container === 'vial' &&
              (r.diluentId === null || r.diluentId === (p.reconstitution?.diluentId ?? null)) &&
              (r.concentrationPerMl === null ||
                (p.concentrationPerMl >= r.concentrationPerMl.min - EPS &&
                  p.concentrationPerMl <= r.concentrationPerMl.max + EPS)),
          ),
        );
        let expiresAt: Date | null = null;
        let basis = 'no in-use stability data for the opened vial: discard';
        if (inUse) {
          expiresAt = new Date(now.getTime() + inUse.durationHours * HOUR_MS);
          basis = `${inUse.id}: ${inUse.durationHours} h at ${inUse.temperatureC.min}–${inUse.temperatureC.max} °C`;
          if (lotExpiry && endOfExpiryDay(lotExpiry) < expiresAt) {
            expiresAt = endOfExpiryDay(lotExpiry);
            basis = `lot ${lot} expiry`;
          }
        }
        leftovers.push({
          presentationId: p.id,
          lot,
          remainingVolumeMl: round(leftoverVolume, 2),
          concentrationPerMl: p.concentrationPerMl,
          expiresAt,
          basis,
        });
      }
    });
    for (const draw of draws) {
      if (draw.source === 'new_vial') {
        draw.volumeMl = round(draw.amount / draw.concentrationPerMl, 2);
        draw.amount = round(draw.amount, 4);
      }
    }
  }
  const wasteAmount = leftovers
    .filter((l) => l.expiresAt === null)
    .reduce((sum, l) => sum + l.remainingVolumeMl * l.concentrationPerMl, 0);

  // 3. Volumes and masses.
  const drugVolumeMl = round(
    draws.reduce((sum, d) => sum + d.volumeMl, 0),
    2,
  );
  const prefilled = container.kind === 'bag' && container.diluentId !== null;
  let finalVolumeMl: number;
  let diluentAdjustmentMl: number;
  if (prefilled) {
    finalVolumeMl = input.finalVolumeMl ?? round(container.nominalVolumeMl + drugVolumeMl, 2);
    // Negative: withdraw that much solution from the bag before adding the drug.
    diluentAdjustmentMl = round(finalVolumeMl - container.nominalVolumeMl - drugVolumeMl, 2);
    if (container.nominalVolumeMl + diluentAdjustmentMl < -EPS) {
      return {
        ok: false,
        code: 'PLAN_VOLUME_EXCEEDS_CONTAINER',
        message: 'the drug volume exceeds the final volume asked',
      };
    }
  } else {
    // An elastomeric pump is filled to its nominal volume: its flow rate times the infusion time is that volume.
    const defaultFinal =
      container.kind === 'elastomeric_pump' && input.diluentId !== null ? container.nominalVolumeMl : drugVolumeMl;
    finalVolumeMl = input.finalVolumeMl ?? defaultFinal;
    diluentAdjustmentMl = input.diluentId === null ? 0 : round(finalVolumeMl - drugVolumeMl, 2);
    if (finalVolumeMl < drugVolumeMl - EPS || finalVolumeMl > container.nominalVolumeMl + EPS) {
      return {
        ok: false,
        code: 'PLAN_VOLUME_EXCEEDS_CONTAINER',
        message: `the final volume does not fit a ${container.nominalVolumeMl} mL container`,
      };
    }
  }
  const finalConcentrationPerMl = round(dose / finalVolumeMl, 4);
  const diluentVolumeMl = Math.max(0, finalVolumeMl - drugVolumeMl);
  let drugMass = 0;
  for (const d of draws) {
    const density = byId.get(d.presentationId)?.densityGPerMl ?? null;
    if (density === null) warnings.add('DENSITY_ASSUMED');
    drugMass += d.volumeMl * (density ?? 1);
  }
  const diluentDensity = input.diluentDensityGPerMl ?? null;
  if (diluentVolumeMl > EPS && diluentDensity === null) warnings.add('DENSITY_ASSUMED');
  const expectedFinishedMassG = round(container.tareMassG + drugMass + diluentVolumeMl * (diluentDensity ?? 1), 2);

  // 4. Beyond-use date.
  const phase = input.diluentId !== null || prefilled ? 'after_dilution' : 'after_reconstitution';
  const matching = input.stability.filter(
    (r) =>
      r.phase === phase &&
      containerMatches(r, container) &&
      (r.diluentId === null || r.diluentId === (input.diluentId ?? container.diluentId)),
  );
  const inRange = matching.filter(
    (r) =>
      r.concentrationPerMl === null ||
      (finalConcentrationPerMl >= r.concentrationPerMl.min - EPS &&
        finalConcentrationPerMl <= r.concentrationPerMl.max + EPS),
  );
  if (matching.length > 0 && inRange.length === 0) warnings.add('CONCENTRATION_OUTSIDE_STABILITY_DATA');
  const rule = longestRule(inRange);
  let beyondUse: BeyondUse;
  if (rule) {
    beyondUse = {
      expiresAt: new Date(now.getTime() + rule.durationHours * HOUR_MS),
      temperatureC: rule.temperatureC,
      lightProtection: rule.lightProtection,
      limitKind: 'stability',
      limitRef: rule.id,
      limitedBy: `stability ${rule.id}`,
      source: rule.source,
    };
  } else {
    warnings.add('DEFAULT_STABILITY_LIMIT');
    beyondUse = {
      expiresAt: new Date(now.getTime() + input.defaultLimit.durationHours * HOUR_MS),
      temperatureC: input.defaultLimit.temperatureC,
      lightProtection: false,
      limitKind: 'default',
      limitRef: null,
      limitedBy: 'default limit',
      source: input.defaultLimit.source,
    };
  }
  for (const limit of expiryLimits) {
    if (limit.at < beyondUse.expiresAt) {
      beyondUse = {
        ...beyondUse,
        expiresAt: limit.at,
        limitKind: limit.kind,
        limitRef: limit.ref,
        limitedBy: limit.what,
      };
    }
  }

  return {
    ok: true,
    plan: {
      moleculeId: input.moleculeId,
      dose,
      doseUnit: input.doseUnit,
      draws,
      vials,
      reconstitutions,
      drugVolumeMl,
      container,
      diluentId: input.diluentId ?? container.diluentId,
      diluentAdjustmentMl,
      finalVolumeMl,
      finalConcentrationPerMl,
      expectedFinishedMassG,
      overageAmount: round(overage, 4),
      wasteAmount: round(wasteAmount, 4),
      costEur: round(cost, 2),
      leftovers,
      beyondUse,
      warnings: [...warnings],
    },
  };
}

/** A referential presentation as the planner takes it (lots: the unexpired stock, FEFO, when tracked). */
export function planPresentationFrom(
  p: Presentation,
  lots?: { lot: string; expiry: string; quantity: number }[],
): PlanPresentation {
  return {
    id: p.id,
    label: p.label,
    strength: p.strength,
    concentrationPerMl: p.concentrationPerMl,
    volumeMl: p.volumeMl,
    form: p.form,
    reconstitution: p.reconstitution,
    unitPriceEur: p.indicativeUnitPriceEur,
    densityGPerMl: p.densityGPerMl,
    ...(lots ? { lots } : {}),
  };
}

/** A referential container as the planner takes it, with its French label. */
export function planContainerFrom(c: Container): PlanContainer {
  return {
    id: c.id,
    kind: c.kind,
    label: c.label.fr,
    diluentId: c.diluentId,
    nominalVolumeMl: c.nominalVolumeMl,
    tareMassG: c.tareMassG,
  };
}

/** The referential's stability entries of one molecule, as planner rules. */
export function planStabilityFrom(entries: readonly StabilityEntry[], moleculeId: string): PlanStabilityRule[] {
  return entries
    .filter((e) => e.moleculeId === moleculeId)
    .map((e) => ({
      id: e.id,
      phase: e.phase,
      diluentId: e.diluentId,
      concentrationPerMl: e.concentrationPerMl,
      container: e.container,
      temperatureC: e.temperatureC,
      lightProtection: e.lightProtection,
      durationHours: e.durationHours,
      source: e.source,
    }));
}
