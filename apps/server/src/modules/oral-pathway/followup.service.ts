import type {
  CallRecordBody,
  OralAlertDto,
  OralCallDto,
  PatientFormDto,
  PatientLinkDto,
  PatientReportBody,
} from '@passerelle/contracts';
import { appendAudit, auditFrom } from '../../core/audit.ts';
import { parisDate } from '../../core/clock.ts';
import { actingEstablishment, type RequestContext } from '../../core/context.ts';
import type { Tx } from '../../core/db/index.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { sha256 } from '../../core/http/auth-plugin.ts';
import { randomSecret } from '../../core/ids.ts';
import { addDays } from './calendar.ts';
import { CTCAE_TERMS, evaluateAlerts, symptomProblems, type GradedSymptom } from './ctcae.ts';
import * as present from './oral.presenter.ts';
import * as repo from './oral.repository.ts';
import { effectiveSettings, type OralDeps } from './oral.service.ts';

/**
 * Home follow-up: the nurse coordinator's worklist, call records graded by CTCAE, patient-reported forms
 * reached by an expiring single-use link, and the alerts both raise for the physician.
 */

function assertSymptoms(symptoms: GradedSymptom[]): void {
  const problems = symptomProblems(symptoms);
  if (problems.length > 0)
    throw new AppError('VALIDATION_FAILED', 'Some symptoms are not graded on the CTCAE scale', { fields: problems });
}

async function raiseAlerts(
  trx: Tx,
  deps: OralDeps,
  input: {
    cooperationId: string;
    treatmentId: string;
    source: 'call' | 'patient_report';
    sourceId: string;
    symptoms: GradedSymptom[];
    adherence: string | null;
    at: Date;
  },
): Promise<number> {
  const settings = await effectiveSettings(trx, input.cooperationId);
  const alerts = evaluateAlerts(input.symptoms, input.adherence, settings.alertRules);
  await repo.insertAlerts(
    trx,
    alerts.map((a) => ({
      id: deps.ids.uuid(),
      cooperation_id: input.cooperationId,
      treatment_id: input.treatmentId,
      source: input.source,
      source_id: input.sourceId,
      term: a.term,
      grade: a.grade,
      rule: a.rule,
      raised_at: input.at,
    })),
  );
  return alerts.length;
}

export interface WorklistItem extends OralCallDto {
  patient: { id: string; displayName: string; birthDate: string };
  drugName: string;
}

/** Planned calls due within `horizonDays` (overdue ones first), for patients the establishment cares for. */
export async function getWorklist(
  deps: OralDeps,
  ctx: RequestContext,
  horizonDays: number,
): Promise<{ items: WorklistItem[] }> {
  actingEstablishment(ctx);
  const today = parisDate(ctx.now);
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.listDueCalls(trx, ctx, addDays(today, horizonDays));
    await appendAudit(trx, auditFrom(ctx, 'oral.worklist_read', { details: { results: rows.length } }), deps.ids);
    const names = new Map<string, string>();
    return {
      items: rows.map((r) => ({
        ...present.presentCall(r, today, names),
        patient: { id: r.patient_id, displayName: r.display_name, birthDate: r.birth_date },
        drugName: present.drugName(r.drug_code),
      })),
    };
  });
}

/**
 * Records a follow-up call: symptoms graded by CTCAE, adherence, action taken. Alerts follow the
 * cooperation's rules; "treatment held" puts the treatment on hold.
 */
export async function recordCall(
  deps: OralDeps,
  ctx: RequestContext,
  callId: string,
  body: CallRecordBody,
): Promise<OralCallDto & { alertsRaised: number }> {
  actingEstablishment(ctx);
  assertSymptoms(body.symptoms);
  if (!body.reached && body.symptoms.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'A call that did not reach the patient records no symptom', {
      fields: [{ path: 'body.symptoms', message: 'patient not reached' }],
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const call = await repo.findCallInScope(trx, ctx, callId);
    if (!call) throw notFound('Call');
    if (call.status !== 'planned') throw new AppError('CONFLICT', `This call is already ${call.status}`);
    const updated = await repo.recordCall(trx, callId, {
      done_at: ctx.now,
      done_by: ctx.actor.userId,
      reached: body.reached,
      symptoms: JSON.stringify(body.symptoms),
      adherence: body.adherence ?? null,
      action: body.action,
      notes: body.notes ?? null,
    });
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'This call was recorded meanwhile');
    const alertsRaised = await raiseAlerts(trx, deps, {
      cooperationId: ctx.actor.cooperationId,
      treatmentId: call.treatment_id,
      source: 'call',
      sourceId: callId,
      symptoms: body.symptoms,
      adherence: body.adherence ?? null,
      at: ctx.now,
    });
    if (body.action === 'treatment_held')
      await repo.setTreatmentStatus(trx, ctx.actor.cooperationId, call.treatment_id, 'held', ctx.now);
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.call_recorded', {
        patientId: call.patient_id,
        resourceType: 'oral_followup_call',
        resourceId: callId,
        details: {
          reached: body.reached,
          action: body.action,
          alerts: alertsRaised,
          maxGrade: Math.max(0, ...body.symptoms.map((s) => s.grade)),
        },
      }),
      deps.ids,
    );
    const [row] = (await repo.listCalls(trx, ctx.actor.cooperationId, [call.treatment_id])).filter(
      (c) => c.id === callId,
    );
    const names = await repo.userNames(trx, ctx.actor.cooperationId, [ctx.actor.userId]);
    return { ...present.presentCall(row!, parisDate(ctx.now), names), alertsRaised };
  });
}

/**
 * A link for the patient's self-report, valid for the cooperation's configured hours and for one
 * submission. Only the token's SHA-256 is stored; the token is shown once.
 */
export async function createPatientLink(
  deps: OralDeps,
  ctx: RequestContext,
  treatmentId: string,
): Promise<PatientLinkDto> {
  actingEstablishment(ctx);
  const token = randomSecret(32);
  return deps.db.transaction().execute(async (trx) => {
    const t = await repo.findTreatment(trx, ctx, treatmentId, 'care');
    if (!t) throw notFound('Treatment');
    const settings = await effectiveSettings(trx, ctx.actor.cooperationId);
    const expiresAt = new Date(ctx.now.getTime() + settings.patientLinkHours * 3_600_000);
    const id = deps.ids.uuid();
    await repo.insertLink(trx, {
      id,
      cooperation_id: ctx.actor.cooperationId,
      treatment_id: treatmentId,
      token_hash: sha256(token),
      expires_at: expiresAt,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
    });
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.patient_link_created', {
        patientId: t.patient_id,
        resourceType: 'oral_patient_link',
        resourceId: id,
        details: { expiresAt: expiresAt.toISOString() },
      }),
      deps.ids,
    );
    return { token, url: `${deps.publicUrl.replace(/\/$/, '')}/suivi#${token}`, expiresAt: expiresAt.toISOString() };
  });
}

/** The link, or the reason it cannot be used: unknown, expired, already used. */
async function usableLink(trx: Tx, token: string, now: Date) {
  const link = await repo.findLinkByHashForSystem(trx, sha256(token));
  if (!link) throw new AppError('LINK_INVALID', 'This follow-up link is not valid');
  if (link.used_at)
    throw new AppError('LINK_ALREADY_USED', 'This follow-up form was already sent: ask the care team for a new link');
  if (link.expires_at.getTime() <= now.getTime()) {
    throw new AppError('LINK_EXPIRED', 'This follow-up link has expired: ask the care team for a new link');
  }
  return link;
}

/** The form behind a patient link: the drug's name and the symptoms to grade, no identity. */
export async function getPatientForm(deps: OralDeps, token: string, now: Date): Promise<PatientFormDto> {
  return deps.db.transaction().execute(async (trx) => {
    const link = await usableLink(trx, token, now);
    return {
      drugName: present.drugName(link.drug_code),
      expiresAt: link.expires_at.toISOString(),
      terms: CTCAE_TERMS.map((t) => ({
        code: t.code,
        termFr: t.termFr,
        options: t.grades.map((g) => ({ grade: g.grade, labelFr: g.patientFr })),
      })),
    };
  });
}

/**
 * The patient's answers: stored once (the link is consumed in the same transaction, and the report's
 * unique link id refuses a concurrent second one), raising the same alerts as a call. Bad answers are
 * refused before the link is consumed, so the patient can correct them.
 */
export async function submitPatientReport(
  deps: OralDeps,
  token: string,
  body: PatientReportBody,
  now: Date,
  requestId: string,
): Promise<{ received: true; alertsRaised: number }> {
  assertSymptoms(body.symptoms);
  return deps.db.transaction().execute(async (trx) => {
    const link = await usableLink(trx, token, now);
    if (!(await repo.useLink(trx, link.id, now))) {
      throw new AppError('LINK_ALREADY_USED', 'This follow-up form was already sent: ask the care team for a new link');
    }
    const id = deps.ids.uuid();
    await repo.insertReport(trx, {
      id,
      cooperation_id: link.cooperation_id,
      treatment_id: link.treatment_id,
      link_id: link.id,
      submitted_at: now,
      symptoms: JSON.stringify(body.symptoms),
      adherence: body.adherence,
      comment: body.comment ?? null,
    });
    const alertsRaised = await raiseAlerts(trx, deps, {
      cooperationId: link.cooperation_id,
      treatmentId: link.treatment_id,
      source: 'patient_report',
      sourceId: id,
      symptoms: body.symptoms,
      adherence: body.adherence,
      at: now,
    });
    await appendAudit(
      trx,
      {
        cooperationId: link.cooperation_id,
        occurredAt: now,
        actorUserId: null,
        actorEstablishmentId: null,
        actorLabel: 'patient:follow-up-link',
        action: 'oral.patient_report_submitted',
        outcome: 'success',
        patientId: link.patient_id,
        resourceType: 'oral_patient_report',
        resourceId: id,
        requestId,
        details: { alerts: alertsRaised },
      },
      deps.ids,
    );
    return { received: true as const, alertsRaised };
  });
}

export async function listAlerts(
  deps: OralDeps,
  ctx: RequestContext,
  status: 'open' | 'handled',
): Promise<{ items: OralAlertDto[] }> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.listAlertsInCare(trx, ctx, status);
    const names = await repo.userNames(
      trx,
      ctx.actor.cooperationId,
      rows.map((r) => r.handled_by),
    );
    await appendAudit(trx, auditFrom(ctx, 'oral.alerts_read', { details: { status, results: rows.length } }), deps.ids);
    return { items: rows.map((r) => present.presentAlert(r, names)) };
  });
}

/** Records who handled an alert, when, and how. */
export async function handleAlert(
  deps: OralDeps,
  ctx: RequestContext,
  alertId: string,
  note: string,
): Promise<OralAlertDto> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const alert = await repo.findAlertInScope(trx, ctx, alertId);
    if (!alert) throw notFound('Alert');
    const updated = await repo.handleAlert(trx, alertId, ctx.actor.userId, note, ctx.now);
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'This alert was already handled');
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.alert_handled', {
        patientId: alert.patient_id,
        resourceType: 'oral_alert',
        resourceId: alertId,
      }),
      deps.ids,
    );
    const rows = await repo.listAlertsInCare(trx, ctx, 'handled');
    const names = await repo.userNames(trx, ctx.actor.cooperationId, [ctx.actor.userId]);
    return present.presentAlert(
      rows.find((r) => r.id === alertId)!,
      names,
    );
  });
}
