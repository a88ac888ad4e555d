import type {
  CompoundingProgressDto,
  FabricationSheetDto,
  IsolatorDto,
  LabelBody,
  PreparationDetailDto,
  SecondCheckBody,
  StartCompoundingBody,
  VialScanBody,
  VialScanDto,
  WeighingBody,
  WeighingDto,
} from '@passerelle/contracts';
import type { Kysely } from 'kysely';
import { appendAudit, appendAuditStandalone, auditFrom } from '../../../core/audit.ts';
import { parisDate, type Clock } from '../../../core/clock.ts';
import { actingEstablishment, type RequestContext } from '../../../core/context.ts';
import type { DB, Tx } from '../../../core/db/index.ts';
import type { PreparationStatus } from '../../../core/db/schema-pharmacy.ts';
import { AppError, notFound, type ErrorCode } from '../../../core/errors.ts';
import type { IdGenerator } from '../../../core/ids.ts';
import {
  checkWeighing,
  parseGs1,
  renderFabricationSheetPdf,
  renderLabelPdf,
  renderLabelZpl,
  type BalanceDriver,
  type LabelData,
  type PreparationPlan,
  type SimulatedBalance,
} from './core/index.ts';
import { presentDetail, presentScan, presentWeighing } from './compounding.presenter.ts';
import * as repo from './compounding.repository.ts';
import { computePlan, revivePlan, type PlanWithLabels } from './plan-input.ts';
import {
  CHECKABLE,
  COMPOUNDING_OPEN,
  isLate,
  LABEL_PRINTABLE,
  nextStatus,
  type PreparationAction,
} from './state-machine.ts';

export interface CompoundingDeps {
  db: Kysely<DB>;
  ids: IdGenerator;
  clock: Clock;
  /**
   * The balance beside an isolator. The demo and the tests use the simulated balance of `core/balance.ts`;
   * a site plugs its connected balances in here (same `BalanceDriver` interface).
   */
  balanceFor(isolatorId: string): BalanceDriver | SimulatedBalance;
}

/** A refusal worth recording: audited as `denied` in a transaction of its own (the work itself rolled back). */
export class RefusedAttempt extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly patientId: string | null,
  ) {
    super(code, message);
  }
}

export function scopeOf(ctx: RequestContext): repo.ProductionScope {
  return { cooperationId: ctx.actor.cooperationId, establishmentId: actingEstablishment(ctx) };
}

/**
 * Runs `work`; a {@link RefusedAttempt} escaping it (an invalid transition, releasing an unchecked preparation,
 * a label before completion…) is appended to the audit chain with outcome `denied`, after the rollback.
 */
export async function recordingRefusals<T>(
  deps: { db: Kysely<DB>; ids: IdGenerator },
  ctx: RequestContext,
  action: string,
  preparationId: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RefusedAttempt) {
      await appendAuditStandalone(
        deps.db,
        auditFrom(ctx, `preparation.${action}`, {
          outcome: 'denied',
          patientId: error.patientId,
          resourceType: 'preparation',
          resourceId: preparationId,
          details: { code: error.code },
        }),
      );
    }
    throw error;
  }
}

/** The preparation in the acting establishment's scope, or NOT_FOUND (same answer as a missing one). */
export async function getPreparation(
  trx: Tx,
  scope: repo.ProductionScope,
  id: string,
  options: { producerOnly?: boolean; forUpdate?: boolean } = {},
): Promise<repo.PreparationRow> {
  const prep = await repo.findPreparation(trx, scope, id, { forUpdate: options.forUpdate ?? false });
  if (!prep) throw notFound('Preparation');
  if (options.producerOnly && prep.pharmacy_establishment_id !== scope.establishmentId) throw notFound('Preparation');
  return prep;
}

/** Moves a preparation by the state machine, records the transition; refuses (recorded) what the table forbids. */
export async function transition(
  trx: Tx,
  ctx: RequestContext,
  ids: IdGenerator,
  prep: { id: string; status: string; patient_id: string },
  action: PreparationAction,
  reason: string | null = null,
): Promise<PreparationStatus> {
  const to = nextStatus(prep.status as PreparationStatus, action);
  if (!to) {
    throw new RefusedAttempt(
      'PREPARATION_INVALID_TRANSITION',
      `A preparation that is ${prep.status.replaceAll('_', ' ')} cannot be ${ACTION_PAST[action]}`,
      prep.patient_id,
    );
  }
  const moved = await repo.moveStatus(
    trx,
    ctx.actor.cooperationId,
    prep.id,
    [prep.status as PreparationStatus],
    to,
    ctx.now,
  );
  if (!moved) {
    throw new RefusedAttempt(
      'PREPARATION_INVALID_TRANSITION',
      'The preparation changed meanwhile: reload it',
      prep.patient_id,
    );
  }
  await repo.insertTransition(trx, {
    id: ids.uuid(),
    cooperation_id: ctx.actor.cooperationId,
    preparation_id: prep.id,
    from_status: prep.status,
    to_status: to,
    reason,
    actor_id: ctx.actor.userId,
    occurred_at: ctx.now,
  });
  return to;
}

const ACTION_PAST: Record<PreparationAction, string> = {
  start: 'started',
  complete: 'completed',
  release: 'released',
  dispatch: 'dispatched',
  receive: 'received',
  administer: 'administered',
  return: 'returned',
  destroy: 'destroyed',
};

function audit(
  trx: Tx,
  deps: { ids: IdGenerator },
  ctx: RequestContext,
  action: string,
  prep: { id: string; patient_id: string },
  details: Record<string, unknown> = {},
) {
  return appendAudit(
    trx,
    auditFrom(ctx, action, { patientId: prep.patient_id, resourceType: 'preparation', resourceId: prep.id, details }),
    deps.ids,
  );
}

// --- reading ------------------------------------------------------------------------------------------------

export async function listIsolators(deps: CompoundingDeps, ctx: RequestContext): Promise<IsolatorDto[]> {
  const rows = await repo.listIsolators(deps.db, scopeOf(ctx));
  return rows.map((r) => ({ id: r.id, code: r.code, label: r.label, dedicatedFamily: r.dedicated_family }));
}

/** What still stands between the technician and "compounding complete". */
export function progressOf(
  plan: PreparationPlan,
  presentationLabels: Record<string, string>,
  scans: { result: string; presentation_id: string | null }[],
  /** In recording order (the repository's). */
  weighings: { result: string; step: string; draw_index: number | null }[],
): CompoundingProgressDto {
  const needed = new Map<string, number>();
  for (const d of plan.draws) needed.set(d.presentationId, (needed.get(d.presentationId) ?? 0) + d.vialCount);
  for (const s of scans) {
    if (s.result === 'accepted' && s.presentation_id && needed.has(s.presentation_id)) {
      needed.set(s.presentation_id, needed.get(s.presentation_id)! - 1);
    }
  }
  const scansMissing = [...needed]
    .filter(([, count]) => count > 0)
    .map(([presentationId, count]) => ({
      presentationId,
      label: presentationLabels[presentationId] ?? presentationId,
      count,
    }));
  // The latest weighing of each step decides: a rejected one is redone until accepted.
  const latest = new Map<string, string>();
  for (const w of weighings) {
    latest.set(w.step === 'draw' ? `draw:${w.draw_index}` : 'finished', w.result);
  }
  const drawsToWeigh = plan.draws.map((_, i) => i).filter((i) => latest.get(`draw:${i}`) !== 'accepted');
  const finishedProductWeighed = latest.get('finished') === 'accepted';
  return {
    scansMissing,
    drawsToWeigh,
    finishedProductWeighed,
    complete: scansMissing.length === 0 && drawsToWeigh.length === 0 && finishedProductWeighed,
  };
}

function labelsOf(plan: PreparationPlan): Record<string, string> {
  const out: Record<string, string> = {};
  const stored = (plan as PreparationPlan & { presentationLabels?: Record<string, string> }).presentationLabels;
  if (stored) Object.assign(out, stored);
  return out;
}

/** A preparation with everything recorded about it: plan, scans, weighings, check, labels, transitions. */
export async function getPreparationDetail(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
): Promise<PreparationDetailDto> {
  const scope = scopeOf(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const prep = await getPreparation(trx, scope, id);
    const [record, scans, weighings, labels, disposal, transitions] = await Promise.all([
      repo.findRecord(trx, scope.cooperationId, id),
      repo.listScans(trx, scope.cooperationId, id),
      repo.listWeighings(trx, scope.cooperationId, id),
      repo.listLabels(trx, scope.cooperationId, id),
      repo.findDisposal(trx, scope.cooperationId, id),
      repo.listTransitions(trx, scope.cooperationId, id),
    ]);
    const progress = record
      ? progressOf(revivePlan(record.plan), labelsOf(record.plan as PreparationPlan), scans, weighings)
      : null;
    await audit(trx, deps, ctx, 'preparation.read', prep);
    return presentDetail({
      prep,
      record,
      progress,
      scans,
      weighings,
      labels,
      disposal,
      transitions,
      late: isLate(
        {
          status: prep.status,
          administrationDate: prep.administration_date,
          releasedToProductionAt: prep.released_to_production_at ? new Date(prep.released_to_production_at) : null,
        },
        parisDate(ctx.now),
        ctx.now,
      ),
    });
  });
}

// --- start and fabrication sheet --------------------------------------------------------------------------

/**
 * Starts compounding in an isolator: the preparation must be validated and have the green light (or be
 * anticipated); the fabrication plan is computed now and stored, with the beyond-use date and the drug cost.
 */
export async function startCompounding(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
  body: StartCompoundingBody,
): Promise<PreparationDetailDto> {
  const scope = scopeOf(ctx);
  await recordingRefusals(deps, ctx, 'compounding_start', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getPreparation(trx, scope, id, { producerOnly: true, forUpdate: true });
      if (prep.prescription_status !== 'validated') {
        throw new RefusedAttempt(
          'PRESCRIPTION_NOT_VALIDATED',
          'Nothing is compounded before pharmaceutical validation',
          prep.patient_id,
        );
      }
      if (!nextStatus(prep.status, 'start')) await transition(trx, ctx, deps.ids, prep, 'start');
      const isolator = await repo.findIsolator(trx, scope, body.isolatorId);
      if (!isolator || !isolator.active) {
        throw new AppError('VALIDATION_FAILED', 'No such isolator in service at this pharmacy', {
          fields: [{ path: 'body.isolatorId', message: 'unknown or inactive isolator' }],
        });
      }
      const { plan, presentationLabels, presentationGtins, diluentLabels } = await computePlan(
        trx,
        scope,
        prep,
        ctx.now,
      );
      await repo.insertRecord(trx, {
        preparation_id: id,
        cooperation_id: scope.cooperationId,
        pharmacy_establishment_id: scope.establishmentId,
        isolator_id: isolator.id,
        operator_id: ctx.actor.userId,
        started_at: ctx.now,
        plan: JSON.stringify({ ...plan, presentationLabels, presentationGtins, diluentLabels }),
        drug_cost_eur: plan.costEur,
        beyond_use_at: plan.beyondUse.expiresAt,
        final_volume_ml: plan.finalVolumeMl,
      });
      await transition(trx, ctx, deps.ids, prep, 'start');
      await audit(trx, deps, ctx, 'preparation.compounding_started', prep, {
        isolatorId: isolator.id,
        costEur: plan.costEur,
      });
    }),
  );
  return getPreparationDetail(deps, ctx, id);
}

/** The fabrication sheet: the stored plan once compounding started, else a preview computed now. */
export async function getFabricationSheet(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
): Promise<FabricationSheetDto & { pdf: () => Promise<Buffer> }> {
  const scope = scopeOf(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const prep = await getPreparation(trx, scope, id, { producerOnly: true });
    const record = await repo.findRecord(trx, scope.cooperationId, id);
    let plan: PreparationPlan;
    let presentationLabels: Record<string, string>;
    let presentationGtins: Record<string, string>;
    let diluentLabels: Record<string, string>;
    if (record) {
      const stored = record.plan as Partial<Omit<PlanWithLabels, 'plan'>>;
      plan = revivePlan(record.plan);
      presentationLabels = stored.presentationLabels ?? {};
      presentationGtins = stored.presentationGtins ?? {};
      diluentLabels = stored.diluentLabels ?? {};
    } else {
      ({ plan, presentationLabels, presentationGtins, diluentLabels } = await computePlan(trx, scope, prep, ctx.now));
    }
    const ipp = await repo.findIpp(trx, scope.cooperationId, prep.patient_id, prep.establishment_id);
    const densities = Object.fromEntries(
      (await repo.listPresentations(trx, scope.cooperationId, prep.molecule_id, prep.dose_unit))
        .filter((p) => p.density_g_per_ml !== null)
        .map((p) => [p.id, Number(p.density_g_per_ml)]),
    );
    await audit(trx, deps, ctx, 'preparation.fabrication_sheet', prep, { stored: !!record });
    return {
      preparationId: id,
      stored: !!record,
      plan,
      presentationLabels,
      presentationGtins,
      diluentLabels,
      pdf: () =>
        renderFabricationSheetPdf({
          preparationId: id,
          patient: labelPatient(prep, ipp?.ipp ?? null),
          drug: prep.molecule_inn_fr,
          dose: Number(prep.dose),
          doseUnit: prep.dose_unit,
          route: prep.route,
          administrationDate: prep.administration_date,
          destination: {
            unit: prep.destination_unit_name ?? '—',
            establishment: prep.establishment_short_name,
          },
          producer: prep.pharmacy_short_name,
          presentationLabels,
          diluentLabels,
          densities,
          plan,
          generatedAt: ctx.now,
        }),
    };
  });
}

function labelPatient(prep: repo.PreparationRow, ipp: string | null): LabelData['patient'] {
  return {
    lastName: prep.used_name ?? prep.birth_name,
    firstName: prep.first_names,
    birthDate: prep.birth_date,
    // The INS is printed only once the identity is qualified (INS referential).
    ins: prep.identity_status === 'qualified' ? prep.ins : null,
    ipp,
  };
}

// --- scans and weighings ------------------------------------------------------------------------------------

async function openRecord(trx: Tx, ctx: RequestContext, prep: repo.PreparationRow, what: string) {
  if (!COMPOUNDING_OPEN.includes(prep.status)) {
    throw new RefusedAttempt(
      'PREPARATION_INVALID_TRANSITION',
      `${what} is recorded while compounding, not on a preparation that is ${prep.status.replaceAll('_', ' ')}`,
      prep.patient_id,
    );
  }
  const record = await repo.findRecord(trx, ctx.actor.cooperationId, prep.id);
  if (!record) throw new AppError('CONFLICT', 'Compounding has no record: start it again');
  return record;
}

/**
 * Records one vial scan. The barcode is parsed (GS1), its GTIN resolved to a presentation, and the vial checked
 * against the plan: unknown GTIN, another drug, a presentation the plan does not use, a missing lot or expiry,
 * an expired lot → blocked with a specific code. Every attempt is stored, blocked ones included, and a blocked
 * scan answers with its code after it is saved.
 */
export async function scanVial(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
  body: VialScanBody,
): Promise<VialScanDto> {
  const scope = scopeOf(ctx);
  const today = parisDate(ctx.now);
  const outcome = await recordingRefusals(deps, ctx, 'vial_scan', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getPreparation(trx, scope, id, { producerOnly: true, forUpdate: true });
      const record = await openRecord(trx, ctx, prep, 'A vial scan');
      const plan = revivePlan(record.plan);
      const scans = await repo.listScans(trx, scope.cooperationId, id);
      const parsed = parseGs1(body.barcode);
      let blocked: { code: ErrorCode; message: string } | null = null;
      let presentationId: string | null = null;
      let lotRow: Awaited<ReturnType<typeof repo.findDrugLot>>;
      const data = parsed.ok ? parsed.value : null;
      if (!parsed.ok) {
        blocked = { code: parsed.code, message: parsed.message };
      } else {
        const v = parsed.value;
        const presentation = await repo.findPresentationByGtin(trx, scope.cooperationId, v.gtin!, v.cip13);
        lotRow = v.lot ? await repo.findDrugLot(trx, scope.cooperationId, v.gtin!, v.lot) : undefined;
        const expiry = v.expiry ?? lotRow?.expiry ?? null;
        const needed = plan.draws
          .filter((d) => d.presentationId === presentation?.id)
          .reduce((n, d) => n + d.vialCount, 0);
        const already = scans.filter((s) => s.result === 'accepted' && s.presentation_id === presentation?.id).length;
        if (!presentation) {
          blocked = { code: 'VIAL_UNKNOWN_GTIN', message: 'This GTIN is not in the referential: set the vial aside' };
        } else if (presentation.molecule_id !== prep.molecule_id) {
          blocked = {
            code: 'VIAL_WRONG_DRUG',
            message: `This vial is ${presentation.molecule_inn_fr}, not ${prep.molecule_inn_fr}`,
          };
        } else if (needed === 0) {
          blocked = { code: 'VIAL_NOT_IN_PLAN', message: `The fabrication plan does not use ${presentation.label}` };
        } else if (!v.lot) {
          blocked = {
            code: 'VIAL_LOT_MISSING',
            message: 'The code carries no lot number (AI 10): traceability needs it',
          };
        } else if (!expiry) {
          blocked = {
            code: 'VIAL_EXPIRY_MISSING',
            message: 'The code carries no expiry date (AI 17) and the lot is not in stock',
          };
        } else if (expiry < today) {
          blocked = { code: 'VIAL_LOT_EXPIRED', message: `Lot ${v.lot} expired on ${expiry}` };
        } else if (already >= needed) {
          blocked = {
            code: 'VIAL_ALREADY_SCANNED',
            message: `Every vial of ${presentation.label} the plan needs is already scanned`,
          };
        }
        presentationId = presentation?.id ?? null;
        // A reliquat the plan uses is an opened vial already out of stock: its scan takes nothing from the lot.
        const reliquatDraws = plan.draws.filter(
          (d) => d.source === 'reliquat' && d.presentationId === presentation?.id && d.lot === v.lot,
        ).length;
        const reliquatScans = scans.filter(
          (s) => s.result === 'accepted' && s.presentation_id === presentation?.id && s.lot === v.lot,
        ).length;
        if (!blocked && lotRow && reliquatScans >= reliquatDraws) await repo.decrementLot(trx, lotRow.id);
      }
      const scanId = deps.ids.uuid();
      await repo.insertScan(trx, {
        id: scanId,
        cooperation_id: scope.cooperationId,
        preparation_id: id,
        raw: body.barcode,
        gtin: data?.gtin ?? null,
        lot: data?.lot ?? null,
        expiry: data?.expiry ?? null,
        serial: data?.serial ?? null,
        presentation_id: presentationId,
        result: blocked ? 'blocked' : 'accepted',
        code: blocked?.code ?? null,
        scanned_by: ctx.actor.userId,
        scanned_at: ctx.now,
      });
      await appendAudit(
        trx,
        auditFrom(ctx, 'preparation.vial_scan', {
          outcome: blocked ? 'denied' : 'success',
          patientId: prep.patient_id,
          resourceType: 'preparation',
          resourceId: id,
          details: { scanId, code: blocked?.code ?? null, lot: data?.lot ?? null, gtin: data?.gtin ?? null },
        }),
        deps.ids,
      );
      const saved = (await repo.listScans(trx, scope.cooperationId, id)).find((s) => s.id === scanId)!;
      return { scan: presentScan(saved), blocked };
    }),
  );
  // Saved first, refused after: the blocked attempt stays on record.
  if (outcome.blocked) throw new AppError(outcome.blocked.code, outcome.blocked.message);
  return outcome.scan;
}

/**
 * Records one weighing (a draw in-process, or the finished product) and judges it against the tolerance
 * (gravimetry core: ±5 % above 2 mL, ±8 % at or below, REFERENCE §2.1). A rejected weighing is stored, answers
 * GRAVIMETRIC_OUT_OF_TOLERANCE, and blocks completion until the step is redone and accepted.
 */
export async function recordWeighing(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
  body: WeighingBody,
): Promise<WeighingDto> {
  const scope = scopeOf(ctx);
  // Read what the weighing needs first, then the balance outside any transaction (a real balance takes a moment
  // to settle), then record.
  const pre = await recordingRefusals(deps, ctx, 'weighing', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getPreparation(trx, scope, id, { producerOnly: true });
      const record = await openRecord(trx, ctx, prep, 'A weighing');
      const presentations = await repo.listPresentations(trx, scope.cooperationId, prep.molecule_id, prep.dose_unit);
      return { prep, record, presentations };
    }),
  );
  const plan = revivePlan(pre.record.plan);
  let volumeMl: number;
  let density: number | null;
  let tareG = 0;
  if (body.step === 'draw') {
    const draw = body.drawIndex === null || body.drawIndex === undefined ? undefined : plan.draws[body.drawIndex];
    if (!draw) {
      throw new AppError('VALIDATION_FAILED', 'Name the draw of the plan being weighed', {
        fields: [{ path: 'body.drawIndex', message: `between 0 and ${plan.draws.length - 1}` }],
      });
    }
    volumeMl = draw.volumeMl;
    const presentation = pre.presentations.find((p) => p.id === draw.presentationId);
    density = presentation?.density_g_per_ml == null ? null : Number(presentation.density_g_per_ml);
  } else {
    volumeMl = plan.finalVolumeMl;
    tareG = plan.container.tareMassG;
    // The finished product's content density, as the plan computed its expected mass.
    density = volumeMl > 0 ? (plan.expectedFinishedMassG - tareG) / volumeMl : null;
  }
  const expectedG = volumeMl * (density ?? 1) + tareG;
  let measuredG: number;
  let stable = true;
  let balanceId: string | null = null;
  if (body.source === 'balance') {
    const balance = deps.balanceFor(pre.record.isolator_id);
    if (body.simulateOffsetPercent !== null && body.simulateOffsetPercent !== undefined && !('place' in balance)) {
      throw new AppError('VALIDATION_FAILED', 'Only a simulated balance can be told what to read', {
        fields: [{ path: 'body.simulateOffsetPercent', message: 'not with a connected balance' }],
      });
    }
    if ('place' in balance) balance.place(expectedG, { offsetPercent: body.simulateOffsetPercent ?? 0 });
    const reading = await balance.read();
    measuredG = reading.massG;
    stable = reading.stable;
    balanceId = balance.id;
  } else {
    if (body.measuredG === null || body.measuredG === undefined) {
      throw new AppError('VALIDATION_FAILED', 'Enter the mass read on the balance', {
        fields: [{ path: 'body.measuredG', message: 'required for a manual weighing' }],
      });
    }
    measuredG = body.measuredG;
  }
  const result = checkWeighing({ volumeMl, densityGPerMl: density, tareG, measuredG });
  const warnings = [...result.warnings, ...(stable ? [] : (['UNSTABLE_READING'] as const))];
  const rejected = result.result === 'rejected' || !stable;

  const saved = await recordingRefusals(deps, ctx, 'weighing', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getPreparation(trx, scope, id, { producerOnly: true, forUpdate: true });
      await openRecord(trx, ctx, prep, 'A weighing');
      const weighingId = deps.ids.uuid();
      await repo.insertWeighing(trx, {
        id: weighingId,
        cooperation_id: scope.cooperationId,
        preparation_id: id,
        step: body.step,
        draw_index: body.step === 'draw' ? body.drawIndex! : null,
        volume_ml: volumeMl,
        expected_g: result.expectedG,
        measured_g: result.measuredG,
        tare_g: result.tareG,
        density_used: result.densityUsed,
        deviation_percent: result.deviationPercent,
        limit_percent: result.limitPercent,
        result: rejected ? 'rejected' : 'accepted',
        source: body.source,
        balance_id: balanceId,
        warnings: [...new Set(warnings)],
        weighed_by: ctx.actor.userId,
        weighed_at: ctx.now,
      });
      await appendAudit(
        trx,
        auditFrom(ctx, 'preparation.weighing', {
          outcome: rejected ? 'denied' : 'success',
          patientId: prep.patient_id,
          resourceType: 'preparation',
          resourceId: id,
          details: {
            weighingId,
            step: body.step,
            deviationPercent: result.deviationPercent,
            limitPercent: result.limitPercent,
          },
        }),
        deps.ids,
      );
      return (await repo.listWeighings(trx, scope.cooperationId, id)).find((w) => w.id === weighingId)!;
    }),
  );
  if (rejected) {
    throw new AppError(
      'GRAVIMETRIC_OUT_OF_TOLERANCE',
      stable
        ? `Deviation ${result.deviationPercent} % beyond ±${result.limitPercent} %: redo this step`
        : 'The balance reading was not stable: weigh again',
    );
  }
  return presentWeighing(saved);
}

/** Compounding complete: every vial scanned and every weighing accepted; leftovers become reliquats. */
export async function completeCompounding(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
): Promise<PreparationDetailDto> {
  const scope = scopeOf(ctx);
  await recordingRefusals(deps, ctx, 'compounding_complete', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getPreparation(trx, scope, id, { producerOnly: true, forUpdate: true });
      if (!nextStatus(prep.status, 'complete')) await transition(trx, ctx, deps.ids, prep, 'complete');
      const record = await openRecord(trx, ctx, prep, 'Completion');
      const plan = revivePlan(record.plan);
      const [scans, weighings] = await Promise.all([
        repo.listScans(trx, scope.cooperationId, id),
        repo.listWeighings(trx, scope.cooperationId, id),
      ]);
      const progress = progressOf(plan, labelsOf(record.plan as PreparationPlan), scans, weighings);
      if (!progress.complete) {
        const missing = [
          progress.scansMissing.length
            ? `${progress.scansMissing.reduce((n, s) => n + s.count, 0)} vial(s) to scan`
            : null,
          progress.drawsToWeigh.length ? `${progress.drawsToWeigh.length} draw(s) to weigh` : null,
          progress.finishedProductWeighed ? null : 'the finished product to weigh',
        ].filter(Boolean);
        throw new RefusedAttempt('COMPOUNDING_INCOMPLETE', `Still ${missing.join(', ')}`, prep.patient_id);
      }
      for (const draw of plan.draws) {
        if (draw.source === 'reliquat' && draw.reliquatId) {
          await repo.useReliquat(trx, scope.cooperationId, draw.reliquatId, draw.volumeMl);
        }
      }
      for (const left of plan.leftovers) {
        if (!left.expiresAt || left.remainingVolumeMl <= 0) continue;
        const lot =
          left.lot ?? scans.find((s) => s.result === 'accepted' && s.presentation_id === left.presentationId)?.lot;
        if (!lot) continue;
        await repo.insertReliquat(trx, {
          id: deps.ids.uuid(),
          cooperation_id: scope.cooperationId,
          establishment_id: scope.establishmentId,
          presentation_id: left.presentationId,
          lot,
          opened_at: ctx.now,
          remaining_volume_ml: left.remainingVolumeMl,
          concentration_per_ml: left.concentrationPerMl,
          expires_at: left.expiresAt,
          source_preparation_id: id,
        });
      }
      await repo.updateRecord(trx, scope.cooperationId, id, { completed_at: ctx.now, completed_by: ctx.actor.userId });
      await transition(trx, ctx, deps.ids, prep, 'complete');
      await audit(trx, deps, ctx, 'preparation.compounding_completed', prep);
    }),
  );
  return getPreparationDetail(deps, ctx, id);
}

/** The second-person check: someone other than the operator, or a pharmacist. */
export async function recordSecondCheck(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
  body: SecondCheckBody,
): Promise<PreparationDetailDto> {
  const scope = scopeOf(ctx);
  await recordingRefusals(deps, ctx, 'second_check', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getPreparation(trx, scope, id, { producerOnly: true, forUpdate: true });
      if (!CHECKABLE.includes(prep.status)) {
        throw new RefusedAttempt(
          'PREPARATION_INVALID_TRANSITION',
          `Only a compounded preparation is checked, not one that is ${prep.status.replaceAll('_', ' ')}`,
          prep.patient_id,
        );
      }
      const record = (await repo.findRecord(trx, scope.cooperationId, id))!;
      if (record.checked_at) throw new AppError('CONFLICT', 'This preparation is already checked');
      if (record.operator_id === ctx.actor.userId && !ctx.actor.roles.includes('pharmacist')) {
        throw new RefusedAttempt(
          'SECOND_CHECK_SAME_PERSON',
          'The second check is made by another person than the operator, or by a pharmacist',
          prep.patient_id,
        );
      }
      await repo.updateRecord(trx, scope.cooperationId, id, {
        checked_at: ctx.now,
        checked_by: ctx.actor.userId,
        check_comment: body.comment?.trim() || null,
      });
      await audit(trx, deps, ctx, 'preparation.second_check', prep);
    }),
  );
  return getPreparationDetail(deps, ctx, id);
}

/** Prints the label (PDF or ZPL II), only once compounding is complete; every print is recorded. */
export async function printLabel(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
  body: LabelBody,
): Promise<{ contentType: string; filename: string; body: Buffer | string }> {
  const scope = scopeOf(ctx);
  const data = await recordingRefusals(deps, ctx, 'label', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getPreparation(trx, scope, id, { producerOnly: true });
      if (!LABEL_PRINTABLE.includes(prep.status)) {
        throw new RefusedAttempt(
          'LABEL_BEFORE_COMPLETION',
          `The label is printed once compounding is complete; this preparation is ${prep.status.replaceAll('_', ' ')}`,
          prep.patient_id,
        );
      }
      const record = (await repo.findRecord(trx, scope.cooperationId, id))!;
      const plan = revivePlan(record.plan);
      const ipp = await repo.findIpp(trx, scope.cooperationId, prep.patient_id, prep.establishment_id);
      await repo.insertLabel(trx, {
        id: deps.ids.uuid(),
        cooperation_id: scope.cooperationId,
        preparation_id: id,
        format: body.format,
        copies: body.copies,
        printed_by: ctx.actor.userId,
        printed_at: ctx.now,
      });
      await audit(trx, deps, ctx, 'preparation.label_printed', prep, { format: body.format, copies: body.copies });
      const label: LabelData = {
        preparationId: id,
        patient: labelPatient(prep, ipp?.ipp ?? null),
        drug: prep.molecule_inn_fr,
        dose: Number(prep.dose),
        doseUnit: prep.dose_unit,
        volumeMl: plan.finalVolumeMl,
        route: prep.route,
        container: plan.container.label,
        expiresAt: new Date(record.beyond_use_at),
        storage: { temperatureC: plan.beyondUse.temperatureC, lightProtection: plan.beyondUse.lightProtection },
        destination: { unit: prep.destination_unit_name ?? '—', establishment: prep.establishment_short_name },
        producer: prep.pharmacy_short_name,
        preparedAt: record.completed_at ? new Date(record.completed_at) : ctx.now,
      };
      return label;
    }),
  );
  if (body.format === 'zpl') {
    const one = renderLabelZpl(data);
    return {
      contentType: 'application/zpl; charset=utf-8',
      filename: `etiquette-${id}.zpl`,
      body: one.repeat(body.copies),
    };
  }
  return { contentType: 'application/pdf', filename: `etiquette-${id}.pdf`, body: await renderLabelPdf(data) };
}

/** Pharmaceutical release: pharmacist only (route permission), and only a checked preparation. */
export async function releasePreparation(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
): Promise<PreparationDetailDto> {
  const scope = scopeOf(ctx);
  await recordingRefusals(deps, ctx, 'release', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getPreparation(trx, scope, id, { producerOnly: true, forUpdate: true });
      if (!nextStatus(prep.status, 'release')) await transition(trx, ctx, deps.ids, prep, 'release');
      const record = (await repo.findRecord(trx, scope.cooperationId, id))!;
      if (!record.checked_at) {
        throw new RefusedAttempt(
          'PREPARATION_NOT_CHECKED',
          'A preparation is released only after its second check',
          prep.patient_id,
        );
      }
      if (new Date(record.beyond_use_at) <= ctx.now) {
        throw new RefusedAttempt(
          'PREPARATION_EXPIRED',
          'This preparation is past its beyond-use date',
          prep.patient_id,
        );
      }
      await repo.updateRecord(trx, scope.cooperationId, id, { released_at: ctx.now, released_by: ctx.actor.userId });
      await transition(trx, ctx, deps.ids, prep, 'release');
      await audit(trx, deps, ctx, 'preparation.released', prep);
    }),
  );
  return getPreparationDetail(deps, ctx, id);
}
