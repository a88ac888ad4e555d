import type {
  AdherenceValue,
  CallActionValue,
  CommunityProfessionalDto,
  ConsultationKindValue,
  OralAlertDto,
  OralCallDto,
  OralDrugDto,
  OralPacketDto,
  OralPatientDto,
  OralTreatmentSummaryDto,
} from '@passerelle/contracts';
import { findDrug, findPattern, SCHEDULE_PATTERNS, type OralDrug } from './drugs.ts';
import type * as repo from './oral.repository.ts';

/** Rows → DTOs with explicit field lists, so a new column never leaks. */

export const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function drugName(code: string): string {
  return findDrug(code)?.innFr ?? code;
}

export function scheduleLabel(code: string): string {
  return findPattern(code)?.labelFr ?? code;
}

export function presentDrug(d: OralDrug): OralDrugDto {
  return {
    code: d.code,
    inn: d.inn,
    innFr: d.innFr,
    atc: d.atc,
    strengthsMg: [...d.strengthsMg],
    form: d.form,
    schedules: SCHEDULE_PATTERNS.filter((p) => d.schedules.includes(p.code)).map((p) => ({
      code: p.code,
      labelFr: p.labelFr,
      labelEn: p.labelEn,
    })),
    food: d.food,
    usualDoseFr: d.usualDoseFr,
    source: d.source,
  };
}

export function presentPatient(row: { patient_id: string; display_name: string; birth_date: string }): OralPatientDto {
  return { id: row.patient_id, displayName: row.display_name, birthDate: row.birth_date };
}

export function presentSummary(
  t: repo.TreatmentWithPatient,
  consultations: { treatment_id: string; kind: string }[],
  packets: { treatment_id: string; status: string }[],
  alerts: { treatment_id: string; status: string }[],
  calls: { treatment_id: string; status: string; due_date: string }[],
): OralTreatmentSummaryDto {
  const kinds = new Set(consultations.filter((c) => c.treatment_id === t.id).map((c) => c.kind));
  const mine = packets.filter((p) => p.treatment_id === t.id);
  const next = calls
    .filter((c) => c.treatment_id === t.id && c.status === 'planned')
    .map((c) => c.due_date)
    .sort()[0];
  return {
    id: t.id,
    patient: presentPatient(t),
    drugCode: t.drug_code,
    drugName: drugName(t.drug_code),
    doseMg: Number(t.dose_mg),
    scheduleCode: t.schedule_code,
    scheduleLabel: scheduleLabel(t.schedule_code),
    startDate: t.start_date,
    status: t.status,
    consultations: {
      medical: kinds.has('medical'),
      pharmaceutical: kinds.has('pharmaceutical'),
      nursing: kinds.has('nursing'),
    } satisfies Record<ConsultationKindValue, boolean>,
    packets: {
      total: mine.length,
      acknowledged: mine.filter((p) => p.status === 'acknowledged').length,
      pending: mine.filter((p) => p.status === 'queued' || p.status === 'failed').length,
    },
    openAlerts: alerts.filter((a) => a.treatment_id === t.id && a.status === 'open').length,
    nextCallDate: next ?? null,
  };
}

export function communityName(row: { title: string | null; first_name: string; last_name: string }): string {
  return [row.title, row.first_name, row.last_name].filter(Boolean).join(' ');
}

export function presentPacket(
  row: repo.PacketRow & {
    recipient_kind: 'gp' | 'pharmacist' | 'nurse';
    first_name: string;
    last_name: string;
    title: string | null;
    secure_email: string;
  },
): OralPacketDto {
  return {
    id: row.id,
    recipient: {
      id: row.recipient_id,
      kind: row.recipient_kind,
      name: communityName(row),
      secureEmail: row.secure_email,
    },
    planVersion: row.plan_version,
    status: row.status,
    sendCount: row.send_count,
    attempts: row.attempts,
    lastError: row.last_error,
    sentAt: iso(row.sent_at),
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedVia: row.acknowledged_via,
    createdAt: iso(row.created_at)!,
  };
}

export function presentCall(row: repo.CallRow, today: string, names: Map<string, string>): OralCallDto {
  return {
    id: row.id,
    treatmentId: row.treatment_id,
    dueDate: row.due_date,
    label: row.label,
    status: row.status,
    overdue: row.status === 'planned' && row.due_date < today,
    doneAt: iso(row.done_at),
    doneByName: row.done_by ? (names.get(row.done_by) ?? null) : null,
    reached: row.reached,
    symptoms: (row.symptoms as { term: string; grade: number }[] | null) ?? [],
    adherence: row.adherence as AdherenceValue | null,
    action: row.action as CallActionValue | null,
    notes: row.notes,
  };
}

export function presentAlert(
  row: repo.AlertRow & { patient_id: string; display_name: string; birth_date: string; drug_code: string },
  names: Map<string, string>,
): OralAlertDto {
  return {
    id: row.id,
    treatmentId: row.treatment_id,
    patient: presentPatient(row),
    drugName: drugName(row.drug_code),
    source: row.source,
    term: row.term,
    grade: row.grade,
    rule: row.rule,
    raisedAt: iso(row.raised_at)!,
    status: row.status,
    handledAt: iso(row.handled_at),
    handledByName: row.handled_by ? (names.get(row.handled_by) ?? null) : null,
    handlingNote: row.handling_note,
  };
}

export function presentCommunity(row: {
  id: string;
  kind: 'gp' | 'pharmacist' | 'nurse';
  rpps: string | null;
  title: string | null;
  first_name: string;
  last_name: string;
  city: string | null;
  phone: string | null;
  secure_email: string;
  user_id: string | null;
}): CommunityProfessionalDto {
  return {
    id: row.id,
    kind: row.kind,
    rpps: row.rpps,
    title: row.title,
    firstName: row.first_name,
    lastName: row.last_name,
    city: row.city,
    phone: row.phone,
    secureEmail: row.secure_email,
    hasAccount: row.user_id !== null,
  };
}
