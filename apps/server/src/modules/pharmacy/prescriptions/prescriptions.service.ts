import type {
  CumulativeDoseDto,
  CumulativeLimitStatusDto,
  DoseComputationDto,
  DosePreviewBody,
  PrescriptionCreateBody,
  PrescriptionDto,
  TreatmentHistoryDto,
} from '@passerelle/contracts';
import type { Kysely } from 'kysely';
import { appendAudit, auditFrom } from '../../../core/audit.ts';
import { parisDate, type Clock } from '../../../core/clock.ts';
import { actingEstablishment, type RequestContext } from '../../../core/context.ts';
import type { DB, Tx } from '../../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import type { IdGenerator } from '../../../core/ids.ts';
import { assertRecentlyReauthenticated } from '../../identity/index.ts';
import { getPharmacySettings } from '../referential/index.ts';
import { checkCumulativeDoses, clean, type DoseUnit } from '../dosing/index.ts';
import { cumulativeSettings, evaluateChecks } from './check-context.ts';
import { exposureOf } from './checks.ts';
import { addDays, computePrescription, toDosingLine, type DosingRegimen } from './compute.ts';
import { cancelPreparations } from './preparations.ts';
import { presentPrescription, presentSummary, storedChecks } from './prescriptions.presenter.ts';
import * as repo from './prescriptions.repository.ts';

export interface PrescriptionsDeps {
  db: Kysely<DB>;
  ids: IdGenerator;
  clock: Clock;
  /** Passed through to the identity module's re-authentication check. */
  sessionTtlMinutes: number;
}

/**
 * A day 1 more than 30 days back is a transcription of past treatment, not a prescription to compound; more
 * than a year ahead is a typing error.
 */
const DAY1_WINDOW = { pastDays: 30, futureDays: 366 } as const;

type PrescriptionCore = Omit<repo.PrescriptionWithRegimen, 'in_care'>;

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields: [{ path, message }] });
}

/** Signing a prescription or validating it needs the password re-entered within the last minutes. */
export function assertReauthenticated(deps: PrescriptionsDeps, ctx: RequestContext): Promise<void> {
  // Outside any transaction: the check reads the session on `deps.db` (the embedded database has one connection).
  return assertRecentlyReauthenticated(deps, ctx);
}

/** The full DTO of a prescription row: lines with their preparations, fit-to-treat decisions. */
export async function loadPrescriptionDto(
  trx: Tx,
  row: PrescriptionCore,
  checks = storedChecks(row.checks),
): Promise<PrescriptionDto> {
  const [lines, decisions] = await Promise.all([
    repo.listLines(trx, row.cooperation_id, [row.id]),
    repo.listFitToTreat(trx, row.cooperation_id, [row.id]),
  ]);
  return presentPrescription(row, lines, decisions, checks);
}

/** A prescription in the actor's patient scope, or NOT_FOUND (the same answer as a missing one). */
export async function getPrescriptionRow(trx: Tx, ctx: RequestContext, id: string, scope: repo.PatientScope) {
  const row = await repo.findPrescription(trx, ctx, id, scope);
  if (!row) throw notFound('Prescription');
  return row;
}

async function loadRegimenForDosing(trx: Tx, ctx: RequestContext, regimenId: string) {
  const regimen = await repo.findRegimen(trx, ctx.actor.cooperationId, regimenId);
  if (!regimen) throw invalid('body.regimenId', 'No such regimen version');
  if (regimen.status === 'retired') {
    throw new AppError('REGIMEN_RETIRED', 'This regimen version is retired: prescribe its current version', {
      fields: [{ path: 'body.regimenId', message: 'retired' }],
    });
  }
  if (regimen.status !== 'active') throw invalid('body.regimenId', 'This regimen version is a draft');
  const rows = await repo.listRegimenLines(trx, ctx.actor.cooperationId, regimenId);
  const dosingRegimen: DosingRegimen = {
    id: regimen.id,
    code: regimen.code,
    version: regimen.version,
    name: regimen.name,
    cycleLengthDays: regimen.cycle_length_days,
    cycles: regimen.cycles,
  };
  const lines = rows.map(toDosingLine);
  return { regimen: dosingRegimen, lines };
}

/** Loads what dosing needs and computes; throws the dosing core's specific codes on bad input. */
async function computeFor(trx: Tx, ctx: RequestContext, body: DosePreviewBody) {
  const today = parisDate(ctx.now);
  if (body.day1Date < addDays(today, -DAY1_WINDOW.pastDays) || body.day1Date > addDays(today, DAY1_WINDOW.futureDays)) {
    throw invalid('body.day1Date', `Day 1 must be between ${DAY1_WINDOW.pastDays} days ago and one year ahead`);
  }
  const patient = await repo.findPatientInScope(trx, ctx, body.patientId, 'care');
  if (!patient) throw notFound('Patient');
  if (patient.merged_into_id) {
    throw invalid('body.patientId', 'This record was merged: prescribe on the record it was merged into');
  }
  const { regimen, lines } = await loadRegimenForDosing(trx, ctx, body.regimenId);
  const settings = await getPharmacySettings(trx, ctx.actor.cooperationId);
  const computation = computePrescription({
    now: ctx.now,
    today,
    patient: { birthDate: patient.birth_date, sex: patient.sex },
    regimen,
    lines,
    inputs: body,
    settings,
  });
  return { computation, settings };
}

/**
 * The live dose preview as the prescriber types: the full computation (BSA, renal function, each line's dose
 * with its trace, warnings), nothing saved. Reading the patient's age and sex is audited.
 */
export async function previewDoses(
  deps: PrescriptionsDeps,
  ctx: RequestContext,
  body: DosePreviewBody,
): Promise<DoseComputationDto> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const { computation } = await computeFor(trx, ctx, body);
    await appendAudit(
      trx,
      auditFrom(ctx, 'prescription.preview', {
        patientId: body.patientId,
        resourceType: 'regimen',
        resourceId: body.regimenId,
        details: { cycleNumber: body.cycleNumber },
      }),
      deps.ids,
    );
    return computation;
  });
}

/** Member establishments and subcontracting clients prescribe to the shared pharmacy. */
async function assertMayPrescribe(trx: Tx, ctx: RequestContext, establishmentId: string): Promise<void> {
  const establishment = await repo.findEstablishment(trx, ctx.actor.cooperationId, establishmentId);
  if (
    !establishment ||
    !establishment.active ||
    !['member', 'subcontracting_client'].includes(establishment.cooperation_role)
  ) {
    throw forbidden('Your establishment does not prescribe to the shared pharmacy');
  }
}

/**
 * Saves a draft prescription: every input, the full computation with the settings used, and one line per
 * regimen line and administration day. Nothing is saved when any input is refused.
 */
export async function createPrescription(
  deps: PrescriptionsDeps,
  ctx: RequestContext,
  body: PrescriptionCreateBody,
): Promise<PrescriptionDto> {
  const establishmentId = actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    await assertMayPrescribe(trx, ctx, establishmentId);
    const { computation, settings } = await computeFor(trx, ctx, body);
    if (!settings.pharmacyEstablishmentId) {
      throw new AppError('PHARMACY_NOT_CONFIGURED', 'No shared pharmacy is designated for this cooperation yet');
    }
    if (body.destinationUnitId) {
      const unit = await repo.findUnit(trx, ctx.actor.cooperationId, body.destinationUnitId);
      if (!unit || unit.establishment_id !== establishmentId || !unit.active) {
        throw invalid('body.destinationUnitId', 'Not an active unit of your establishment');
      }
    }
    if (body.replacesId) {
      const replaced = await repo.findPrescription(trx, ctx, body.replacesId, 'care');
      if (!replaced || replaced.patient_id !== body.patientId || replaced.status !== 'returned') {
        throw invalid('body.replacesId', 'Only a returned prescription of the same patient can be replaced');
      }
    }
    const id = deps.ids.uuid();
    await repo.insertPrescription(trx, {
      id,
      cooperation_id: ctx.actor.cooperationId,
      patient_id: body.patientId,
      establishment_id: establishmentId,
      pharmacy_establishment_id: settings.pharmacyEstablishmentId,
      prescriber_id: ctx.actor.userId,
      regimen_id: body.regimenId,
      cycle_number: body.cycleNumber,
      day1_date: body.day1Date,
      destination_unit_id: body.destinationUnitId ?? null,
      height_cm: body.heightCm,
      weight_kg: body.weightKg,
      creatinine_value: body.creatinine?.value ?? null,
      creatinine_unit: body.creatinine?.unit ?? null,
      creatinine_date: body.creatinine?.date ?? null,
      computation: JSON.stringify(computation),
      checks: '[]',
      status: 'draft',
      replaces_id: body.replacesId ?? null,
      created_at: ctx.now,
      updated_at: ctx.now,
    });
    await repo.insertLines(
      trx,
      computation.lines.flatMap((line) =>
        line.days.map((day, i) => ({
          id: deps.ids.uuid(),
          cooperation_id: ctx.actor.cooperationId,
          prescription_id: id,
          regimen_line_id: line.regimenLineId,
          molecule_id: line.moleculeId,
          day_of_cycle: day,
          administration_date: line.administrationDates[i]!,
          basis: line.basis,
          protocol_dose: line.protocolDose,
          adjustment_percent: line.adjustmentPercent,
          adjustment_reason: line.adjustmentReason,
          calculated_dose: line.calculatedDose,
          final_dose: line.finalDose,
          dose_unit: line.doseUnit,
          trace: JSON.stringify(line.trace),
        })),
      ),
    );
    await appendAudit(
      trx,
      auditFrom(ctx, 'prescription.create', {
        patientId: body.patientId,
        resourceType: 'prescription',
        resourceId: id,
        details: { regimenId: body.regimenId, cycleNumber: body.cycleNumber, day1Date: body.day1Date },
      }),
      deps.ids,
    );
    const row = await getPrescriptionRow(trx, ctx, id, 'care');
    return loadPrescriptionDto(trx, row);
  });
}

/**
 * Signs a draft (re-authenticated): runs and stores the automatic checks, creates the preparations awaiting
 * validation, and gives the pharmacy a care relationship with the patient so the pharmacist can see them.
 */
export async function signPrescription(
  deps: PrescriptionsDeps,
  ctx: RequestContext,
  id: string,
): Promise<PrescriptionDto> {
  const establishmentId = actingEstablishment(ctx);
  await assertReauthenticated(deps, ctx);
  return deps.db.transaction().execute(async (trx) => {
    const row = await getPrescriptionRow(trx, ctx, id, 'care');
    if (row.establishment_id !== establishmentId) {
      throw forbidden('Only the prescribing establishment signs its prescriptions');
    }
    if (row.status !== 'draft') {
      throw new AppError('CONFLICT', `This prescription is already ${row.status}`);
    }
    const settings = await getPharmacySettings(trx, ctx.actor.cooperationId);
    const checks = await evaluateChecks(trx, row, settings);
    const signed = await repo.transitionPrescription(trx, ctx.actor.cooperationId, id, ['draft'], {
      status: 'signed',
      signed_at: ctx.now,
      // The signer is the prescriber of record (a draft may have been prepared by a colleague).
      prescriber_id: ctx.actor.userId,
      checks: JSON.stringify(checks),
      updated_at: ctx.now,
    });
    if (!signed) throw new AppError('CONFLICT', 'This prescription was signed or cancelled meanwhile');

    const lines = await repo.listLines(trx, ctx.actor.cooperationId, [id]);
    await repo.insertPreparations(
      trx,
      lines.map((line) => ({
        id: deps.ids.uuid(),
        cooperation_id: ctx.actor.cooperationId,
        prescription_id: id,
        prescription_line_id: line.id,
        patient_id: row.patient_id,
        molecule_id: line.molecule_id,
        dose: line.final_dose,
        dose_unit: line.dose_unit,
        administration_date: line.administration_date,
        destination_unit_id: row.destination_unit_id,
        status: 'awaiting_validation',
        created_at: ctx.now,
        updated_at: ctx.now,
      })),
    );

    const today = parisDate(ctx.now);
    const existing = await repo.findActiveCareRelationship(
      trx,
      ctx.actor.cooperationId,
      row.patient_id,
      row.pharmacy_establishment_id,
      today,
    );
    if (!existing) {
      const relationshipId = deps.ids.uuid();
      await repo.insertCareRelationship(trx, {
        id: relationshipId,
        cooperation_id: ctx.actor.cooperationId,
        patient_id: row.patient_id,
        establishment_id: row.pharmacy_establishment_id,
        starts_on: today,
        reason: 'shared pharmacy',
        created_by: ctx.actor.userId,
      });
      await appendAudit(
        trx,
        auditFrom(ctx, 'patient.care_relationship_added', {
          patientId: row.patient_id,
          resourceType: 'care_relationship',
          resourceId: relationshipId,
          details: { establishmentId: row.pharmacy_establishment_id, reason: 'shared pharmacy', prescriptionId: id },
        }),
        deps.ids,
      );
    }
    await appendAudit(
      trx,
      auditFrom(ctx, 'prescription.sign', {
        patientId: row.patient_id,
        resourceType: 'prescription',
        resourceId: id,
        details: { checks: checks.map((c) => `${c.code}:${c.severity}`), preparations: lines.length },
      }),
      deps.ids,
    );
    const fresh = await getPrescriptionRow(trx, ctx, id, 'care');
    return loadPrescriptionDto(trx, fresh);
  });
}

/**
 * Reads a prescription. For the pharmacist of the addressed pharmacy a signed prescription's checks are
 * re-evaluated against the patient's record as it is now, and stored.
 */
export async function getPrescription(
  deps: PrescriptionsDeps,
  ctx: RequestContext,
  id: string,
): Promise<PrescriptionDto> {
  const establishmentId = actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const row = await getPrescriptionRow(trx, ctx, id, 'visible');
    let checks = storedChecks(row.checks);
    if (
      row.status === 'signed' &&
      row.pharmacy_establishment_id === establishmentId &&
      ctx.actor.permissions.has('prescription:validate')
    ) {
      const settings = await getPharmacySettings(trx, ctx.actor.cooperationId);
      checks = await evaluateChecks(trx, row, settings);
      // The prescription row is written before the audit chain head is locked, the order every writer follows.
      await repo.updateChecks(trx, ctx.actor.cooperationId, id, JSON.stringify(checks));
    }
    await appendAudit(
      trx,
      auditFrom(ctx, 'prescription.read', {
        patientId: row.patient_id,
        resourceType: 'prescription',
        resourceId: id,
        emergency: !row.in_care,
      }),
      deps.ids,
    );
    return loadPrescriptionDto(trx, row, checks);
  });
}

/**
 * Cancels a prescription (the prescribing establishment, with a reason) and its preparations not yet
 * administered; a preparation already compounded records the cost of its waste.
 */
export async function cancelPrescription(
  deps: PrescriptionsDeps,
  ctx: RequestContext,
  id: string,
  reason: string,
): Promise<PrescriptionDto> {
  const establishmentId = actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const row = await getPrescriptionRow(trx, ctx, id, 'care');
    if (row.establishment_id !== establishmentId) {
      throw forbidden('Only the prescribing establishment cancels its prescriptions');
    }
    const cancelled = await repo.transitionPrescription(
      trx,
      ctx.actor.cooperationId,
      id,
      ['draft', 'signed', 'validated'],
      { status: 'cancelled', cancelled_at: ctx.now, cancel_reason: reason, updated_at: ctx.now },
    );
    if (!cancelled) {
      const now = await repo.findDecision(trx, ctx.actor.cooperationId, id);
      throw new AppError('CONFLICT', `This prescription is already ${now?.status ?? row.status}`);
    }
    const lines = await repo.listLines(trx, ctx.actor.cooperationId, [id]);
    const preparations = await cancelPreparations(trx, ctx, lines, reason);
    await appendAudit(
      trx,
      auditFrom(ctx, 'prescription.cancel', {
        patientId: row.patient_id,
        resourceType: 'prescription',
        resourceId: id,
        details: { reason, preparationsCancelled: preparations },
      }),
      deps.ids,
    );
    return loadPrescriptionDto(trx, await getPrescriptionRow(trx, ctx, id, 'care'));
  });
}

/**
 * The patient's treatment history: every prescription, and the cumulative doses of validated ones per molecule
 * (cancelled preparations excluded) with their lifetime limits.
 */
export async function getTreatmentHistory(
  deps: PrescriptionsDeps,
  ctx: RequestContext,
  patientId: string,
): Promise<TreatmentHistoryDto> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const patient = await repo.findPatientInScope(trx, ctx, patientId, 'visible');
    if (!patient) throw notFound('Patient');
    const [rows, doses, settings] = await Promise.all([
      repo.listPatientPrescriptions(trx, ctx.actor.cooperationId, patientId),
      repo.listValidatedDoses(trx, ctx.actor.cooperationId, patientId, null),
      getPharmacySettings(trx, ctx.actor.cooperationId),
    ]);
    const byMolecule = new Map<string, CumulativeDoseDto>();
    for (const d of doses) {
      const key = `${d.molecule_id}|${d.dose_unit}`;
      const entry = byMolecule.get(key) ?? {
        moleculeId: d.molecule_id,
        moleculeCode: d.molecule_code,
        moleculeInn: d.molecule_inn,
        moleculeInnFr: d.molecule_inn_fr,
        totalDose: 0,
        doseUnit: d.dose_unit,
        totalPerM2: d.dose_unit === 'mg' ? 0 : null,
        administrations: 0,
      };
      entry.totalDose = clean(entry.totalDose + Number(d.final_dose));
      if (entry.totalPerM2 !== null)
        entry.totalPerM2 = clean(entry.totalPerM2 + Number(d.final_dose) / Number(d.bsa_m2));
      entry.administrations += 1;
      byMolecule.set(key, entry);
    }
    const cumulative = [...byMolecule.values()].map((c) => ({
      ...c,
      totalPerM2: c.totalPerM2 === null ? null : Math.round(c.totalPerM2 * 10) / 10,
    }));
    const limits: CumulativeLimitStatusDto[] = checkCumulativeDoses(
      {
        history: doses.map((d) =>
          exposureOf({
            moleculeCode: d.molecule_code,
            dose: Number(d.final_dose),
            doseUnit: d.dose_unit as DoseUnit,
            bsaM2: Number(d.bsa_m2),
          }),
        ),
        planned: [],
        cardiacRiskFactors: false,
      },
      cumulativeSettings(settings),
    ).map((r) => ({
      limitId: r.limitId,
      severity: r.severity,
      total: r.trace.value,
      limit: r.trace.intermediates.limit,
      unit: r.trace.unit,
      fractionUsed: r.fractionUsed,
      source: r.trace.source,
      warnings: r.trace.warnings,
    }));
    await appendAudit(
      trx,
      auditFrom(ctx, 'prescription.history_read', {
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        emergency: !patient.in_care,
        details: { prescriptions: rows.length },
      }),
      deps.ids,
    );
    return { items: rows.map(presentSummary), cumulative, limits };
  });
}
