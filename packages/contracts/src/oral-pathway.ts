import { z } from 'zod';

/*
 * Oral anticancer pathway (parcours ville-hôpital): treatments, the three primo-prescription consultations,
 * versioned patient documents, the community directory and transmission packets, home follow-up (calls,
 * patient-reported forms, alerts) and indicators. Value lists mirror migrations/0009_oral_pathway.sql.
 */

export const DISPENSING_CHANNEL_VALUES = ['community_pharmacy', 'hospital_retrocession'] as const;
export const CONSULTATION_KIND_VALUES = ['medical', 'pharmaceutical', 'nursing'] as const;
export type ConsultationKindValue = (typeof CONSULTATION_KIND_VALUES)[number];
export const COMMUNITY_KIND_VALUES = ['gp', 'pharmacist', 'nurse'] as const;
export type CommunityKindValue = (typeof COMMUNITY_KIND_VALUES)[number];
export const PACKET_STATUS_VALUES = ['queued', 'sent', 'failed', 'acknowledged'] as const;
export type PacketStatusValue = (typeof PACKET_STATUS_VALUES)[number];
export const ADHERENCE_VALUES = ['full', 'partial', 'missed_doses', 'stopped'] as const;
export type AdherenceValue = (typeof ADHERENCE_VALUES)[number];
export const CALL_ACTION_VALUES = ['none', 'advice', 'physician_referral', 'treatment_held'] as const;
export type CallActionValue = (typeof CALL_ACTION_VALUES)[number];
export const RECONCILED_KIND_VALUES = ['prescription', 'self_medication', 'herbal', 'food', 'other'] as const;
export const INFORMATION_GIVEN_VALUES = [
  'diagnosis_and_goal',
  'treatment_schedule',
  'side_effects',
  'drug_sheet',
  'follow_up_booklet',
  'contraception',
] as const;
export const NURSING_CHECKLIST_VALUES = [
  'intake_times',
  'missed_dose',
  'storage_and_handling',
  'hand_washing',
  'elimination_precautions',
  'calendar_explained',
  'diary_explained',
] as const;

const isoDate = z.iso.date();
const shortText = z.string().trim().min(1).max(200);
const longText = z.string().trim().max(2000);

// --- requests --------------------------------------------------------------------------------------------

export const OralTreatmentCreateBody = z.strictObject({
  patientId: z.uuid(),
  drugCode: z.string().trim().min(2).max(64),
  doseMg: z.number().positive().max(10_000),
  scheduleCode: z.string().trim().min(2).max(64),
  startDate: isoDate,
  calendarCycles: z.number().int().min(1).max(12).default(1),
  dispensingChannel: z.enum(DISPENSING_CHANNEL_VALUES),
  indication: z.string().trim().min(3).max(500),
});
export type OralTreatmentCreateBody = z.infer<typeof OralTreatmentCreateBody>;

/** A change of dose, schedule or start date: a new plan version and new patient documents. */
export const OralPlanChangeBody = z.strictObject({
  doseMg: z.number().positive().max(10_000).optional(),
  scheduleCode: z.string().trim().min(2).max(64).optional(),
  startDate: isoDate.optional(),
  calendarCycles: z.number().int().min(1).max(12).optional(),
  reason: z.string().trim().min(3).max(500),
  version: z.number().int().min(1),
});
export type OralPlanChangeBody = z.infer<typeof OralPlanChangeBody>;

/** Hold (toxicity, surgery…), resume, or stop (progression, intolerance…) a treatment, with the reason. */
export const OralStatusChangeBody = z.strictObject({
  status: z.enum(['active', 'held', 'stopped']),
  reason: z.string().trim().min(3).max(500),
});
export type OralStatusChangeBody = z.infer<typeof OralStatusChangeBody>;

export const MedicalConsultationBody = z.strictObject({
  indication: z.string().trim().min(3).max(500),
  doseConfirmed: z.boolean(),
  scheduleConfirmed: z.boolean(),
  informationGiven: z.array(z.enum(INFORMATION_GIVEN_VALUES)).max(10),
  notes: longText.nullish(),
});
export type MedicalConsultationBody = z.infer<typeof MedicalConsultationBody>;

export const ReconciledItemInput = z.strictObject({
  name: shortText,
  kind: z.enum(RECONCILED_KIND_VALUES),
  dosage: z.string().trim().max(200).nullish(),
});
export const PharmaceuticalConsultationBody = z.strictObject({
  reconciliation: z.array(ReconciledItemInput).max(60),
  intakePlan: z.string().trim().min(3).max(2000),
  /** What the pharmacist decided about each flagged interaction (free text). */
  interactionDecisions: longText.nullish(),
  notes: longText.nullish(),
});
export type PharmaceuticalConsultationBody = z.infer<typeof PharmaceuticalConsultationBody>;

export const InteractionCheckBody = z.strictObject({
  drugCode: z.string().trim().min(2).max(64),
  reconciliation: z.array(ReconciledItemInput).max(60),
});
export type InteractionCheckBody = z.infer<typeof InteractionCheckBody>;

export const NursingConsultationBody = z.strictObject({
  checklist: z.array(z.enum(NURSING_CHECKLIST_VALUES)).max(20),
  sideEffectsExplained: z.array(z.string().trim().min(2).max(80)).max(20),
  whoToCall: z.string().trim().min(3).max(500),
  notes: longText.nullish(),
});
export type NursingConsultationBody = z.infer<typeof NursingConsultationBody>;

export const CommunityProfessionalBody = z.strictObject({
  kind: z.enum(COMMUNITY_KIND_VALUES),
  rpps: z.string().trim().max(20).nullish(),
  title: z.string().trim().max(20).nullish(),
  firstName: shortText,
  lastName: shortText,
  city: z.string().trim().max(100).nullish(),
  phone: z.string().trim().max(30).nullish(),
  secureEmail: z.email().max(200),
  /** The professional's Passerelle account (role community_professional), so they can read what is sent to them. */
  userId: z.uuid().nullish(),
});
export type CommunityProfessionalBody = z.infer<typeof CommunityProfessionalBody>;

export const SendPacketsBody = z.strictObject({ recipientIds: z.array(z.uuid()).min(1).max(10) });
export type SendPacketsBody = z.infer<typeof SendPacketsBody>;
export const EmptyBody = z.strictObject({});
export const AcknowledgeBody = z.strictObject({ token: z.string().trim().min(20).max(200) });

export const GradedSymptomInput = z.strictObject({
  term: z.string().trim().min(2).max(64),
  grade: z.number().int().min(1).max(5),
});
export const CallRecordBody = z.strictObject({
  reached: z.boolean(),
  symptoms: z.array(GradedSymptomInput).max(20),
  adherence: z.enum(ADHERENCE_VALUES).nullish(),
  action: z.enum(CALL_ACTION_VALUES),
  notes: longText.nullish(),
});
export type CallRecordBody = z.infer<typeof CallRecordBody>;

export const PatientReportBody = z.strictObject({
  symptoms: z.array(GradedSymptomInput).max(20),
  adherence: z.enum(ADHERENCE_VALUES),
  comment: z.string().trim().max(1000).nullish(),
});
export type PatientReportBody = z.infer<typeof PatientReportBody>;

export const AlertHandleBody = z.strictObject({ note: z.string().trim().min(3).max(1000) });

export const OralSettingsBody = z.strictObject({
  followedCycles: z.number().int().min(1).max(24),
  patientLinkHours: z.number().int().min(1).max(720),
  alertRules: z.strictObject({
    defaultMinGrade: z.number().int().min(1).max(5),
    termMinGrade: z.record(z.string().max(64), z.number().int().min(1).max(5)),
    alertOnStoppedTreatment: z.boolean(),
  }),
  callSchedules: z.record(
    z.string().max(64),
    z.strictObject({
      firstCycleDays: z.array(z.number().int().min(1).max(90)).max(10),
      eachCycleDay: z.number().int().min(1).max(90),
    }),
  ),
});
export type OralSettingsBody = z.infer<typeof OralSettingsBody>;

export const WorklistQuery = z.strictObject({ horizonDays: z.coerce.number().int().min(0).max(60).default(7) });

// --- responses -------------------------------------------------------------------------------------------

export interface OralDrugDto {
  code: string;
  inn: string;
  innFr: string;
  atc: string;
  strengthsMg: number[];
  form: 'tablet' | 'capsule';
  schedules: { code: string; labelFr: string; labelEn: string }[];
  food: 'with_food' | 'fasting' | 'with_or_without_food';
  usualDoseFr: string;
  source: string;
}

export interface CtcaeTermDto {
  code: string;
  termFr: string;
  termEn: string;
  grades: { grade: number; definitionFr: string; definitionEn: string }[];
}

export interface OralReferentialDto {
  drugs: OralDrugDto[];
  ctcae: { version: string; terms: CtcaeTermDto[] };
  interactionEntries: number;
}

export interface InteractionFindingDto {
  entryId: string;
  item: string;
  withKind: 'drug' | 'herbal' | 'food';
  withLabel: string;
  severity: 'contraindicated' | 'avoid' | 'caution' | 'consider';
  mechanism: string;
  recommendation: string;
  source: string;
}

export interface OralConsultationDto {
  kind: ConsultationKindValue;
  authorName: string;
  recordedAt: string;
  content: Record<string, unknown>;
}

export interface OralPatientDto {
  id: string;
  displayName: string;
  birthDate: string;
}

export interface OralTreatmentSummaryDto {
  id: string;
  patient: OralPatientDto;
  drugCode: string;
  drugName: string;
  doseMg: number;
  scheduleCode: string;
  scheduleLabel: string;
  startDate: string;
  status: 'active' | 'held' | 'stopped';
  consultations: Record<ConsultationKindValue, boolean>;
  packets: { total: number; acknowledged: number; pending: number };
  openAlerts: number;
  nextCallDate: string | null;
}

export interface OralPacketDto {
  id: string;
  recipient: { id: string; kind: CommunityKindValue; name: string; secureEmail: string };
  planVersion: number;
  status: PacketStatusValue;
  sendCount: number;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedVia: 'link' | 'manual' | null;
  createdAt: string;
}

export interface OralCallDto {
  id: string;
  treatmentId: string;
  dueDate: string;
  label: string;
  status: 'planned' | 'done' | 'cancelled';
  overdue: boolean;
  doneAt: string | null;
  doneByName: string | null;
  reached: boolean | null;
  symptoms: { term: string; grade: number }[];
  adherence: AdherenceValue | null;
  action: CallActionValue | null;
  notes: string | null;
}

export interface OralAlertDto {
  id: string;
  treatmentId: string;
  patient: OralPatientDto;
  drugName: string;
  source: 'call' | 'patient_report';
  term: string | null;
  grade: number | null;
  rule: string;
  raisedAt: string;
  status: 'open' | 'handled';
  handledAt: string | null;
  handledByName: string | null;
  handlingNote: string | null;
}

export interface OralDocumentDto {
  id: string;
  planVersion: number;
  reason: string;
  createdAt: string;
}

export interface OralTreatmentDto extends OralTreatmentSummaryDto {
  version: number;
  /** The last hold, resumption or stop: why, when and by whom (null before any). */
  statusChange: { reason: string; at: string; byName: string | null } | null;
  calendarCycles: number;
  dispensingChannel: (typeof DISPENSING_CHANNEL_VALUES)[number];
  indication: string;
  prescriberName: string;
  food: 'with_food' | 'fasting' | 'with_or_without_food';
  consultationRecords: OralConsultationDto[];
  documents: OralDocumentDto[];
  packetList: OralPacketDto[];
  calls: OralCallDto[];
  alerts: OralAlertDto[];
  patientReports: {
    id: string;
    submittedAt: string;
    symptoms: { term: string; grade: number }[];
    adherence: AdherenceValue;
  }[];
}

export interface CommunityProfessionalDto {
  id: string;
  kind: CommunityKindValue;
  rpps: string | null;
  title: string | null;
  firstName: string;
  lastName: string;
  city: string | null;
  phone: string | null;
  secureEmail: string;
  hasAccount: boolean;
}

export interface PatientLinkDto {
  /** Shown once: only its hash is stored. */
  token: string;
  url: string;
  expiresAt: string;
}

export interface PatientFormDto {
  drugName: string;
  expiresAt: string;
  terms: { code: string; termFr: string; options: { grade: number; labelFr: string }[] }[];
}

export interface ReceivedPacketDto {
  packetId: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
  patient: OralPatientDto;
  drugName: string;
  doseMg: number;
  scheduleLabel: string;
  startDate: string;
  intakePlan: string | null;
  interactions: InteractionFindingDto[];
}

export interface OralIndicatorsDto {
  treatments: number;
  withAllThreeConsultations: number;
  shareWithAllThreeConsultations: number | null;
  medianDaysToFirstCall: number | null;
  packetsSent: number;
  packetsAcknowledged: number;
  shareAcknowledged: number | null;
  alerts: number;
  alertsHandled: number;
  medianAlertHandlingHours: number | null;
}

export interface OralSettingsDto extends OralSettingsBody {
  updatedAt: string | null;
}
