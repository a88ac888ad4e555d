import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { parisDate } from '../../core/clock.ts';
import type { RequestContext } from '../../core/context.ts';

/** A patient id column name, or an SQL expression yielding the id. */
type PatientRef = string | RawBuilder<unknown>;
const ref = (r: PatientRef) => (typeof r === 'string' ? sql.ref(r) : r);

/** Who looks, as the visibility rule needs it: plain values passed to the query as parameters, never inspected. */
export interface Viewer {
  establishmentId: string | null;
  userId: string;
  /** Units the actor is restricted to, or null when the actor sees the whole establishment. */
  unitIds: string[] | null;
  /** Today in Paris (YYYY-MM-DD), for care-relationship periods. */
  today: string;
  now: Date;
}

export function viewerOf(ctx: RequestContext): Viewer {
  const unitIds = ctx.actor.unitIds && ctx.actor.unitIds.length > 0 ? ctx.actor.unitIds : null;
  return {
    establishmentId: ctx.actor.establishmentId,
    userId: ctx.actor.userId,
    unitIds,
    today: parisDate(ctx.now),
    now: ctx.now,
  };
}

function inCareOfViewer(viewer: Viewer, patientIdColumn: PatientRef): RawBuilder<SqlBool> {
  // One text whether or not the viewer is restricted to units, so that a query template holds for both.
  const unitFilter = sql`and (cast(${viewer.unitIds} as uuid[]) is null or cr.unit_id is null
        or cr.unit_id = any(cast(${viewer.unitIds} as uuid[])))`;
  return sql<SqlBool>`exists (
      select 1 from care_relationships cr
      where cr.patient_id = ${ref(patientIdColumn)}
        and cr.establishment_id = ${viewer.establishmentId}
        and cr.starts_on <= ${viewer.today}
        and (cr.ends_on is null or cr.ends_on >= ${viewer.today})
        ${unitFilter}
    )`;
}

function underEmergencyAccessOfViewer(viewer: Viewer, patientIdColumn: PatientRef): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (
      select 1 from emergency_accesses ea
      where ea.patient_id = ${ref(patientIdColumn)} and ea.user_id = ${viewer.userId} and ea.expires_at > ${viewer.now}
    )`;
}

const asViewer = (who: RequestContext | Viewer): Viewer => ('actor' in who ? viewerOf(who) : who);

/**
 * The actor's establishment (and unit, when the actor is restricted to units) has a care relationship
 * with the patient that is active today.
 */
export function inCareOf(who: RequestContext | Viewer, patientIdColumn: PatientRef = 'p.id'): RawBuilder<SqlBool> {
  return inCareOfViewer(asViewer(who), patientIdColumn);
}

/** The actor holds an unexpired emergency access ("bris de glace") to the patient. */
export function underEmergencyAccess(
  who: RequestContext | Viewer,
  patientIdColumn: PatientRef = 'p.id',
): RawBuilder<SqlBool> {
  return underEmergencyAccessOfViewer(asViewer(who), patientIdColumn);
}

/**
 * The one rule for who sees a patient, used as a WHERE clause so that a record outside scope is
 * indistinguishable from a missing one.
 */
export function visibleTo(who: RequestContext | Viewer, patientIdColumn: PatientRef = 'p.id'): RawBuilder<SqlBool> {
  const viewer = asViewer(who);
  return sql<SqlBool>`(${inCareOfViewer(viewer, patientIdColumn)} or ${underEmergencyAccessOfViewer(viewer, patientIdColumn)})`;
}
