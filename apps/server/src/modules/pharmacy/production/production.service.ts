import type {
  AnticipationProposalDto,
  AppointmentBody,
  AppointmentDto,
  PinBody,
  PinResultDto,
  PlannerSettingsBody,
  PlannerSettingsDto,
  ProductionDayQuery,
  ProductionPlanDto,
  ShiftsBody,
  ShiftsDto,
} from '@passerelle/contracts';
import type { Kysely } from 'kysely';
import { appendAudit, auditFrom } from '../../../core/audit.ts';
import { parisDate, type Clock } from '../../../core/clock.ts';
import { actingEstablishment, type RequestContext } from '../../../core/context.ts';
import type { DB, Executor } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/errors.ts';
import type { IdGenerator } from '../../../core/ids.ts';
import { PlannerInputError, type PlannerWorker } from '../../planner/index.ts';
import { instantOf, presentAnticipation, presentPlan } from './production.presenter.ts';
import * as repo from './production.repository.ts';
import { compileProblem, type CompiledProblem } from './problem.ts';

export interface ProductionDeps {
  db: Kysely<DB>;
  ids: IdGenerator;
  clock: Clock;
  worker: PlannerWorker;
}

/**
 * On each isolator, what starts within this many minutes stays in place and order when re-planning: its
 * basket is being prepared (GERPAC: 8.75 min of basket preparation per SAS cycle, REFERENCE §2.5).
 */
export const FREEZE_MIN = 10;

/** The plan is the shared pharmacy's: only its own staff (acting for its establishment) see it. */
async function pharmacyOf(db: Executor, ctx: RequestContext): Promise<string> {
  const establishmentId = actingEstablishment(ctx);
  const pharmacy = await repo.findPharmacyEstablishment(db, ctx.actor.cooperationId);
  if (!pharmacy) throw new AppError('PHARMACY_NOT_CONFIGURED', 'The cooperation has no shared pharmacy configured');
  if (pharmacy !== establishmentId) throw notFound('Production plan');
  return pharmacy;
}

interface LoadedDay {
  compiled: CompiledProblem;
  listing: repo.PreparationListing[];
  isolators: Awaited<ReturnType<typeof repo.listIsolators>>;
}

async function loadDay(
  db: Executor,
  cooperationId: string,
  pharmacy: string,
  day: string,
  now: Date,
): Promise<LoadedDay> {
  const [settings, isolators, shifts, listing] = await Promise.all([
    repo.loadSettings(db, cooperationId),
    repo.listIsolators(db, cooperationId, pharmacy),
    repo.listShifts(db, cooperationId, pharmacy, day),
    repo.listDayPreparations(db, cooperationId, pharmacy, day),
  ]);
  if (isolators.length === 0) {
    throw new AppError('PLANNER_NO_ISOLATOR', 'The pharmacy has no active isolator: declare one before planning');
  }
  const compiled = compileProblem({ day, now, settings, isolators, shifts, preparations: listing });
  return { compiled, listing, isolators };
}

/** The planner refuses an inconsistent day (e.g. a pin on an isolator that does not take the drug). */
function plannerInputError(error: unknown): never {
  if (error instanceof PlannerInputError) {
    throw new AppError('PLANNER_INPUT_INVALID', 'The day cannot be planned as recorded', {
      fields: error.issues.map((i) => ({ path: i.path, message: i.message })),
    });
  }
  throw error;
}

/**
 * The day's plan. Re-planned from the day's last plan at each call, so what is on an isolator or about to
 * start there is never reshuffled; the new plan becomes the next call's starting point.
 */
export async function getPlan(
  deps: ProductionDeps,
  ctx: RequestContext,
  query: ProductionDayQuery,
): Promise<ProductionPlanDto> {
  const day = query.day ?? parisDate(ctx.now);
  const pharmacy = await pharmacyOf(deps.db, ctx);
  const loaded = await loadDay(deps.db, ctx.actor.cooperationId, pharmacy, day, ctx.now);
  const previous = await repo.loadStoredPlan(deps.db, ctx.actor.cooperationId, pharmacy, day);
  const plan = await deps.worker
    .replan(loaded.compiled.problem, previous, { freezeMin: FREEZE_MIN })
    .catch(plannerInputError);
  await deps.db.transaction().execute(async (trx) => {
    await repo.storePlan(trx, {
      cooperationId: ctx.actor.cooperationId,
      establishmentId: pharmacy,
      day,
      plan,
      now: ctx.now,
    });
    await appendAudit(
      trx,
      auditFrom(ctx, 'production.plan.read', {
        resourceType: 'production_plan',
        details: { day, preparations: loaded.listing.length },
      }),
      deps.ids,
    );
  });
  return presentPlan(day, ctx.now, plan, loaded);
}

/**
 * Pins (or moves) a preparation on an isolator, at a position or anywhere on it, and says what it costs:
 * the day planned with the pin against the day planned without it. With `dryRun` nothing is saved.
 */
export async function pinPreparation(deps: ProductionDeps, ctx: RequestContext, body: PinBody): Promise<PinResultDto> {
  const pharmacy = await pharmacyOf(deps.db, ctx);
  const prep = await deps.db
    .selectFrom('preparations as p')
    .innerJoin('prescriptions as rx', 'rx.id', 'p.prescription_id')
    .select(['p.id', 'p.status', 'p.administration_date', 'p.patient_id'])
    .where('p.id', '=', body.preparationId)
    .where('p.cooperation_id', '=', ctx.actor.cooperationId)
    .where('rx.pharmacy_establishment_id', '=', pharmacy)
    .executeTakeFirst();
  if (!prep) throw notFound('Preparation');
  if (!['awaiting_validation', 'awaiting_green_light', 'anticipated', 'ready_to_compound'].includes(prep.status)) {
    throw new AppError('PLANNER_PIN_NOT_PENDING', 'Only a preparation not yet started can be placed by hand');
  }
  const day = prep.administration_date;
  const loaded = await loadDay(deps.db, ctx.actor.cooperationId, pharmacy, day, ctx.now);
  const isolator = loaded.isolators.find((i) => i.id === body.isolatorId);
  if (!isolator) throw notFound('Isolator');
  const target = loaded.compiled.problem.preparations.find((p) => p.id === body.preparationId);
  if (!target) throw notFound('Preparation');
  const pin = { isolatorId: body.isolatorId, ...(body.position !== undefined ? { position: body.position } : {}) };
  const classes = loaded.compiled.problem.isolators.find((i) => i.id === body.isolatorId)!.classes;
  if (!classes.includes(target.isolatorClass)) {
    throw new AppError('PLANNER_PIN_WRONG_ISOLATOR', `Isolator ${isolator.code} does not take this drug`);
  }
  const previous = await repo.loadStoredPlan(deps.db, ctx.actor.cooperationId, pharmacy, day);
  const cost = await deps.worker
    .pinCost(loaded.compiled.problem, body.preparationId, pin, previous)
    .catch(plannerInputError);
  if (!body.dryRun) {
    await deps.db.transaction().execute(async (trx) => {
      await repo.upsertPin(trx, {
        preparationId: body.preparationId,
        cooperationId: ctx.actor.cooperationId,
        isolatorId: body.isolatorId,
        position: body.position ?? null,
        reason: body.reason,
        userId: ctx.actor.userId,
        now: ctx.now,
      });
      await repo.storePlan(trx, {
        cooperationId: ctx.actor.cooperationId,
        establishmentId: pharmacy,
        day,
        plan: cost.plan,
        now: ctx.now,
      });
      await appendAudit(
        trx,
        auditFrom(ctx, 'production.pin', {
          patientId: prep.patient_id,
          resourceType: 'preparation',
          resourceId: body.preparationId,
          details: {
            isolator: isolator.code,
            position: body.position ?? null,
            reason: body.reason,
            costDelta: round2(cost.delta),
          },
        }),
        deps.ids,
      );
    });
  }
  const pinned = withPin(loaded, body.preparationId, pin);
  return {
    saved: !body.dryRun,
    costDelta: round2(cost.delta),
    weightedTardinessDelta: round2(cost.weightedTardinessDelta),
    withPin: cost.withPin,
    withoutPin: cost.withoutPin,
    plan: presentPlan(day, ctx.now, cost.plan, pinned),
  };
}

function withPin(loaded: LoadedDay, preparationId: string, pin: { isolatorId: string; position?: number }): LoadedDay {
  return {
    ...loaded,
    listing: loaded.listing.map((l) =>
      l.id === preparationId ? { ...l, pin: { isolatorId: pin.isolatorId, position: pin.position ?? null } } : l,
    ),
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export async function unpinPreparation(
  deps: ProductionDeps,
  ctx: RequestContext,
  preparationId: string,
): Promise<void> {
  await pharmacyOf(deps.db, ctx);
  await deps.db.transaction().execute(async (trx) => {
    const removed = await repo.deletePin(trx, ctx.actor.cooperationId, preparationId);
    if (!removed) throw notFound('Pin');
    await appendAudit(
      trx,
      auditFrom(ctx, 'production.unpin', { resourceType: 'preparation', resourceId: preparationId }),
      deps.ids,
    );
  });
}

export async function getShifts(
  deps: ProductionDeps,
  ctx: RequestContext,
  query: ProductionDayQuery,
): Promise<ShiftsDto> {
  const day = query.day ?? parisDate(ctx.now);
  const pharmacy = await pharmacyOf(deps.db, ctx);
  const [shifts, postable] = await Promise.all([
    repo.listShifts(deps.db, ctx.actor.cooperationId, pharmacy, day),
    repo.listPostableUsers(deps.db, ctx.actor.cooperationId, pharmacy),
  ]);
  const byUser = new Map<string, { userId: string; label: string; role: string }>();
  for (const u of postable) {
    const known = byUser.get(u.id);
    // A pharmacist who is also a technician is listed once, as a technician.
    if (!known || u.role === 'pharmacy_technician')
      byUser.set(u.id, { userId: u.id, label: u.display_name, role: u.role });
  }
  return {
    day,
    shifts,
    postable: [...byUser.values()].sort((a, b) => a.label.localeCompare(b.label, 'fr')),
  };
}

/** Replaces the day's shifts: each person's shifts must not overlap, and only the pharmacy's staff are posted. */
export async function putShifts(deps: ProductionDeps, ctx: RequestContext, body: ShiftsBody): Promise<ShiftsDto> {
  const pharmacy = await pharmacyOf(deps.db, ctx);
  const postable = new Set((await repo.listPostableUsers(deps.db, ctx.actor.cooperationId, pharmacy)).map((u) => u.id));
  const fields: { path: string; message: string }[] = [];
  body.shifts.forEach((s, k) => {
    if (s.endMin <= s.startMin) fields.push({ path: `body.shifts.${k}.endMin`, message: 'must be after the start' });
    if (!postable.has(s.userId))
      fields.push({ path: `body.shifts.${k}.userId`, message: 'not a technician or pharmacist of the pharmacy' });
  });
  const byUser = new Map<string, { startMin: number; endMin: number; k: number }[]>();
  body.shifts.forEach((s, k) => byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), { ...s, k }]));
  for (const list of byUser.values()) {
    list.sort((a, b) => a.startMin - b.startMin);
    for (let i = 1; i < list.length; i++)
      if (list[i]!.startMin < list[i - 1]!.endMin)
        fields.push({
          path: `body.shifts.${list[i]!.k}.startMin`,
          message: 'overlaps another shift of the same person',
        });
  }
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', 'The shifts are not consistent', { fields });
  await deps.db.transaction().execute(async (trx) => {
    await repo.replaceShifts(trx, {
      cooperationId: ctx.actor.cooperationId,
      establishmentId: pharmacy,
      day: body.day,
      shifts: body.shifts.map((s) => ({ ...s, id: deps.ids.uuid() })),
      createdBy: ctx.actor.userId,
      now: ctx.now,
    });
    await appendAudit(
      trx,
      auditFrom(ctx, 'production.shifts.update', {
        resourceType: 'technician_shifts',
        details: { day: body.day, shifts: body.shifts.length },
      }),
      deps.ids,
    );
  });
  return getShifts(deps, ctx, { day: body.day });
}

export async function getSettings(deps: ProductionDeps, ctx: RequestContext): Promise<PlannerSettingsDto> {
  await pharmacyOf(deps.db, ctx);
  return repo.loadSettings(deps.db, ctx.actor.cooperationId);
}

export async function putSettings(
  deps: ProductionDeps,
  ctx: RequestContext,
  body: PlannerSettingsBody,
): Promise<PlannerSettingsDto> {
  await pharmacyOf(deps.db, ctx);
  if (body.dayEndMin <= body.dayStartMin) {
    throw new AppError('VALIDATION_FAILED', 'The day must end after it starts', {
      fields: [{ path: 'body.dayEndMin', message: 'must be after dayStartMin' }],
    });
  }
  await deps.db.transaction().execute(async (trx) => {
    await repo.saveSettings(trx, ctx.actor.cooperationId, body, ctx.actor.userId, ctx.now);
    await appendAudit(
      trx,
      auditFrom(ctx, 'production.settings.update', { resourceType: 'planner_settings', details: body }),
      deps.ids,
    );
  });
  return repo.loadSettings(deps.db, ctx.actor.cooperationId);
}

/** Tomorrow (in Paris) of a Paris date. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Computes and stores the proposal of which of `day`'s preparations to make the day before: the planner
 * plans `day` from its opening, with and without each candidate made in advance.
 */
export async function computeProposal(
  deps: Omit<ProductionDeps, 'clock'>,
  cooperationId: string,
  pharmacy: string,
  day: string,
  now: Date,
): Promise<string> {
  const loaded = await loadDay(deps.db, cooperationId, pharmacy, day, now);
  // Planned from the day's opening, as it will be lived tomorrow.
  const problem = { ...loaded.compiled.problem, nowMin: loaded.compiled.problem.day.startMin };
  const proposal = await deps.worker.proposeAnticipation(problem).catch(plannerInputError);
  const id = deps.ids.uuid();
  await repo.insertProposal(deps.db, { id, cooperationId, establishmentId: pharmacy, day, proposal, now });
  return id;
}

export async function getProposal(
  deps: ProductionDeps,
  ctx: RequestContext,
  query: ProductionDayQuery,
): Promise<AnticipationProposalDto> {
  const day = query.day ?? nextDay(parisDate(ctx.now));
  const pharmacy = await pharmacyOf(deps.db, ctx);
  const row = await repo.latestProposal(deps.db, ctx.actor.cooperationId, pharmacy, day);
  if (!row) throw notFound('Anticipation proposal');
  const listing = await repo.listDayPreparations(deps.db, ctx.actor.cooperationId, pharmacy, day);
  return presentAnticipation(row, listing);
}

export async function runProposal(
  deps: ProductionDeps,
  ctx: RequestContext,
  query: ProductionDayQuery,
): Promise<AnticipationProposalDto> {
  const day = query.day ?? nextDay(parisDate(ctx.now));
  const pharmacy = await pharmacyOf(deps.db, ctx);
  await computeProposal(deps, ctx.actor.cooperationId, pharmacy, day, ctx.now);
  const dto = await getProposal(deps, ctx, { day });
  await deps.db.transaction().execute((trx) =>
    appendAudit(
      trx,
      auditFrom(ctx, 'production.anticipation.run', {
        resourceType: 'anticipation_proposal',
        details: { day, proposed: dto.items.length, expectedWasteEur: dto.expectedWasteEur },
      }),
      deps.ids,
    ),
  );
  return dto;
}

/** The nightly job: tomorrow's proposal for every cooperation's pharmacy. */
export async function proposeForAllPharmacies(
  deps: Omit<ProductionDeps, 'clock'>,
  now: Date,
): Promise<{ pharmacies: number; proposals: number; skipped: { cooperationId: string; reason: string }[] }> {
  const day = nextDay(parisDate(now));
  const skipped: { cooperationId: string; reason: string }[] = [];
  let proposals = 0;
  const pharmacies = await repo.listPharmacies(deps.db);
  for (const p of pharmacies) {
    try {
      await computeProposal(deps, p.cooperation_id, p.pharmacy_establishment_id, day, now);
      proposals++;
    } catch (error) {
      if (error instanceof AppError) skipped.push({ cooperationId: p.cooperation_id, reason: error.code });
      else throw error;
    }
  }
  return { pharmacies: pharmacies.length, proposals, skipped };
}

/**
 * Records the patient's chair time for one administration day: the planner's due time for each of that
 * day's preparations. The prescribing establishment's day hospital (or the pharmacy) sets it.
 */
export async function setAppointment(
  deps: ProductionDeps,
  ctx: RequestContext,
  body: AppointmentBody,
): Promise<AppointmentDto> {
  const establishmentId = actingEstablishment(ctx);
  const pharmacy = await repo.findPharmacyEstablishment(deps.db, ctx.actor.cooperationId);
  const scheduledAt = new Date(instantOf(body.administrationDate, timeToMinutes(body.time)));
  return deps.db.transaction().execute(async (trx) => {
    const rx = await trx
      .selectFrom('prescriptions')
      .select(['id', 'patient_id', 'establishment_id', 'pharmacy_establishment_id', 'status'])
      .where('id', '=', body.prescriptionId)
      .where('cooperation_id', '=', ctx.actor.cooperationId)
      .executeTakeFirst();
    if (!rx || (rx.establishment_id !== establishmentId && pharmacy !== establishmentId))
      throw notFound('Prescription');
    const updated = await trx
      .updateTable('preparations')
      .set({ scheduled_at: scheduledAt, updated_at: ctx.now })
      .where('prescription_id', '=', rx.id)
      .where('administration_date', '=', body.administrationDate)
      .where('status', 'not in', ['cancelled', 'administered', 'returned', 'destroyed'])
      .executeTakeFirst();
    const count = Number(updated.numUpdatedRows);
    if (count === 0) throw notFound('Administration day');
    await appendAudit(
      trx,
      auditFrom(ctx, 'production.appointment.set', {
        patientId: rx.patient_id,
        resourceType: 'prescription',
        resourceId: rx.id,
        details: { administrationDate: body.administrationDate, time: body.time },
      }),
      deps.ids,
    );
    return {
      prescriptionId: rx.id,
      administrationDate: body.administrationDate,
      scheduledAt: scheduledAt.toISOString(),
      preparations: count,
    };
  });
}

function timeToMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}
