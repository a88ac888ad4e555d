import { sql, type Insertable, type Selectable } from 'kysely';
import type { RequestContext } from '../../core/context.ts';
import type { DB, Executor } from '../../core/db/index.ts';
import { inCareOf, visibleTo } from '../patients/index.ts';

/**
 * SQL of the oral anticancer pathway. Every query is scoped by `cooperation_id`; hospital staff see
 * treatments through the patients module's rule (`visibleTo` to read, `inCareOf` to act), community
 * professionals through the packets sent to the directory entry linked to their account. No decisions here.
 */

export type TreatmentRow = Selectable<DB['oral_treatments']>;
export type PacketRow = Selectable<DB['oral_packets']>;
export type CallRow = Selectable<DB['oral_followup_calls']>;
export type AlertRow = Selectable<DB['oral_alerts']>;
export type PatientScope = 'visible' | 'care';

const scopeOf = (ctx: RequestContext, scope: PatientScope, column: string) =>
  scope === 'care' ? inCareOf(ctx, column) : visibleTo(ctx, column);

const displayName = sql<string>`coalesce(p.used_name, p.birth_name) || ' ' || p.first_names`;

// --- patients and users --------------------------------------------------------------------------------

export function findPatientInScope(db: Executor, ctx: RequestContext, patientId: string, scope: PatientScope) {
  return db
    .selectFrom('patients as p')
    .select(['p.id', 'p.merged_into_id', 'p.birth_date', displayName.as('display_name')])
    .select(inCareOf(ctx, 'p.id').as('in_care'))
    .where('p.cooperation_id', '=', ctx.actor.cooperationId)
    .where('p.id', '=', patientId)
    .where(scopeOf(ctx, scope, 'p.id'))
    .executeTakeFirst();
}

export async function userNames(db: Executor, cooperationId: string, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('cooperation_id', '=', cooperationId)
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

// --- settings ------------------------------------------------------------------------------------------

export function findSettings(db: Executor, cooperationId: string) {
  return db.selectFrom('oral_settings').selectAll().where('cooperation_id', '=', cooperationId).executeTakeFirst();
}

export function upsertSettings(db: Executor, row: Insertable<DB['oral_settings']>) {
  return db
    .insertInto('oral_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('cooperation_id').doUpdateSet({
        call_schedules: row.call_schedules!,
        followed_cycles: row.followed_cycles!,
        alert_rules: row.alert_rules,
        patient_link_hours: row.patient_link_hours!,
        updated_at: row.updated_at!,
        updated_by: row.updated_by ?? null,
      }),
    )
    .execute();
}

// --- treatments ----------------------------------------------------------------------------------------

const treatmentColumns = [
  't.id',
  't.cooperation_id',
  't.patient_id',
  't.establishment_id',
  't.drug_code',
  't.dose_mg',
  't.schedule_code',
  't.start_date',
  't.calendar_cycles',
  't.prescriber_id',
  't.dispensing_channel',
  't.indication',
  't.plan_version',
  't.status',
  't.status_reason',
  't.status_changed_at',
  't.status_changed_by',
  't.created_by',
  't.created_at',
  't.updated_at',
] as const;

export type TreatmentWithPatient = TreatmentRow & {
  display_name: string;
  birth_date: string;
  in_care: boolean;
};

/** A treatment whose patient is in the actor's scope. */
export function findTreatment(db: Executor, ctx: RequestContext, id: string, scope: PatientScope) {
  return db
    .selectFrom('oral_treatments as t')
    .innerJoin('patients as p', 'p.id', 't.patient_id')
    .select(treatmentColumns)
    .select([displayName.as('display_name'), 'p.birth_date'])
    .select(inCareOf(ctx, 't.patient_id').as('in_care'))
    .where('t.cooperation_id', '=', ctx.actor.cooperationId)
    .where('t.id', '=', id)
    .where(scopeOf(ctx, scope, 't.patient_id'))
    .executeTakeFirst() as Promise<TreatmentWithPatient | undefined>;
}

/** The board: every treatment of a patient the actor's establishment cares for, newest first. */
export function listTreatmentsInCare(db: Executor, ctx: RequestContext, limit: number) {
  return db
    .selectFrom('oral_treatments as t')
    .innerJoin('patients as p', 'p.id', 't.patient_id')
    .select(treatmentColumns)
    .select([displayName.as('display_name'), 'p.birth_date'])
    .select(sql<boolean>`true`.as('in_care'))
    .where('t.cooperation_id', '=', ctx.actor.cooperationId)
    .where(inCareOf(ctx, 't.patient_id'))
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id')
    .limit(limit)
    .execute() as Promise<TreatmentWithPatient[]>;
}

export function insertTreatment(db: Executor, row: Insertable<DB['oral_treatments']>) {
  return db.insertInto('oral_treatments').values(row).execute();
}

export function updateTreatmentPlan(
  db: Executor,
  cooperationId: string,
  id: string,
  expectedVersion: number,
  set: {
    dose_mg: number | string;
    schedule_code: string;
    start_date: string;
    calendar_cycles: number;
    updated_at: Date;
  },
) {
  return db
    .updateTable('oral_treatments')
    .set({ ...set, plan_version: expectedVersion + 1 })
    .where('cooperation_id', '=', cooperationId)
    .where('id', '=', id)
    .where('plan_version', '=', expectedVersion)
    .executeTakeFirst();
}

export function setTreatmentStatus(
  db: Executor,
  cooperationId: string,
  id: string,
  status: 'active' | 'held' | 'stopped',
  at: Date,
  decision?: { reason: string; by: string; from: 'active' | 'held' | 'stopped' },
) {
  let query = db
    .updateTable('oral_treatments')
    .set({
      status,
      updated_at: at,
      ...(decision ? { status_reason: decision.reason, status_changed_at: at, status_changed_by: decision.by } : {}),
    })
    .where('cooperation_id', '=', cooperationId)
    .where('id', '=', id);
  // A decision applies to the status the user saw: a change meanwhile makes it match nothing.
  if (decision) query = query.where('status', '=', decision.from);
  return query.executeTakeFirst();
}

// --- consultations -------------------------------------------------------------------------------------

export function listConsultations(db: Executor, cooperationId: string, treatmentIds: string[]) {
  if (treatmentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('oral_consultations')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('treatment_id', 'in', treatmentIds)
    .orderBy('recorded_at')
    .execute();
}

/** Inserts unless the consultation of this kind exists; returns whether it was inserted. */
export async function insertConsultation(db: Executor, row: Insertable<DB['oral_consultations']>): Promise<boolean> {
  const r = await db
    .insertInto('oral_consultations')
    .values(row)
    .onConflict((oc) => oc.columns(['treatment_id', 'kind']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

// --- documents -----------------------------------------------------------------------------------------

export function insertDocument(db: Executor, row: Insertable<DB['oral_documents']>) {
  return db.insertInto('oral_documents').values(row).execute();
}

export function listDocuments(db: Executor, cooperationId: string, treatmentId: string) {
  return db
    .selectFrom('oral_documents')
    .select(['id', 'plan_version', 'reason', 'created_at'])
    .where('cooperation_id', '=', cooperationId)
    .where('treatment_id', '=', treatmentId)
    .orderBy('plan_version', 'desc')
    .execute();
}

export function findDocument(db: Executor, cooperationId: string, id: string) {
  return db
    .selectFrom('oral_documents')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findDocumentVersion(db: Executor, cooperationId: string, treatmentId: string, version: number) {
  return db
    .selectFrom('oral_documents')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('treatment_id', '=', treatmentId)
    .where('plan_version', '=', version)
    .executeTakeFirst();
}

// --- community directory -------------------------------------------------------------------------------

export function listCommunityProfessionals(db: Executor, cooperationId: string) {
  return db
    .selectFrom('oral_community_professionals')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('active', '=', true)
    .orderBy('last_name')
    .orderBy('first_name')
    .orderBy('id')
    .execute();
}

export function findCommunityProfessionals(db: Executor, cooperationId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('oral_community_professionals')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('id', 'in', ids)
    .where('active', '=', true)
    .execute();
}

export function findCommunityByRpps(db: Executor, cooperationId: string, rpps: string) {
  return db
    .selectFrom('oral_community_professionals')
    .select('id')
    .where('cooperation_id', '=', cooperationId)
    .where('rpps', '=', rpps)
    .executeTakeFirst();
}

/** The user exists in the cooperation and holds the community_professional role somewhere. */
export async function isCommunityAccount(db: Executor, cooperationId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('memberships')
    .select('id')
    .where('cooperation_id', '=', cooperationId)
    .where('user_id', '=', userId)
    .where('role', '=', 'community_professional')
    .executeTakeFirst();
  return row !== undefined;
}

export function insertCommunityProfessional(db: Executor, row: Insertable<DB['oral_community_professionals']>) {
  return db.insertInto('oral_community_professionals').values(row).execute();
}

// --- packets -------------------------------------------------------------------------------------------

export function insertPacket(db: Executor, row: Insertable<DB['oral_packets']>) {
  return db.insertInto('oral_packets').values(row).execute();
}

export function listPackets(db: Executor, cooperationId: string, treatmentIds: string[]) {
  if (treatmentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('oral_packets as k')
    .innerJoin('oral_community_professionals as c', 'c.id', 'k.recipient_id')
    .selectAll('k')
    .select(['c.kind as recipient_kind', 'c.first_name', 'c.last_name', 'c.title', 'c.secure_email'])
    .where('k.cooperation_id', '=', cooperationId)
    .where('k.treatment_id', 'in', treatmentIds)
    .orderBy('k.created_at')
    .orderBy('k.id')
    .execute();
}

/** A packet whose treatment's patient is in the actor's scope. */
export function findPacketInScope(db: Executor, ctx: RequestContext, packetId: string, scope: PatientScope) {
  return db
    .selectFrom('oral_packets as k')
    .innerJoin('oral_treatments as t', 't.id', 'k.treatment_id')
    .selectAll('k')
    .select(inCareOf(ctx, 't.patient_id').as('in_care'))
    .select('t.patient_id')
    .where('k.cooperation_id', '=', ctx.actor.cooperationId)
    .where('k.id', '=', packetId)
    .where(scopeOf(ctx, scope, 't.patient_id'))
    .executeTakeFirst();
}

/** For the sending job (no actor): the packet, its recipient and its treatment. */
export function findPacketForSystem(db: Executor, packetId: string) {
  return db
    .selectFrom('oral_packets as k')
    .innerJoin('oral_community_professionals as c', 'c.id', 'k.recipient_id')
    .selectAll('k')
    .select(['c.kind as recipient_kind', 'c.first_name', 'c.last_name', 'c.title', 'c.secure_email'])
    .where('k.id', '=', packetId)
    .executeTakeFirst();
}

export function findPacketByTokenHashForSystem(db: Executor, tokenHash: string) {
  return db.selectFrom('oral_packets').selectAll().where('ack_token_hash', '=', tokenHash).executeTakeFirst();
}

export function updatePacket(
  db: Executor,
  id: string,
  set: Partial<Omit<Insertable<DB['oral_packets']>, 'id' | 'cooperation_id'>>,
  onlyStatus?: string[],
) {
  let q = db.updateTable('oral_packets').set(set).where('id', '=', id);
  if (onlyStatus) q = q.where('status', 'in', onlyStatus as never[]);
  return q.executeTakeFirst();
}

/** The packets sent to the directory entries linked to `userId`, with their treatment and patient. */
export function listReceivedPackets(db: Executor, cooperationId: string, userId: string) {
  return db
    .selectFrom('oral_packets as k')
    .innerJoin('oral_community_professionals as c', 'c.id', 'k.recipient_id')
    .innerJoin('oral_treatments as t', 't.id', 'k.treatment_id')
    .innerJoin('patients as p', 'p.id', 't.patient_id')
    .select([
      'k.id as packet_id',
      'k.sent_at',
      'k.acknowledged_at',
      'k.plan_version',
      't.id as treatment_id',
      't.patient_id',
      't.drug_code',
      'p.birth_date',
      displayName.as('display_name'),
    ])
    .where('k.cooperation_id', '=', cooperationId)
    .where('c.user_id', '=', userId)
    .where('k.status', 'in', ['sent', 'acknowledged'])
    .orderBy('k.created_at', 'desc')
    .limit(200)
    .execute();
}

// --- follow-up -----------------------------------------------------------------------------------------

export function insertCalls(db: Executor, rows: Insertable<DB['oral_followup_calls']>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db
    .insertInto('oral_followup_calls')
    .values(rows)
    .execute()
    .then(() => undefined);
}

export function cancelPlannedCalls(db: Executor, cooperationId: string, treatmentId: string) {
  return db
    .updateTable('oral_followup_calls')
    .set({ status: 'cancelled' })
    .where('cooperation_id', '=', cooperationId)
    .where('treatment_id', '=', treatmentId)
    .where('status', '=', 'planned')
    .execute();
}

export function listCalls(db: Executor, cooperationId: string, treatmentIds: string[]) {
  if (treatmentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('oral_followup_calls')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('treatment_id', 'in', treatmentIds)
    .where('status', '!=', 'cancelled')
    .orderBy('due_date')
    .orderBy('id')
    .execute();
}

/** Planned calls due by `until`, for treatments of patients in the actor's care. */
export function listDueCalls(db: Executor, ctx: RequestContext, until: string) {
  return db
    .selectFrom('oral_followup_calls as c')
    .innerJoin('oral_treatments as t', 't.id', 'c.treatment_id')
    .innerJoin('patients as p', 'p.id', 't.patient_id')
    .selectAll('c')
    .select(['t.drug_code', 't.patient_id', 'p.birth_date', displayName.as('display_name')])
    .where('c.cooperation_id', '=', ctx.actor.cooperationId)
    .where('c.status', '=', 'planned')
    .where('t.status', '!=', 'stopped')
    .where('c.due_date', '<=', until)
    .where(inCareOf(ctx, 't.patient_id'))
    .orderBy('c.due_date')
    .orderBy('c.id')
    .limit(500)
    .execute();
}

export function findCallInScope(db: Executor, ctx: RequestContext, callId: string) {
  return db
    .selectFrom('oral_followup_calls as c')
    .innerJoin('oral_treatments as t', 't.id', 'c.treatment_id')
    .selectAll('c')
    .select(['t.patient_id', 't.drug_code'])
    .where('c.cooperation_id', '=', ctx.actor.cooperationId)
    .where('c.id', '=', callId)
    .where(inCareOf(ctx, 't.patient_id'))
    .executeTakeFirst();
}

export function recordCall(db: Executor, id: string, set: Partial<Insertable<DB['oral_followup_calls']>>) {
  return db
    .updateTable('oral_followup_calls')
    .set({ ...set, status: 'done' })
    .where('id', '=', id)
    .where('status', '=', 'planned')
    .executeTakeFirst();
}

export function insertLink(db: Executor, row: Insertable<DB['oral_patient_links']>) {
  return db.insertInto('oral_patient_links').values(row).execute();
}

export function findLinkByHashForSystem(db: Executor, tokenHash: string) {
  return db
    .selectFrom('oral_patient_links as l')
    .innerJoin('oral_treatments as t', 't.id', 'l.treatment_id')
    .selectAll('l')
    .select(['t.drug_code', 't.patient_id'])
    .where('l.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks the link used unless it already was; returns whether this call won. */
export async function useLink(db: Executor, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('oral_patient_links')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function insertReport(db: Executor, row: Insertable<DB['oral_patient_reports']>) {
  return db.insertInto('oral_patient_reports').values(row).execute();
}

export function listReports(db: Executor, cooperationId: string, treatmentId: string) {
  return db
    .selectFrom('oral_patient_reports')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('treatment_id', '=', treatmentId)
    .orderBy('submitted_at', 'desc')
    .execute();
}

export function insertAlerts(db: Executor, rows: Insertable<DB['oral_alerts']>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db
    .insertInto('oral_alerts')
    .values(rows)
    .execute()
    .then(() => undefined);
}

export function listAlertsOfTreatments(db: Executor, cooperationId: string, treatmentIds: string[]) {
  if (treatmentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('oral_alerts')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('treatment_id', 'in', treatmentIds)
    .orderBy('raised_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Alerts of patients in the actor's care: open ones first, then the latest handled. */
export function listAlertsInCare(db: Executor, ctx: RequestContext, status: 'open' | 'handled') {
  return db
    .selectFrom('oral_alerts as a')
    .innerJoin('oral_treatments as t', 't.id', 'a.treatment_id')
    .innerJoin('patients as p', 'p.id', 't.patient_id')
    .selectAll('a')
    .select(['t.drug_code', 't.patient_id', 'p.birth_date', displayName.as('display_name')])
    .where('a.cooperation_id', '=', ctx.actor.cooperationId)
    .where('a.status', '=', status)
    .where(inCareOf(ctx, 't.patient_id'))
    .orderBy('a.raised_at', status === 'open' ? 'asc' : 'desc')
    .orderBy('a.id')
    .limit(200)
    .execute();
}

export function findAlertInScope(db: Executor, ctx: RequestContext, id: string) {
  return db
    .selectFrom('oral_alerts as a')
    .innerJoin('oral_treatments as t', 't.id', 'a.treatment_id')
    .selectAll('a')
    .select('t.patient_id')
    .where('a.cooperation_id', '=', ctx.actor.cooperationId)
    .where('a.id', '=', id)
    .where(inCareOf(ctx, 't.patient_id'))
    .executeTakeFirst();
}

export function handleAlert(db: Executor, id: string, userId: string, note: string, at: Date) {
  return db
    .updateTable('oral_alerts')
    .set({ status: 'handled', handled_at: at, handled_by: userId, handling_note: note })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

// --- indicators ----------------------------------------------------------------------------------------

/** Treatments of patients in the actor's care, with what the indicators need. */
export function indicatorRows(db: Executor, ctx: RequestContext) {
  return db
    .selectFrom('oral_treatments as t')
    .select([
      't.id',
      't.start_date',
      sql<number>`(select count(distinct c.kind) from oral_consultations c where c.treatment_id = t.id)`.as(
        'consultations',
      ),
      sql<Date | null>`(select min(c.done_at) from oral_followup_calls c where c.treatment_id = t.id and c.reached is true)`.as(
        'first_call_at',
      ),
    ])
    .where('t.cooperation_id', '=', ctx.actor.cooperationId)
    .where(inCareOf(ctx, 't.patient_id'))
    .execute();
}
