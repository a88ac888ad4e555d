import type { ColumnType, Generated } from 'kysely';
import type { PharmacyTables } from './schema-pharmacy.ts';
import type { OralPathwayTables } from './schema-oral-pathway.ts';
import type { NuclearMedicineTables } from './schema-nuclear-medicine.ts';
import type { CompoundingTables } from './schema-compounding.ts';
import type { PlannerTables } from './schema-planner.ts';

/** Kysely table types for migrations/*.sql. Only repositories and core/db import this file. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;
type Json<T = Record<string, unknown>> = ColumnType<T, string | T | undefined, string | T>;

export interface CooperationTable {
  id: string;
  slug: string;
  name: string;
  created_at: Timestamp;
}
export interface EstablishmentTable {
  id: string;
  cooperation_id: string;
  name: string;
  short_name: string;
  finess: string;
  legal_status: string;
  cooperation_role: string;
  parent_establishment_id: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface SiteTable {
  id: string;
  cooperation_id: string;
  establishment_id: string;
  name: string;
  finess_et: string | null;
  city: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface UnitTable {
  id: string;
  cooperation_id: string;
  establishment_id: string;
  site_id: string | null;
  name: string;
  kind: string;
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface ProfessionalTable {
  id: string;
  cooperation_id: string;
  rpps: string | null;
  first_name: string;
  last_name: string;
  profession: string;
  specialty: string | null;
  email: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface UserTable {
  id: string;
  cooperation_id: string;
  username: string;
  display_name: string;
  email: string | null;
  professional_id: string | null;
  password_hash: string | null;
  must_change_password: Generated<boolean>;
  password_changed_at: Timestamp | null;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: ColumnType<string | null, string | number | null, string | number | null>;
  oidc_subject: string | null;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  disabled: Generated<boolean>;
  locale: Generated<string>;
  created_at: Timestamp;
}
export interface MembershipTable {
  id: string;
  cooperation_id: string;
  user_id: string;
  establishment_id: string;
  role: string;
  unit_id: string | null;
  created_at: Timestamp;
}
export interface RolePolicyTable {
  cooperation_id: string;
  role: string;
  totp_required: boolean;
}
export interface SessionTable {
  id: string;
  cooperation_id: string;
  user_id: string;
  establishment_id: string | null;
  csrf_token: string;
  stage: 'mfa_pending' | 'mfa_setup' | 'active';
  auth_method: 'password' | 'oidc';
  created_at: Timestamp;
  last_seen_at: Timestamp;
  reauthenticated_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}
export interface ApiTokenTable {
  id: string;
  cooperation_id: string;
  user_id: string;
  establishment_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: string[];
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}
export interface OidcStateTable {
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string | null;
  created_at: Timestamp;
}
export interface PatientTable {
  id: string;
  cooperation_id: string;
  birth_name: string;
  used_name: string | null;
  first_names: string;
  birth_date: DateOnly;
  sex: 'F' | 'M' | 'I';
  birth_place_code: string | null;
  ins_type: 'NIR' | 'NIA' | null;
  ins: string | null;
  identity_status: 'provisional' | 'retrieved' | 'validated' | 'qualified';
  search_text: string;
  merged_into_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PatientIdentifierTable {
  id: string;
  cooperation_id: string;
  patient_id: string;
  establishment_id: string;
  ipp: string;
  created_at: Timestamp;
}
export interface CareRelationshipTable {
  id: string;
  cooperation_id: string;
  patient_id: string;
  establishment_id: string;
  unit_id: string | null;
  starts_on: DateOnly;
  ends_on: DateOnly | null;
  reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface IdentityAlertTable {
  id: string;
  cooperation_id: string;
  patient_id: string;
  candidate_id: string;
  score: ColumnType<string, number | string, number | string>;
  reasons: string[];
  status: Generated<'open' | 'dismissed' | 'merged'>;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  created_at: Timestamp;
}
export interface EmergencyAccessTable {
  id: string;
  cooperation_id: string;
  user_id: string;
  establishment_id: string;
  patient_id: string;
  reason: string;
  started_at: Timestamp;
  expires_at: Timestamp;
}
export interface AuditEventTable {
  cooperation_id: string;
  /** Null until the transaction that wrote the event commits (sealed by trigger, migration 0006). */
  seq: ColumnType<string | null, string | number | bigint | null | undefined, never>;
  id: string;
  occurred_at: Timestamp;
  actor_user_id: string | null;
  actor_establishment_id: string | null;
  actor_label: string | null;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  patient_id: string | null;
  resource_type: string | null;
  resource_id: string | null;
  emergency: Generated<boolean>;
  request_id: string | null;
  ip: string | null;
  details: Json;
  prev_hash: ColumnType<string | null, string | null | undefined, never>;
  hash: ColumnType<string | null, string | null | undefined, never>;
}
export interface AuditHeadTable {
  cooperation_id: string;
  seq: ColumnType<string, string | number, string | number>;
  hash: string;
}
export interface JobTable {
  id: string;
  queue: string;
  payload: Json;
  idempotency_key: string | null;
  status: Generated<'pending' | 'running' | 'done' | 'failed'>;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  result: Json | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
  /** Null for system-wide jobs (migration 0002). */
  cooperation_id: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface JobScheduleTable {
  name: string;
  queue: string;
  cron: string;
  payload: Json;
  next_run_at: Timestamp;
  last_run_at: Timestamp | null;
}

export interface DB extends PharmacyTables, CompoundingTables, OralPathwayTables, NuclearMedicineTables, PlannerTables {
  cooperations: CooperationTable;
  establishments: EstablishmentTable;
  sites: SiteTable;
  units: UnitTable;
  professionals: ProfessionalTable;
  users: UserTable;
  memberships: MembershipTable;
  role_policies: RolePolicyTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  oidc_states: OidcStateTable;
  patients: PatientTable;
  patient_identifiers: PatientIdentifierTable;
  care_relationships: CareRelationshipTable;
  identity_alerts: IdentityAlertTable;
  emergency_accesses: EmergencyAccessTable;
  audit_events: AuditEventTable;
  audit_heads: AuditHeadTable;
  jobs: JobTable;
  job_schedules: JobScheduleTable;
}
