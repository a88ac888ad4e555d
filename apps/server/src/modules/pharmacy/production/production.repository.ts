import { sql } from 'kysely';
import type { Executor } from '../../../core/db/index.ts';
import type { AnticipationProposal, Plan } from '../../planner/index.ts';
import {
  DEFAULT_PLANNER_SETTINGS,
  type IsolatorRow,
  type PlannerSettings,
  type PreparationRow,
  type PreparationRowStatus,
  type ShiftRow,
} from './problem.ts';

/** Queries of the production planning: the pharmacy's day as the planner needs it. */

export async function findPharmacyEstablishment(db: Executor, cooperationId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('pharmacy_settings')
    .select('pharmacy_establishment_id')
    .where('cooperation_id', '=', cooperationId)
    .executeTakeFirst();
  return row?.pharmacy_establishment_id;
}

export async function loadSettings(db: Executor, cooperationId: string): Promise<PlannerSettings> {
  const row = await db
    .selectFrom('planner_settings')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .executeTakeFirst();
  if (!row) return DEFAULT_PLANNER_SETTINGS;
  return {
    weights: row.weights as PlannerSettings['weights'],
    changeoverMin: row.changeover_min,
    releaseCheckMin: row.release_check_min,
    transportMin: row.transport_min,
    transportBySite: row.transport_by_site as Record<string, number>,
    defaultAppointmentMin: row.default_appointment_min,
    cancellationProbability: Number(row.cancellation_probability),
    dayStartMin: row.day_start_min,
    dayEndMin: row.day_end_min,
  };
}

export async function saveSettings(
  db: Executor,
  cooperationId: string,
  settings: PlannerSettings,
  userId: string | null,
  now: Date,
): Promise<void> {
  const values = {
    weights: JSON.stringify(settings.weights),
    changeover_min: settings.changeoverMin,
    release_check_min: settings.releaseCheckMin,
    transport_min: settings.transportMin,
    transport_by_site: JSON.stringify(settings.transportBySite),
    default_appointment_min: settings.defaultAppointmentMin,
    cancellation_probability: settings.cancellationProbability,
    day_start_min: settings.dayStartMin,
    day_end_min: settings.dayEndMin,
    updated_at: now,
    updated_by: userId,
  };
  await db
    .insertInto('planner_settings')
    .values({ cooperation_id: cooperationId, ...values })
    .onConflict((oc) => oc.column('cooperation_id').doUpdateSet(values))
    .execute();
}

export async function listIsolators(
  db: Executor,
  cooperationId: string,
  establishmentId: string,
): Promise<IsolatorRow[]> {
  const rows = await db
    .selectFrom('isolators')
    .select(['id', 'code', 'label', 'dedicated_family'])
    .where('cooperation_id', '=', cooperationId)
    .where('establishment_id', '=', establishmentId)
    .where('active', '=', true)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, label: r.label, dedicatedFamily: r.dedicated_family }));
}

export async function listShifts(
  db: Executor,
  cooperationId: string,
  establishmentId: string,
  day: string,
): Promise<(ShiftRow & { id: string })[]> {
  const rows = await db
    .selectFrom('technician_shifts as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id', 's.start_min', 's.end_min', 'u.display_name'])
    .where('s.cooperation_id', '=', cooperationId)
    .where('s.establishment_id', '=', establishmentId)
    .where('s.day', '=', day)
    .orderBy('s.start_min')
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    label: r.display_name,
    startMin: r.start_min,
    endMin: r.end_min,
  }));
}

/** Users who may be posted: pharmacy technicians (and pharmacists) of the pharmacy establishment. */
export async function listPostableUsers(db: Executor, cooperationId: string, establishmentId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name', 'm.role'])
    .where('u.cooperation_id', '=', cooperationId)
    .where('m.establishment_id', '=', establishmentId)
    .where('m.role', 'in', ['pharmacy_technician', 'pharmacist'])
    .where('u.disabled', '=', false)
    .execute();
}

export async function replaceShifts(
  db: Executor,
  input: {
    cooperationId: string;
    establishmentId: string;
    day: string;
    shifts: { id: string; userId: string; startMin: number; endMin: number }[];
    createdBy: string;
    now: Date;
  },
): Promise<void> {
  await db
    .deleteFrom('technician_shifts')
    .where('cooperation_id', '=', input.cooperationId)
    .where('establishment_id', '=', input.establishmentId)
    .where('day', '=', input.day)
    .execute();
  if (input.shifts.length === 0) return;
  await db
    .insertInto('technician_shifts')
    .values(
      input.shifts.map((s) => ({
        id: s.id,
        cooperation_id: input.cooperationId,
        establishment_id: input.establishmentId,
        user_id: s.userId,
        day: input.day,
        start_min: s.startMin,
        end_min: s.endMin,
        created_by: input.createdBy,
        created_at: input.now,
      })),
    )
    .execute();
}

export interface PreparationListing extends PreparationRow {
  patientId: string;
  patientName: string;
  moleculeLabel: string;
  dose: string;
  doseUnit: string;
  destinationUnitLabel: string | null;
  establishmentLabel: string;
}

/**
 * The day's preparations addressed to the pharmacy, with what the planner needs: the molecule's ATC and
 * forms, its shortest stability after dilution, the validation, the green light, the chair time, the
 * destination site, the estimated drug cost (cheapest whole-vial combination of one presentation), where
 * and when it is being or was made, and the pharmacist's pin.
 */
export async function listDayPreparations(
  db: Executor,
  cooperationId: string,
  pharmacyEstablishmentId: string,
  day: string,
): Promise<PreparationListing[]> {
  const rows = await db
    .selectFrom('preparations as p')
    .innerJoin('prescriptions as rx', 'rx.id', 'p.prescription_id')
    .innerJoin('molecules as m', 'm.id', 'p.molecule_id')
    .innerJoin('patients as pt', 'pt.id', 'p.patient_id')
    .innerJoin('establishments as e', 'e.id', 'rx.establishment_id')
    .leftJoin('units as u', 'u.id', 'p.destination_unit_id')
    .leftJoin('compounding_records as cr', 'cr.preparation_id', 'p.id')
    .leftJoin('planner_pins as pin', 'pin.preparation_id', 'p.id')
    .leftJoin('fit_to_treat_decisions as f', (join) =>
      join
        .onRef('f.prescription_id', '=', 'p.prescription_id')
        .onRef('f.administration_date', '=', 'p.administration_date')
        .on('f.decision', '=', 'go'),
    )
    .select([
      'p.id',
      'p.status',
      'p.patient_id',
      'p.dose',
      'p.dose_unit',
      'p.scheduled_at',
      'm.code as molecule_code',
      'm.inn_fr',
      'm.atc',
      'pt.birth_name',
      'pt.used_name',
      'pt.first_names',
      'e.short_name as establishment_name',
      'u.name as unit_name',
      'u.site_id',
      'rx.validated_at',
      'f.recorded_at as green_light_at',
      'cr.isolator_id',
      'cr.started_at',
      'cr.completed_at',
      'pin.isolator_id as pin_isolator_id',
      'pin.position as pin_position',
      sql<boolean>`not exists (select 1 from presentations pr where pr.molecule_id = p.molecule_id
        and pr.active and pr.form = 'solution')`.as('powder_only'),
      sql<string | null>`(select min(s.duration_hours) from stability_entries s
        where s.molecule_id = p.molecule_id and s.phase = 'after_dilution')`.as('stability_hours'),
      sql<string | null>`(select min(ceil(p.dose / pr.strength) * pr.unit_price_eur) from presentations pr
        where pr.molecule_id = p.molecule_id and pr.active and pr.strength_unit = p.dose_unit)`.as('cost_eur'),
    ])
    .where('p.cooperation_id', '=', cooperationId)
    .where('rx.pharmacy_establishment_id', '=', pharmacyEstablishmentId)
    .where('p.administration_date', '=', day)
    .where('p.status', 'not in', ['cancelled', 'returned', 'destroyed'])
    .orderBy('p.scheduled_at')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status as PreparationRowStatus,
    atc: r.atc,
    moleculeCode: r.molecule_code,
    powderOnly: r.powder_only,
    stabilityHours: r.stability_hours === null ? null : Number(r.stability_hours),
    validatedAt: r.validated_at,
    greenLightAt: r.green_light_at,
    scheduledAt: r.scheduled_at,
    destinationSiteId: r.site_id,
    anticipationAllowed: r.status === 'anticipated',
    estimatedCostEur: r.cost_eur === null ? 0 : Number(r.cost_eur),
    isolatorId: r.isolator_id,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    pin: r.pin_isolator_id ? { isolatorId: r.pin_isolator_id, position: r.pin_position } : null,
    patientId: r.patient_id,
    patientName: `${(r.used_name ?? r.birth_name).toUpperCase()} ${r.first_names.split(/[ ,]/)[0] ?? ''}`.trim(),
    moleculeLabel: r.inn_fr,
    dose: r.dose,
    doseUnit: r.dose_unit,
    destinationUnitLabel: r.unit_name,
    establishmentLabel: r.establishment_name,
  }));
}

export async function loadStoredPlan(
  db: Executor,
  cooperationId: string,
  establishmentId: string,
  day: string,
): Promise<Plan | null> {
  const row = await db
    .selectFrom('production_plans')
    .select('plan')
    .where('cooperation_id', '=', cooperationId)
    .where('establishment_id', '=', establishmentId)
    .where('day', '=', day)
    .executeTakeFirst();
  return row ? (row.plan as Plan) : null;
}

export async function storePlan(
  db: Executor,
  input: { cooperationId: string; establishmentId: string; day: string; plan: Plan; now: Date },
): Promise<void> {
  const values = {
    plan: JSON.stringify(input.plan),
    objective: input.plan.objective.total,
    computed_at: input.now,
    compute_ms: Math.round(input.plan.stats.elapsedMs),
  };
  await db
    .insertInto('production_plans')
    .values({ cooperation_id: input.cooperationId, establishment_id: input.establishmentId, day: input.day, ...values })
    .onConflict((oc) => oc.columns(['cooperation_id', 'establishment_id', 'day']).doUpdateSet(values))
    .execute();
}

export async function upsertPin(
  db: Executor,
  input: {
    preparationId: string;
    cooperationId: string;
    isolatorId: string;
    position: number | null;
    reason: string;
    userId: string;
    now: Date;
  },
): Promise<void> {
  const values = {
    isolator_id: input.isolatorId,
    position: input.position,
    reason: input.reason,
    pinned_by: input.userId,
    pinned_at: input.now,
  };
  await db
    .insertInto('planner_pins')
    .values({ preparation_id: input.preparationId, cooperation_id: input.cooperationId, ...values })
    .onConflict((oc) => oc.column('preparation_id').doUpdateSet(values))
    .execute();
}

export async function deletePin(db: Executor, cooperationId: string, preparationId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('planner_pins')
    .where('cooperation_id', '=', cooperationId)
    .where('preparation_id', '=', preparationId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertProposal(
  db: Executor,
  input: {
    id: string;
    cooperationId: string;
    establishmentId: string;
    day: string;
    proposal: AnticipationProposal;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto('anticipation_proposals')
    .values({
      id: input.id,
      cooperation_id: input.cooperationId,
      establishment_id: input.establishmentId,
      for_day: input.day,
      created_at: input.now,
      candidates: input.proposal.candidates,
      items: JSON.stringify(input.proposal.anticipate),
      expected_waste_eur: input.proposal.expectedWasteEur,
      weighted_tardiness_without: input.proposal.weightedTardinessWithout,
      weighted_tardiness_with: input.proposal.weightedTardinessWith,
    })
    .execute();
}

export async function latestProposal(db: Executor, cooperationId: string, establishmentId: string, day: string) {
  return db
    .selectFrom('anticipation_proposals')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('establishment_id', '=', establishmentId)
    .where('for_day', '=', day)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Cooperations with a pharmacy, for the nightly job. */
export async function listPharmacies(db: Executor) {
  return db.selectFrom('pharmacy_settings').select(['cooperation_id', 'pharmacy_establishment_id']).execute();
}
