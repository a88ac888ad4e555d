import type { RequestContext } from '../../core/context.ts';
import type { Executor } from '../../core/db/index.ts';
import * as repo from './nm.repository.ts';

/**
 * Who sees what in the shared department (the cooperation's agreement, docs/adr/0005-nuclear-medicine.md):
 *
 * - The actor's sector is the one of their staff record (a private-sector secretary, a hospital physician),
 *   otherwise the one whose establishment they act for; department staff of the GCS belong to none.
 * - Sessions, planning and the counter hold no patient data: everyone with `nm:read` sees them.
 * - A booking is shown in full only when it lies in a session of the actor's sector (or the actor belongs to
 *   no sector) AND the patient is visible to the actor under the patients module's rule (care relationship or
 *   emergency access). Anything else is a busy slot: time, duration, exam type, status; no patient.
 * - Booking into, or recording in, another sector's session is refused to a sector member.
 */
export async function actorSector(db: Executor, ctx: RequestContext): Promise<string | null> {
  const coop = ctx.actor.cooperationId;
  const staff = await repo.findStaffOfUser(db, coop, ctx.actor.userId);
  if (staff) return staff.sector_id;
  if (!ctx.actor.establishmentId) return null;
  return (await repo.findSectorOfEstablishment(db, coop, ctx.actor.establishmentId))?.id ?? null;
}

export function mayWorkInSector(mySector: string | null, sessionSector: string): boolean {
  return mySector === null || mySector === sessionSector;
}

export function showsBookingInFull(mySector: string | null, sessionSector: string, patientVisible: boolean): boolean {
  return mayWorkInSector(mySector, sessionSector) && patientVisible;
}
