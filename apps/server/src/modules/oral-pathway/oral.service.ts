import type {
  MedicalConsultationBody,
  NursingConsultationBody,
  OralConsultationDto,
  OralDocumentDto,
  OralIndicatorsDto,
  OralPlanChangeBody,
  OralStatusChangeBody,
  OralReferentialDto,
  OralSettingsBody,
  OralSettingsDto,
  OralTreatmentCreateBody,
  OralTreatmentDto,
  OralTreatmentSummaryDto,
  PharmaceuticalConsultationBody,
  InteractionCheckBody,
  InteractionFindingDto,
} from '@passerelle/contracts';
import type { Kysely } from 'kysely';
import { appendAudit, auditFrom } from '../../core/audit.ts';
import { parisDate, type Clock } from '../../core/clock.ts';
import { actingEstablishment, type RequestContext } from '../../core/context.ts';
import type { DB, Tx } from '../../core/db/index.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Mailer } from '../../core/mailer.ts';
import { addDays, daysBetween, planFollowUpCalls } from './calendar.ts';
import { CTCAE_TERMS, CTCAE_VERSION, DEFAULT_ALERT_RULES, type AlertRules } from './ctcae.ts';
import { DEFAULT_FOLLOW_UP, findDrug, findPattern, ORAL_DRUGS, type FollowUpSchedule, type OralDrug } from './drugs.ts';
import {
  checkInteractions,
  shippedInteractionBase,
  type InteractionFinding,
  type ReconciledItem,
} from './interactions.ts';
import { renderPatientBooklet, type DocumentExtras, type PlanSnapshot } from './oral.documents.ts';
import * as present from './oral.presenter.ts';
import * as repo from './oral.repository.ts';

export interface OralDeps {
  db: Kysely<DB>;
  ids: IdGenerator;
  clock: Clock;
  mailer: Mailer | undefined;
  /** Public URL of the web app, for the links in mails and patient forms. */
  publicUrl: string;
}

export function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields: [{ path, message }] });
}

/** A start date more than 90 days back is a transcription, more than a year ahead a typing error. */
const START_WINDOW = { pastDays: 90, futureDays: 366 } as const;

// --- referential and settings --------------------------------------------------------------------------

export function getReferential(): OralReferentialDto {
  return {
    drugs: ORAL_DRUGS.map(present.presentDrug),
    ctcae: {
      version: CTCAE_VERSION,
      terms: CTCAE_TERMS.map((t) => ({
        code: t.code,
        termFr: t.termFr,
        termEn: t.termEn,
        grades: t.grades.map((g) => ({ grade: g.grade, definitionFr: g.definitionFr, definitionEn: g.definitionEn })),
      })),
    },
    interactionEntries: shippedInteractionBase().length,
  };
}

export interface EffectiveSettings {
  followedCycles: number;
  patientLinkHours: number;
  alertRules: AlertRules;
  callSchedules: Record<string, FollowUpSchedule>;
  updatedAt: Date | null;
}

export async function effectiveSettings(trx: Tx | Kysely<DB>, cooperationId: string): Promise<EffectiveSettings> {
  const row = await repo.findSettings(trx, cooperationId);
  if (!row) {
    return {
      followedCycles: 3,
      patientLinkHours: 72,
      alertRules: DEFAULT_ALERT_RULES,
      callSchedules: {},
      updatedAt: null,
    };
  }
  return {
    followedCycles: row.followed_cycles,
    patientLinkHours: row.patient_link_hours,
    alertRules: { ...DEFAULT_ALERT_RULES, ...(row.alert_rules as Partial<AlertRules>) },
    callSchedules: (row.call_schedules ?? {}) as Record<string, FollowUpSchedule>,
    updatedAt: row.updated_at,
  };
}

function presentSettings(s: EffectiveSettings): OralSettingsDto {
  return {
    followedCycles: s.followedCycles,
    patientLinkHours: s.patientLinkHours,
    alertRules: s.alertRules,
    callSchedules: s.callSchedules,
    updatedAt: present.iso(s.updatedAt),
  };
}

export function getSettings(deps: OralDeps, ctx: RequestContext): Promise<OralSettingsDto> {
  return effectiveSettings(deps.db, ctx.actor.cooperationId).then(presentSettings);
}

export async function updateSettings(
  deps: OralDeps,
  ctx: RequestContext,
  body: OralSettingsBody,
): Promise<OralSettingsDto> {
  const problems: { path: string; message: string }[] = [];
  for (const term of Object.keys(body.alertRules.termMinGrade)) {
    if (!CTCAE_TERMS.some((t) => t.code === term))
      problems.push({ path: `body.alertRules.termMinGrade.${term}`, message: 'unknown CTCAE term' });
  }
  for (const code of Object.keys(body.callSchedules)) {
    if (!findDrug(code)) problems.push({ path: `body.callSchedules.${code}`, message: 'unknown drug' });
  }
  if (problems.length > 0)
    throw new AppError('VALIDATION_FAILED', 'Some settings name unknown terms or drugs', { fields: problems });
  return deps.db.transaction().execute(async (trx) => {
    await repo.upsertSettings(trx, {
      cooperation_id: ctx.actor.cooperationId,
      call_schedules: JSON.stringify(body.callSchedules),
      followed_cycles: body.followedCycles,
      alert_rules: JSON.stringify(body.alertRules),
      patient_link_hours: body.patientLinkHours,
      updated_at: ctx.now,
      updated_by: ctx.actor.userId,
    });
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.settings_updated', { resourceType: 'oral_settings', details: { ...body } }),
      deps.ids,
    );
    return presentSettings(await effectiveSettings(trx, ctx.actor.cooperationId));
  });
}

// --- treatments ----------------------------------------------------------------------------------------

/** The drug, or UNKNOWN_DRUG: a code outside the shipped referential is never prescribed. */
export function requireDrug(code: string, path = 'body.drugCode'): OralDrug {
  const drug = findDrug(code);
  if (!drug) {
    throw new AppError('UNKNOWN_DRUG', 'This drug is not in the oral anticancer referential', {
      fields: [{ path, message: 'unknown drug' }],
    });
  }
  return drug;
}

function requireSchedule(drug: OralDrug, scheduleCode: string) {
  const pattern = findPattern(scheduleCode);
  if (!pattern || !drug.schedules.includes(scheduleCode)) {
    throw invalid('body.scheduleCode', `Schedule not available for ${drug.inn}: ${drug.schedules.join(', ')}`);
  }
  return pattern;
}

function requireStartDate(ctx: RequestContext, startDate: string): void {
  const today = parisDate(ctx.now);
  if (startDate < addDays(today, -START_WINDOW.pastDays) || startDate > addDays(today, START_WINDOW.futureDays)) {
    throw invalid(
      'body.startDate',
      `The start date must be between ${START_WINDOW.pastDays} days ago and one year ahead`,
    );
  }
}

async function establishmentName(trx: Tx, cooperationId: string, id: string): Promise<string> {
  const row = await trx
    .selectFrom('establishments')
    .select('name')
    .where('cooperation_id', '=', cooperationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name ?? '';
}

async function snapshotOf(trx: Tx, t: repo.TreatmentWithPatient, at: Date): Promise<PlanSnapshot> {
  const names = await repo.userNames(trx, t.cooperation_id, [t.prescriber_id]);
  return {
    treatmentId: t.id,
    planVersion: t.plan_version,
    patient: { displayName: t.display_name, birthDate: t.birth_date },
    drugCode: t.drug_code,
    doseMg: Number(t.dose_mg),
    scheduleCode: t.schedule_code,
    startDate: t.start_date,
    calendarCycles: t.calendar_cycles,
    food: findDrug(t.drug_code)?.food ?? 'with_or_without_food',
    indication: t.indication,
    prescriberName: names.get(t.prescriber_id) ?? '',
    establishmentName: await establishmentName(trx, t.cooperation_id, t.establishment_id),
    dispensingChannel: t.dispensing_channel,
    generatedAt: at.toISOString(),
  };
}

/** Plans the follow-up calls from `from` (today) on, per the drug's schedule or the cooperation's override. */
async function planCalls(trx: Tx, deps: OralDeps, t: repo.TreatmentRow, from: string): Promise<number> {
  const settings = await effectiveSettings(trx, t.cooperation_id);
  const drug = findDrug(t.drug_code)!;
  const pattern = findPattern(t.schedule_code)!;
  const planned = planFollowUpCalls({
    startDate: t.start_date,
    pattern,
    cycles: settings.followedCycles,
    schedule: settings.callSchedules[drug.code] ?? drug.followUp ?? DEFAULT_FOLLOW_UP,
  }).filter((c) => c.dueDate >= from);
  await repo.insertCalls(
    trx,
    planned.map((c) => ({
      id: deps.ids.uuid(),
      cooperation_id: t.cooperation_id,
      treatment_id: t.id,
      due_date: c.dueDate,
      label: c.label,
    })),
  );
  return planned.length;
}

async function newDocumentVersion(trx: Tx, deps: OralDeps, ctx: RequestContext, treatmentId: string, reason: string) {
  const t = await repo.findTreatment(trx, ctx, treatmentId, 'visible');
  if (!t) throw notFound('Treatment');
  await repo.insertDocument(trx, {
    id: deps.ids.uuid(),
    cooperation_id: t.cooperation_id,
    treatment_id: t.id,
    plan_version: t.plan_version,
    snapshot: JSON.stringify(await snapshotOf(trx, t, ctx.now)),
    reason,
    created_by: ctx.actor.userId,
    created_at: ctx.now,
  });
}

/**
 * Starts a patient on an oral anticancer drug: the treatment, its first documents (plan version 1) and
 * its follow-up calls, in one transaction.
 */
export async function createTreatment(
  deps: OralDeps,
  ctx: RequestContext,
  body: OralTreatmentCreateBody,
): Promise<OralTreatmentDto> {
  const establishmentId = actingEstablishment(ctx);
  const drug = requireDrug(body.drugCode);
  requireSchedule(drug, body.scheduleCode);
  requireStartDate(ctx, body.startDate);
  const id = deps.ids.uuid();
  await deps.db.transaction().execute(async (trx) => {
    const patient = await repo.findPatientInScope(trx, ctx, body.patientId, 'care');
    if (!patient) throw notFound('Patient');
    if (patient.merged_into_id)
      throw invalid('body.patientId', 'This record was merged: use the record it was merged into');
    await repo.insertTreatment(trx, {
      id,
      cooperation_id: ctx.actor.cooperationId,
      patient_id: body.patientId,
      establishment_id: establishmentId,
      drug_code: drug.code,
      dose_mg: body.doseMg,
      schedule_code: body.scheduleCode,
      start_date: body.startDate,
      calendar_cycles: body.calendarCycles,
      prescriber_id: ctx.actor.userId,
      dispensing_channel: body.dispensingChannel,
      indication: body.indication,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
      updated_at: ctx.now,
    });
    await newDocumentVersion(trx, deps, ctx, id, 'Primo-prescription');
    const t = (await repo.findTreatment(trx, ctx, id, 'care'))!;
    const calls = await planCalls(trx, deps, t, parisDate(ctx.now));
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.treatment_created', {
        patientId: body.patientId,
        resourceType: 'oral_treatment',
        resourceId: id,
        details: { drugCode: drug.code, scheduleCode: body.scheduleCode, calls },
      }),
      deps.ids,
    );
  });
  return getTreatment(deps, ctx, id);
}

/**
 * A change of dose, schedule, start or calendar length: the next plan version, new patient documents, and
 * the calls still to come re-planned. Optimistic: `version` must be the plan version the user saw.
 */
export async function changePlan(
  deps: OralDeps,
  ctx: RequestContext,
  id: string,
  body: OralPlanChangeBody,
): Promise<OralTreatmentDto> {
  actingEstablishment(ctx);
  await deps.db.transaction().execute(async (trx) => {
    const t = await repo.findTreatment(trx, ctx, id, 'care');
    if (!t) throw notFound('Treatment');
    const drug = requireDrug(t.drug_code);
    const scheduleCode = body.scheduleCode ?? t.schedule_code;
    requireSchedule(drug, scheduleCode);
    const startDate = body.startDate ?? t.start_date;
    if (body.startDate) requireStartDate(ctx, body.startDate);
    const next = {
      dose_mg: body.doseMg ?? Number(t.dose_mg),
      schedule_code: scheduleCode,
      start_date: startDate,
      calendar_cycles: body.calendarCycles ?? t.calendar_cycles,
    };
    if (
      Number(next.dose_mg) === Number(t.dose_mg) &&
      next.schedule_code === t.schedule_code &&
      next.start_date === t.start_date &&
      next.calendar_cycles === t.calendar_cycles
    ) {
      throw invalid('body', 'Nothing changes: give a new dose, schedule, start date or calendar length');
    }
    const updated = await repo.updateTreatmentPlan(trx, ctx.actor.cooperationId, id, body.version, {
      ...next,
      updated_at: ctx.now,
    });
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new AppError('VERSION_CONFLICT', 'The plan was changed by someone else: reload it');
    }
    await newDocumentVersion(trx, deps, ctx, id, body.reason);
    if (next.schedule_code !== t.schedule_code || next.start_date !== t.start_date) {
      await repo.cancelPlannedCalls(trx, ctx.actor.cooperationId, id);
      await planCalls(trx, deps, { ...t, ...next, dose_mg: String(next.dose_mg) }, parisDate(ctx.now));
    }
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.plan_changed', {
        patientId: t.patient_id,
        resourceType: 'oral_treatment',
        resourceId: id,
        details: { fromVersion: body.version, toVersion: body.version + 1 },
      }),
      deps.ids,
    );
  });
  return getTreatment(deps, ctx, id);
}

// --- consultations -------------------------------------------------------------------------------------

function presentFinding(f: InteractionFinding): InteractionFindingDto {
  return { ...f };
}

/** The interaction check on its own (the pharmacist's screen shows it live); stores nothing, no patient data. */
export function previewInteractions(body: InteractionCheckBody): InteractionFindingDto[] {
  const drug = requireDrug(body.drugCode);
  return checkInteractions(drug.code, body.reconciliation as ReconciledItem[]).map(presentFinding);
}

type ConsultationBody =
  | { kind: 'medical'; body: MedicalConsultationBody }
  | { kind: 'pharmaceutical'; body: PharmaceuticalConsultationBody }
  | { kind: 'nursing'; body: NursingConsultationBody };

/**
 * Records one of the three primo-prescription consultations, once per treatment (CONFLICT afterwards).
 * The pharmaceutical one stores the interaction findings as computed at that moment, with their sources,
 * so the record shows what the pharmacist saw even after the knowledge base evolves.
 */
export async function recordConsultation(
  deps: OralDeps,
  ctx: RequestContext,
  treatmentId: string,
  input: ConsultationBody,
): Promise<OralTreatmentDto> {
  actingEstablishment(ctx);
  await deps.db.transaction().execute(async (trx) => {
    const t = await repo.findTreatment(trx, ctx, treatmentId, 'care');
    if (!t) throw notFound('Treatment');
    let content: Record<string, unknown> = { ...input.body };
    let findings = 0;
    if (input.kind === 'pharmaceutical') {
      const interactions = checkInteractions(t.drug_code, input.body.reconciliation as ReconciledItem[]);
      findings = interactions.length;
      content = { ...content, interactions, knowledgeBaseEntries: shippedInteractionBase().length };
    }
    const inserted = await repo.insertConsultation(trx, {
      id: deps.ids.uuid(),
      cooperation_id: ctx.actor.cooperationId,
      treatment_id: treatmentId,
      kind: input.kind,
      author_id: ctx.actor.userId,
      recorded_at: ctx.now,
      content: JSON.stringify(content),
    });
    if (!inserted)
      throw new AppError('CONFLICT', `The ${input.kind} consultation is already recorded for this treatment`);
    await appendAudit(
      trx,
      auditFrom(ctx, `oral.consultation_${input.kind}`, {
        patientId: t.patient_id,
        resourceType: 'oral_treatment',
        resourceId: treatmentId,
        details: input.kind === 'pharmaceutical' ? { interactions: findings } : {},
      }),
      deps.ids,
    );
  });
  return getTreatment(deps, ctx, treatmentId);
}

// --- reading -------------------------------------------------------------------------------------------

/** What the documents quote from the consultations. */
export async function documentExtras(
  trx: Tx | Kysely<DB>,
  cooperationId: string,
  treatmentId: string,
): Promise<DocumentExtras> {
  const rows = await repo.listConsultations(trx, cooperationId, [treatmentId]);
  const of = (kind: string) => rows.find((r) => r.kind === kind)?.content as Record<string, unknown> | undefined;
  const pharma = of('pharmaceutical');
  const nursing = of('nursing');
  return {
    intakePlan: (pharma?.intakePlan as string | undefined) ?? null,
    reconciliation: (pharma?.reconciliation as DocumentExtras['reconciliation'] | undefined) ?? [],
    interactions: (pharma?.interactions as InteractionFinding[] | undefined) ?? [],
    whoToCall: (nursing?.whoToCall as string | undefined) ?? null,
    sideEffectsExplained: (nursing?.sideEffectsExplained as string[] | undefined) ?? [],
    nursingChecklist: (nursing?.checklist as string[] | undefined) ?? [],
  };
}

async function loadTreatmentDto(trx: Tx, ctx: RequestContext, t: repo.TreatmentWithPatient): Promise<OralTreatmentDto> {
  const coop = ctx.actor.cooperationId;
  const [consultations, packets, calls, alerts, documents, reports] = await Promise.all([
    repo.listConsultations(trx, coop, [t.id]),
    repo.listPackets(trx, coop, [t.id]),
    repo.listCalls(trx, coop, [t.id]),
    repo.listAlertsOfTreatments(trx, coop, [t.id]),
    repo.listDocuments(trx, coop, t.id),
    repo.listReports(trx, coop, t.id),
  ]);
  const names = await repo.userNames(trx, coop, [
    t.prescriber_id,
    ...consultations.map((c) => c.author_id),
    ...calls.map((c) => c.done_by),
    ...alerts.map((a) => a.handled_by),
    t.status_changed_by,
  ]);
  const today = parisDate(ctx.now);
  const withPatient = {
    patient_id: t.patient_id,
    display_name: t.display_name,
    birth_date: t.birth_date,
    drug_code: t.drug_code,
  };
  return {
    ...present.presentSummary(t, consultations, packets, alerts, calls),
    version: t.plan_version,
    statusChange:
      t.status_reason && t.status_changed_at
        ? {
            reason: t.status_reason,
            at: present.iso(t.status_changed_at)!,
            byName: t.status_changed_by ? (names.get(t.status_changed_by) ?? null) : null,
          }
        : null,
    calendarCycles: t.calendar_cycles,
    dispensingChannel: t.dispensing_channel,
    indication: t.indication,
    prescriberName: names.get(t.prescriber_id) ?? '',
    food: findDrug(t.drug_code)?.food ?? 'with_or_without_food',
    consultationRecords: consultations.map((c): OralConsultationDto => ({
      kind: c.kind,
      authorName: names.get(c.author_id) ?? '',
      recordedAt: present.iso(c.recorded_at)!,
      content: c.content as Record<string, unknown>,
    })),
    documents: documents.map((d): OralDocumentDto => ({
      id: d.id,
      planVersion: d.plan_version,
      reason: d.reason,
      createdAt: present.iso(d.created_at)!,
    })),
    packetList: packets.map(present.presentPacket),
    calls: calls.map((c) => present.presentCall(c, today, names)),
    alerts: alerts.map((a) => present.presentAlert({ ...a, ...withPatient }, names)),
    patientReports: reports.map((r) => ({
      id: r.id,
      submittedAt: present.iso(r.submitted_at)!,
      symptoms: r.symptoms as { term: string; grade: number }[],
      adherence: r.adherence as OralTreatmentDto['patientReports'][number]['adherence'],
    })),
  };
}

export async function getTreatment(deps: OralDeps, ctx: RequestContext, id: string): Promise<OralTreatmentDto> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const t = await repo.findTreatment(trx, ctx, id, 'visible');
    if (!t) throw notFound('Treatment');
    const dto = await loadTreatmentDto(trx, ctx, t);
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.treatment_read', {
        patientId: t.patient_id,
        resourceType: 'oral_treatment',
        resourceId: id,
        emergency: !t.in_care,
      }),
      deps.ids,
    );
    return dto;
  });
}

/** Which decisions each status allows: a stop is final (a new treatment is prescribed instead). */
const STATUS_TRANSITIONS: Record<'active' | 'held' | 'stopped', readonly ('active' | 'held' | 'stopped')[]> = {
  active: ['held', 'stopped'],
  held: ['active', 'stopped'],
  stopped: [],
};

/**
 * Hold, resume or stop a treatment, with the reason (a medical decision). Stopping cancels the follow-up calls
 * still planned; holding keeps them (the nurse calls to follow the toxicity). Refused when the treatment is not
 * in the actor's establishment's care (404) or when the change does not follow from its current status (409).
 */
export async function changeTreatmentStatus(
  deps: OralDeps,
  ctx: RequestContext,
  id: string,
  body: OralStatusChangeBody,
): Promise<OralTreatmentDto> {
  actingEstablishment(ctx);
  await deps.db.transaction().execute(async (trx) => {
    const t = await repo.findTreatment(trx, ctx, id, 'care');
    if (!t) throw notFound('Treatment');
    if (!STATUS_TRANSITIONS[t.status].includes(body.status)) {
      throw new AppError(
        'CONFLICT',
        t.status === 'stopped'
          ? 'This treatment is stopped: prescribe a new one to start again'
          : `This treatment is already ${t.status}`,
      );
    }
    const updated = await repo.setTreatmentStatus(trx, ctx.actor.cooperationId, id, body.status, ctx.now, {
      reason: body.reason,
      by: ctx.actor.userId,
      from: t.status,
    });
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new AppError('CONFLICT', 'The treatment was changed by someone else: reload it');
    }
    if (body.status === 'stopped') await repo.cancelPlannedCalls(trx, ctx.actor.cooperationId, id);
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.status_changed', {
        patientId: t.patient_id,
        resourceType: 'oral_treatment',
        resourceId: id,
        details: { from: t.status, to: body.status },
      }),
      deps.ids,
    );
  });
  return getTreatment(deps, ctx, id);
}

/** The pathway board: each patient's progress through the three consultations, packets, calls and alerts. */
export async function listBoard(deps: OralDeps, ctx: RequestContext): Promise<{ items: OralTreatmentSummaryDto[] }> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.listTreatmentsInCare(trx, ctx, 500);
    const ids = rows.map((r) => r.id);
    const coop = ctx.actor.cooperationId;
    const [consultations, packets, alerts, calls] = await Promise.all([
      repo.listConsultations(trx, coop, ids),
      repo.listPackets(trx, coop, ids),
      repo.listAlertsOfTreatments(trx, coop, ids),
      repo.listCalls(trx, coop, ids),
    ]);
    await appendAudit(trx, auditFrom(ctx, 'oral.board_read', { details: { results: rows.length } }), deps.ids);
    return { items: rows.map((t) => present.presentSummary(t, consultations, packets, alerts, calls)) };
  });
}

/** A plan version's patient booklet as PDF, rendered from the version's snapshot. */
export async function getDocumentPdf(
  deps: OralDeps,
  ctx: RequestContext,
  documentId: string,
): Promise<{ pdf: Buffer; filename: string }> {
  actingEstablishment(ctx);
  const { snapshot, extras } = await deps.db.transaction().execute(async (trx) => {
    const doc = await repo.findDocument(trx, ctx.actor.cooperationId, documentId);
    if (!doc) throw notFound('Document');
    const t = await repo.findTreatment(trx, ctx, doc.treatment_id, 'visible');
    if (!t) throw notFound('Document');
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.document_downloaded', {
        patientId: t.patient_id,
        resourceType: 'oral_document',
        resourceId: documentId,
        emergency: !t.in_care,
        details: { planVersion: doc.plan_version },
      }),
      deps.ids,
    );
    return { snapshot: doc.snapshot as PlanSnapshot, extras: await documentExtras(trx, ctx.actor.cooperationId, t.id) };
  });
  const pdf = await renderPatientBooklet(snapshot, extras);
  return { pdf, filename: `plan-de-traitement-v${snapshot.planVersion}.pdf` };
}

// --- indicators ----------------------------------------------------------------------------------------

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const share = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 10);

/**
 * Indicators over the treatments of patients the actor's establishment cares for: share of
 * primo-prescriptions with all three consultations, median days from start to the first call made,
 * packets acknowledged, alerts and their median handling time.
 */
export async function getIndicators(deps: OralDeps, ctx: RequestContext): Promise<OralIndicatorsDto> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.indicatorRows(trx, ctx);
    const ids = rows.map((r) => r.id);
    const coop = ctx.actor.cooperationId;
    const [packets, alerts] = await Promise.all([
      repo.listPackets(trx, coop, ids),
      repo.listAlertsOfTreatments(trx, coop, ids),
    ]);
    const complete = rows.filter((r) => Number(r.consultations) === 3).length;
    const delays = rows
      .filter((r) => r.first_call_at)
      .map((r) => daysBetween(r.start_date, parisDate(new Date(r.first_call_at!))));
    const sent = packets.filter((p) => p.status === 'sent' || p.status === 'acknowledged');
    const acknowledged = packets.filter((p) => p.status === 'acknowledged').length;
    const handled = alerts.filter((a) => a.handled_at);
    await appendAudit(trx, auditFrom(ctx, 'oral.indicators_read', { details: { treatments: rows.length } }), deps.ids);
    return {
      treatments: rows.length,
      withAllThreeConsultations: complete,
      shareWithAllThreeConsultations: share(complete, rows.length),
      medianDaysToFirstCall: median(delays),
      packetsSent: sent.length,
      packetsAcknowledged: acknowledged,
      shareAcknowledged: share(acknowledged, sent.length),
      alerts: alerts.length,
      alertsHandled: handled.length,
      medianAlertHandlingHours: median(
        handled.map((a) => Math.round(((a.handled_at!.getTime() - a.raised_at.getTime()) / 3_600_000) * 10) / 10),
      ),
    };
  });
}
