import { sql, type Expression, type SqlBool } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { RequestContext } from '../../core/context.ts';
import type { Executor } from '../../core/db/index.ts';
import { QueryTemplate } from '../../core/db/query-template.ts';
import { inCareOf, viewerOf, visibleTo, type Viewer } from './visibility.ts';

/** SQL for patients, their identifiers and care relationships. Every read is scoped by visibility. */

const PATIENT_COLUMNS = [
  'p.id',
  'p.birth_name',
  'p.used_name',
  'p.first_names',
  'p.birth_date',
  'p.sex',
  'p.birth_place_code',
  'p.ins_type',
  'p.ins',
  'p.identity_status',
  'p.merged_into_id',
  'p.version',
  'p.created_at',
  'p.updated_at',
] as const;

export type PatientRow = Awaited<ReturnType<typeof findVisiblePatient>> & {};

export interface SearchFilter {
  birthDate?: string | undefined;
  ins?: string | undefined;
  tokens: string[];
  ipp?: string | undefined;
}

function matches(filter: SearchFilter): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (filter.birthDate) out.push(sql<SqlBool>`p.birth_date = ${filter.birthDate}`);
  if (filter.ins) out.push(sql<SqlBool>`p.ins = ${filter.ins}`);
  const nameClauses = filter.tokens.map((t) => {
    const escaped = t.replace(/[\\%_]/g, (c) => `\\${c}`);
    return sql<SqlBool>`(p.search_text like ${`${escaped}%`} or p.search_text like ${`% ${escaped}%`})`;
  });
  if (filter.ipp && nameClauses.length > 0) {
    // A single word may be an IPP or a name: either matches.
    out.push(
      sql<SqlBool>`(exists (select 1 from patient_identifiers pi where pi.patient_id = p.id and pi.ipp = ${filter.ipp}) or (${sql.join(nameClauses, sql` and `)}))`,
    );
  } else if (filter.ipp) {
    out.push(
      sql<SqlBool>`exists (select 1 from patient_identifiers pi where pi.patient_id = p.id and pi.ipp = ${filter.ipp})`,
    );
  } else {
    out.push(...nameClauses);
  }
  return out;
}

export async function searchVisiblePatients(
  db: Executor,
  ctx: RequestContext,
  filter: SearchFilter,
  page: { limit: number; offset: number },
) {
  let q = db
    .selectFrom('patients as p')
    .select(PATIENT_COLUMNS)
    .where('p.cooperation_id', '=', ctx.actor.cooperationId)
    .where('p.merged_into_id', 'is', null)
    .where(visibleTo(ctx));
  for (const clause of matches(filter)) q = q.where(clause);
  return q
    .orderBy('p.birth_name')
    .orderBy('p.first_names')
    .orderBy('p.id')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
}

/**
 * Cooperation-wide search for the emergency-access flow, deliberately narrow: requires a birth date and
 * returns patients NOT already visible, minimal traits only.
 */
export function searchCooperationForEmergency(db: Executor, ctx: RequestContext, filter: SearchFilter, limit: number) {
  let q = db
    .selectFrom('patients as p')
    .select(PATIENT_COLUMNS)
    .where('p.cooperation_id', '=', ctx.actor.cooperationId)
    .where('p.merged_into_id', 'is', null)
    .where(sql<SqlBool>`not ${visibleTo(ctx)}`);
  for (const clause of matches(filter)) q = q.where(clause);
  return q.orderBy('p.birth_name').orderBy('p.id').limit(limit).execute();
}

/**
 * A merged record stays readable by those who see the record it was merged into. Written as CASE, not
 * COALESCE: under row-level security PostgreSQL only uses a condition as an index condition when it cannot
 * leak values, and it does not know COALESCE to be leak-proof — with it, the care-relationship check scanned
 * every relationship of the establishment instead of one index entry.
 */
const EFFECTIVE_ID = sql`case when p.merged_into_id is null then p.id else p.merged_into_id end`;

/** One patient looked up by a viewer: the parameters of the patient page's query. */
interface PatientLookup extends Viewer {
  cooperationId: string;
  patientId: string;
}

function lookupOf(ctx: RequestContext, patientId: string): PatientLookup {
  return { ...viewerOf(ctx), cooperationId: ctx.actor.cooperationId, patientId };
}

/** The visible patient's row, whether the actor's establishment cares for them, and open identity alerts. */
function visiblePatientQuery(db: Executor, lookup: PatientLookup) {
  return db
    .selectFrom('patients as p')
    .select(PATIENT_COLUMNS)
    .select((eb) => [
      inCareOf(lookup, EFFECTIVE_ID).as('in_care'),
      eb
        .selectFrom('identity_alerts as ia')
        .select(sql<string>`count(*)`.as('n'))
        .where('ia.status', '=', 'open')
        .where((w) => w.or([w('ia.patient_id', '=', w.ref('p.id')), w('ia.candidate_id', '=', w.ref('p.id'))]))
        .as('open_alerts'),
    ])
    .where('p.cooperation_id', '=', lookup.cooperationId)
    .where('p.id', '=', lookup.patientId)
    .where(visibleTo(lookup, EFFECTIVE_ID));
}

export function findVisiblePatient(db: Executor, ctx: RequestContext, patientId: string) {
  return visiblePatientQuery(db, lookupOf(ctx, patientId)).executeTakeFirst();
}

const IDENTIFIER_COLUMNS = [
  'pi.id',
  'pi.patient_id',
  'pi.establishment_id',
  'pi.ipp',
  'e.name as establishment_name',
] as const;

const CARE_COLUMNS = [
  'cr.id',
  'cr.establishment_id',
  'cr.unit_id',
  'cr.starts_on',
  'cr.ends_on',
  'cr.reason',
  'e.name as establishment_name',
  'u.name as unit_name',
] as const;

/**
 * The visible patient with everything the patient page shows — identifiers, care relationships and, when the
 * patient is seen under emergency access, that access — in one statement (one round trip instead of four).
 * Timestamps inside the JSON arrive as ISO strings; `patientDetailFrom` turns them back into dates.
 */
function visiblePatientDetailQuery(db: Executor, lookup: PatientLookup) {
  const cooperationId = lookup.cooperationId;
  return visiblePatientQuery(db, lookup).select((eb) => [
    jsonArrayFrom(
      eb
        .selectFrom('patient_identifiers as pi')
        .innerJoin('establishments as e', 'e.id', 'pi.establishment_id')
        .select(IDENTIFIER_COLUMNS)
        .where('pi.cooperation_id', '=', cooperationId)
        .whereRef('pi.patient_id', '=', 'p.id')
        .orderBy('e.name'),
    ).as('identifiers'),
    jsonArrayFrom(
      eb
        .selectFrom('care_relationships as cr')
        .innerJoin('establishments as e', 'e.id', 'cr.establishment_id')
        .leftJoin('units as u', 'u.id', 'cr.unit_id')
        .select(CARE_COLUMNS)
        .where('cr.cooperation_id', '=', cooperationId)
        .whereRef('cr.patient_id', '=', 'p.id')
        .orderBy('cr.starts_on', 'desc'),
    ).as('care'),
    jsonObjectFrom(
      eb
        .selectFrom('emergency_accesses as ea')
        .select(['ea.expires_at', 'ea.reason'])
        .whereRef('ea.patient_id', '=', 'p.id')
        .where('ea.user_id', '=', lookup.userId)
        .where('ea.expires_at', '>', lookup.now)
        .orderBy('ea.expires_at', 'desc')
        .limit(1),
    ).as('emergency_access'),
  ]);
}

/** The patient page's query, built once: it runs on every opening of a patient's record. */
const patientDetailTemplate = new QueryTemplate(
  ['cooperationId', 'patientId', 'establishmentId', 'userId', 'unitIds', 'today', 'now'],
  visiblePatientDetailQuery,
);

type PatientDetailJsonRow = Awaited<
  ReturnType<ReturnType<typeof visiblePatientDetailQuery>['executeTakeFirstOrThrow']>
>;

/** The JSON parts of a detail row with their dates restored; the emergency access only when not in care. */
function patientDetailFrom(row: PatientDetailJsonRow) {
  const { identifiers, care, emergency_access, ...patient } = row;
  const restored = {
    ...patient,
    created_at: new Date(patient.created_at),
    updated_at: new Date(patient.updated_at),
  };
  const emergency =
    !patient.in_care && emergency_access
      ? { expires_at: new Date(emergency_access.expires_at), reason: emergency_access.reason }
      : undefined;
  return { row: restored, identifiers, care, emergency };
}

export type PatientDetailParts = ReturnType<typeof patientDetailFrom>;

/** The visible patient with identifiers, care relationships and emergency access, or undefined. */
export async function findVisiblePatientDetail(
  db: Executor,
  ctx: RequestContext,
  patientId: string,
): Promise<PatientDetailParts | undefined> {
  const row = await patientDetailTemplate.executeTakeFirst(db, lookupOf(ctx, patientId));
  return row && patientDetailFrom(row);
}

/** The patient exists in the actor's cooperation (used only by the emergency-access flow). */
export function findPatientInCooperation(db: Executor, ctx: RequestContext, patientId: string) {
  return db
    .selectFrom('patients as p')
    .select(PATIENT_COLUMNS)
    .where('p.cooperation_id', '=', ctx.actor.cooperationId)
    .where('p.id', '=', patientId)
    .executeTakeFirst();
}

export function listIdentifiers(db: Executor, cooperationId: string, patientIds: string[]) {
  if (patientIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('patient_identifiers as pi')
    .innerJoin('establishments as e', 'e.id', 'pi.establishment_id')
    .select(IDENTIFIER_COLUMNS)
    .where('pi.cooperation_id', '=', cooperationId)
    .where('pi.patient_id', 'in', patientIds)
    .orderBy('e.name')
    .execute();
}

export function listCareRelationships(db: Executor, cooperationId: string, patientId: string) {
  return db
    .selectFrom('care_relationships as cr')
    .innerJoin('establishments as e', 'e.id', 'cr.establishment_id')
    .leftJoin('units as u', 'u.id', 'cr.unit_id')
    .select(CARE_COLUMNS)
    .where('cr.cooperation_id', '=', cooperationId)
    .where('cr.patient_id', '=', patientId)
    .orderBy('cr.starts_on', 'desc')
    .execute();
}

export function findPatientByIns(db: Executor, cooperationId: string, ins: string) {
  return db
    .selectFrom('patients')
    .select('id')
    .where('cooperation_id', '=', cooperationId)
    .where('ins', '=', ins)
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
}

export function findIdentifier(db: Executor, establishmentId: string, ipp: string) {
  return db
    .selectFrom('patient_identifiers')
    .select(['id', 'patient_id'])
    .where('establishment_id', '=', establishmentId)
    .where('ipp', '=', ipp)
    .executeTakeFirst();
}

/** Candidates for duplicate detection: same birth date in the cooperation, or same folded birth name and year. */
export function listDuplicateCandidatesForSystem(
  db: Executor,
  cooperationId: string,
  traits: { birthDate: string; firstWord: string },
  excludeId: string,
) {
  return db
    .selectFrom('patients as p')
    .select(PATIENT_COLUMNS)
    .where('p.cooperation_id', '=', cooperationId)
    .where('p.merged_into_id', 'is', null)
    .where('p.id', '!=', excludeId)
    .where((eb) =>
      eb.or([
        eb('p.birth_date', '=', traits.birthDate),
        eb.and([
          eb('p.search_text', 'like', `${traits.firstWord.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
          sql<SqlBool>`extract(year from p.birth_date) = ${Number(traits.birthDate.slice(0, 4))}`,
        ]),
      ]),
    )
    .limit(200)
    .execute();
}

export function listAccessLog(
  db: Executor,
  cooperationId: string,
  patientId: string,
  page: { limit: number; beforeSeq?: string | undefined },
) {
  let q = db
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .leftJoin('establishments as e', 'e.id', 'a.actor_establishment_id')
    .select([
      'a.seq',
      'a.occurred_at',
      'a.actor_label',
      'u.display_name',
      'e.name as establishment_name',
      'a.action',
      'a.outcome',
      'a.emergency',
    ])
    .where('a.cooperation_id', '=', cooperationId)
    .where('a.patient_id', '=', patientId);
  if (page.beforeSeq) q = q.where('a.seq', '<', page.beforeSeq);
  return q
    .orderBy('a.seq', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export function listOpenAlertsVisible(
  db: Executor,
  ctx: RequestContext,
  status: 'open' | 'dismissed' | 'merged',
  limit: number,
) {
  return (
    db
      .selectFrom('identity_alerts as ia')
      .select(['ia.id', 'ia.patient_id', 'ia.candidate_id', 'ia.score', 'ia.reasons', 'ia.status', 'ia.created_at'])
      .where('ia.cooperation_id', '=', ctx.actor.cooperationId)
      .where('ia.status', '=', status)
      // Reviewers see the alerts where both records are within their scope: merging needs both.
      .where(visibleTo(ctx, 'ia.patient_id'))
      .where(visibleTo(ctx, 'ia.candidate_id'))
      .orderBy('ia.created_at', 'desc')
      .limit(limit)
      .execute()
  );
}

export function findAlertVisible(db: Executor, ctx: RequestContext, alertId: string) {
  return db
    .selectFrom('identity_alerts as ia')
    .select(['ia.id', 'ia.patient_id', 'ia.candidate_id', 'ia.status'])
    .where('ia.cooperation_id', '=', ctx.actor.cooperationId)
    .where('ia.id', '=', alertId)
    .where(visibleTo(ctx, 'ia.patient_id'))
    .where(visibleTo(ctx, 'ia.candidate_id'))
    .executeTakeFirst();
}

export function listPatientsByIds(db: Executor, cooperationId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('patients as p')
    .select(PATIENT_COLUMNS)
    .where('p.cooperation_id', '=', cooperationId)
    .where('p.id', 'in', ids)
    .execute();
}

/** Every active patient of a cooperation, with the traits duplicate scoring needs (system scans). */
export function listTraitsForSystem(db: Executor, cooperationId: string) {
  return db
    .selectFrom('patients as p')
    .select(['p.id', 'p.birth_name', 'p.used_name', 'p.first_names', 'p.birth_date', 'p.sex', 'p.birth_place_code'])
    .where('p.cooperation_id', '=', cooperationId)
    .where('p.merged_into_id', 'is', null)
    .orderBy('p.birth_date')
    .execute();
}
