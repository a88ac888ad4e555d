import type { ColumnType, Generated } from 'kysely';

/** Kysely table types for migrations/0009_oral_pathway.sql (and 0012). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateOnly = ColumnType<string, string, string>;
type OptionalText = ColumnType<string | null, string | null | undefined, string | null>;
type Json<T = unknown> = ColumnType<T, string, string>;
type NullableJson<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;
/** numeric columns come back as strings (no float rounding); write numbers or strings. */
type Numeric = ColumnType<string, number | string, number | string>;

export type OralPacketStatus = 'queued' | 'sent' | 'failed' | 'acknowledged';

export interface OralSettingsTable {
  cooperation_id: string;
  call_schedules: ColumnType<unknown, string | undefined, string>;
  followed_cycles: Generated<number>;
  alert_rules: Json;
  patient_link_hours: Generated<number>;
  updated_at: Timestamp;
  updated_by: string | null;
}
export interface OralTreatmentTable {
  id: string;
  cooperation_id: string;
  patient_id: string;
  establishment_id: string;
  drug_code: string;
  dose_mg: Numeric;
  schedule_code: string;
  start_date: DateOnly;
  calendar_cycles: Generated<number>;
  prescriber_id: string;
  dispensing_channel: 'community_pharmacy' | 'hospital_retrocession';
  indication: string;
  plan_version: Generated<number>;
  status: Generated<'active' | 'held' | 'stopped'>;
  status_reason: OptionalText;
  status_changed_at: NullableTimestamp;
  status_changed_by: OptionalText;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface OralConsultationTable {
  id: string;
  cooperation_id: string;
  treatment_id: string;
  kind: 'medical' | 'pharmaceutical' | 'nursing';
  author_id: string;
  recorded_at: Timestamp;
  content: Json;
}
export interface OralDocumentTable {
  id: string;
  cooperation_id: string;
  treatment_id: string;
  plan_version: number;
  snapshot: Json;
  reason: string;
  created_by: string;
  created_at: Timestamp;
}
export interface OralCommunityProfessionalTable {
  id: string;
  cooperation_id: string;
  kind: 'gp' | 'pharmacist' | 'nurse';
  rpps: string | null;
  title: string | null;
  first_name: string;
  last_name: string;
  city: string | null;
  phone: string | null;
  secure_email: string;
  user_id: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface OralPacketTable {
  id: string;
  cooperation_id: string;
  treatment_id: string;
  recipient_id: string;
  plan_version: number;
  status: OralPacketStatus;
  send_count: Generated<number>;
  attempts: Generated<number>;
  last_error: string | null;
  message_id: string | null;
  sent_at: NullableTimestamp;
  ack_token_hash: string;
  acknowledged_at: NullableTimestamp;
  acknowledged_via: 'link' | 'manual' | null;
  acknowledged_by: string | null;
  created_by: string;
  created_at: Timestamp;
}
export interface OralFollowupCallTable {
  id: string;
  cooperation_id: string;
  treatment_id: string;
  due_date: DateOnly;
  label: string;
  status: Generated<'planned' | 'done' | 'cancelled'>;
  done_at: NullableTimestamp;
  done_by: string | null;
  reached: boolean | null;
  symptoms: NullableJson;
  adherence: string | null;
  action: string | null;
  notes: string | null;
}
export interface OralPatientLinkTable {
  id: string;
  cooperation_id: string;
  treatment_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_by: string;
  created_at: Timestamp;
}
export interface OralPatientReportTable {
  id: string;
  cooperation_id: string;
  treatment_id: string;
  link_id: string;
  submitted_at: Timestamp;
  symptoms: Json;
  adherence: string;
  comment: string | null;
}
export interface OralAlertTable {
  id: string;
  cooperation_id: string;
  treatment_id: string;
  source: 'call' | 'patient_report';
  source_id: string;
  term: string | null;
  grade: number | null;
  rule: string;
  raised_at: Timestamp;
  status: Generated<'open' | 'handled'>;
  handled_at: NullableTimestamp;
  handled_by: string | null;
  handling_note: string | null;
}

export interface OralPathwayTables {
  oral_settings: OralSettingsTable;
  oral_treatments: OralTreatmentTable;
  oral_consultations: OralConsultationTable;
  oral_documents: OralDocumentTable;
  oral_community_professionals: OralCommunityProfessionalTable;
  oral_packets: OralPacketTable;
  oral_followup_calls: OralFollowupCallTable;
  oral_patient_links: OralPatientLinkTable;
  oral_patient_reports: OralPatientReportTable;
  oral_alerts: OralAlertTable;
}
