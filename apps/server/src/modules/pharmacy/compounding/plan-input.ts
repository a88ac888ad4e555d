import { parisDate } from '../../../core/clock.ts';
import type { Executor } from '../../../core/db/index.ts';
import { AppError } from '../../../core/errors.ts';
import type { PlanInput, PlanStabilityRule, PreparationPlan } from './core/index.ts';
import { planPreparation } from './core/index.ts';
import * as repo from './compounding.repository.ts';

/**
 * When no stability rule of the referential applies: the SmPC microbiological limit without validated aseptic
 * conditions, 24 h at 2–8 °C (REFERENCE §2.3).
 */
export const DEFAULT_STABILITY_LIMIT = {
  durationHours: 24,
  temperatureC: { min: 2, max: 8 },
  source: 'SmPC: at most 24 h at 2–8 °C without validated aseptic conditions (REFERENCE §2.3)',
} as const;

/** The plan and what a sheet prints beside it (stored together at start). */
export interface PlanWithLabels {
  plan: PreparationPlan;
  presentationLabels: Record<string, string>;
  /** GTIN-14 of each presentation ('0' + CIP13), what the vial's DataMatrix carries in AI 01. */
  presentationGtins: Record<string, string>;
  diluentLabels: Record<string, string>;
}

const STABILITY_CONTAINERS = ['vial', 'bag', 'non_pvc_bag', 'syringe', 'elastomeric_pump'] as const;

/**
 * Gathers what the fabrication plan needs for one preparation — the molecule's presentations with the lots in
 * stock, the open reliquats, the container the regimen line asks for, stability rules and diluent densities —
 * and computes it with the pure planner. Plan failures keep their codes (PLAN_NO_PRESENTATION…).
 */
export async function computePlan(
  db: Executor,
  scope: repo.ProductionScope,
  prep: repo.PreparationRow,
  now: Date,
): Promise<PlanWithLabels> {
  const presentations = await repo.listPresentations(db, scope.cooperationId, prep.molecule_id, prep.dose_unit);
  const ids = presentations.map((p) => p.id);
  const [lots, reliquats, containers, stability, diluents] = await Promise.all([
    repo.listLotsInStock(db, scope, ids, parisDate(now)),
    repo.listOpenReliquats(db, scope, ids),
    repo.listContainers(db, scope.cooperationId, prep.container_kind),
    repo.listStability(db, scope.cooperationId, prep.molecule_id),
    repo.listDiluents(db, scope.cooperationId),
  ]);
  const lineVolume = prep.line_volume_ml === null ? null : Number(prep.line_volume_ml);
  // The container the line describes: same diluent, the nominal volume asked (else the smallest that holds it).
  const candidates = containers.filter((c) => !prep.line_diluent || !c.diluent || c.diluent === prep.line_diluent);
  // Without a volume on the line (an undiluted syringe or pump), the smallest container holding the drug volume.
  const maxConcentration = Math.max(0, ...presentations.map((p) => Number(p.concentration_per_ml)));
  const needed = lineVolume ?? (maxConcentration > 0 ? Number(prep.dose) / maxConcentration : 0);
  const container =
    candidates.find((c) => lineVolume !== null && Number(c.nominal_volume_ml) === lineVolume) ??
    candidates.find((c) => Number(c.nominal_volume_ml) >= needed) ??
    candidates[candidates.length - 1] ??
    containers[0];
  if (!container) {
    throw new AppError('PLAN_NO_PRESENTATION', `No active ${prep.container_kind} in the referential for this line`);
  }
  const diluentId = prep.line_diluent ?? container.diluent;
  const diluent = diluents.find((d) => d.code === diluentId);
  const input: PlanInput = {
    moleculeId: prep.molecule_id,
    dose: Number(prep.dose),
    doseUnit: prep.dose_unit,
    presentations: presentations.map((p) => ({
      id: p.id,
      label: p.label,
      strength: Number(p.strength),
      concentrationPerMl: Number(p.concentration_per_ml),
      volumeMl: Number(p.volume_ml),
      form: p.form,
      reconstitution:
        p.form === 'powder' && p.reconstitution_volume_ml !== null
          ? {
              diluentId: p.reconstitution_diluent ?? 'water_for_injection',
              volumeMl: Number(p.reconstitution_volume_ml),
            }
          : null,
      unitPriceEur: Number(p.unit_price_eur),
      densityGPerMl: p.density_g_per_ml === null ? null : Number(p.density_g_per_ml),
      lots: lots
        .filter((l) => l.presentation_id === p.id)
        .map((l) => ({ lot: l.lot, expiry: l.expiry, quantity: l.quantity })),
    })),
    reliquats: reliquats.map((r) => ({
      id: r.id,
      presentationId: r.presentation_id,
      lot: r.lot,
      remainingVolumeMl: Number(r.remaining_volume_ml),
      concentrationPerMl: Number(r.concentration_per_ml),
      openedAt: new Date(r.opened_at),
      expiresAt: new Date(r.expires_at),
    })),
    container: {
      id: container.id,
      kind: container.kind,
      label: container.label_fr,
      diluentId: container.diluent,
      nominalVolumeMl: Number(container.nominal_volume_ml),
      tareMassG: Number(container.tare_mass_g),
    },
    diluentId,
    diluentDensityGPerMl: diluent?.density_g_per_ml === null || !diluent ? null : Number(diluent.density_g_per_ml),
    finalVolumeMl: lineVolume,
    stability: stability.map((s): PlanStabilityRule => ({
      id: s.id,
      phase: s.phase,
      diluentId: s.diluent,
      concentrationPerMl:
        s.concentration_min !== null || s.concentration_max !== null
          ? {
              min: s.concentration_min === null ? 0 : Number(s.concentration_min),
              max: s.concentration_max === null ? Number.MAX_VALUE : Number(s.concentration_max),
            }
          : null,
      container: (STABILITY_CONTAINERS as readonly string[]).includes(s.container)
        ? (s.container as PlanStabilityRule['container'])
        : 'bag',
      temperatureC: { min: Number(s.temperature_min_c), max: Number(s.temperature_max_c) },
      lightProtection: s.light_protection,
      durationHours: Number(s.duration_hours),
      source: s.source,
    })),
    defaultLimit: {
      durationHours: DEFAULT_STABILITY_LIMIT.durationHours,
      temperatureC: { ...DEFAULT_STABILITY_LIMIT.temperatureC },
      source: DEFAULT_STABILITY_LIMIT.source,
    },
    now,
  };
  const result = planPreparation(input);
  if (!result.ok) throw new AppError(result.code, result.message);
  return {
    plan: result.plan,
    presentationLabels: Object.fromEntries(presentations.map((p) => [p.id, p.label])),
    presentationGtins: Object.fromEntries(presentations.filter((p) => p.cip13).map((p) => [p.id, `0${p.cip13}`])),
    diluentLabels: Object.fromEntries(diluents.map((d) => [d.code, d.label_fr])),
  };
}

/** The stored plan, revived (JSON turned its dates into strings). */
export function revivePlan(stored: unknown): PreparationPlan {
  const plan = stored as PreparationPlan;
  return {
    ...plan,
    leftovers: plan.leftovers.map((l) => ({ ...l, expiresAt: l.expiresAt === null ? null : new Date(l.expiresAt) })),
    beyondUse: { ...plan.beyondUse, expiresAt: new Date(plan.beyondUse.expiresAt) },
  };
}
