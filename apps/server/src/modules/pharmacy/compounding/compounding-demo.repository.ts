import type { Insertable } from 'kysely';
import type { DB, Executor } from '../../../core/db/index.ts';

/** SQL the demo loader needs (system context: the cooperation being seeded, no actor). */

export function listDemoUsersByRoleForSystem(db: Executor, cooperationId: string, establishmentId: string) {
  return db
    .selectFrom('memberships as ms')
    .innerJoin('users as us', 'us.id', 'ms.user_id')
    .select(['us.id', 'us.username', 'ms.role'])
    .where('ms.cooperation_id', '=', cooperationId)
    .where('ms.establishment_id', '=', establishmentId)
    .orderBy('us.username')
    .execute();
}

export function listDayHospitalsForSystem(db: Executor, cooperationId: string) {
  return db
    .selectFrom('units as u')
    .innerJoin('establishments as e', 'e.id', 'u.establishment_id')
    .select(['u.id', 'u.establishment_id', 'e.short_name'])
    .where('u.cooperation_id', '=', cooperationId)
    .where('u.kind', '=', 'day_hospital')
    .orderBy('e.short_name')
    .execute();
}

/** Adults in care at an establishment today, oldest registration first (deterministic). */
export function listPatientsInCareForSystem(
  db: Executor,
  cooperationId: string,
  establishmentId: string,
  limit: number,
) {
  return db
    .selectFrom('care_relationships as c')
    .innerJoin('patients as p', 'p.id', 'c.patient_id')
    .select(['p.id', 'p.birth_date', 'p.sex'])
    .distinct()
    .where('c.cooperation_id', '=', cooperationId)
    .where('c.establishment_id', '=', establishmentId)
    .where('c.ends_on', 'is', null)
    .where('p.merged_into_id', 'is', null)
    .where('p.birth_date', '<', '2005-01-01')
    .orderBy('p.id')
    .limit(limit)
    .execute();
}

export function listRegimensForSystem(db: Executor, cooperationId: string, codes: string[]) {
  return db
    .selectFrom('regimens')
    .select(['id', 'code', 'version', 'name', 'cycle_length_days', 'cycles'])
    .where('cooperation_id', '=', cooperationId)
    .where('code', 'in', codes)
    .where('status', '=', 'active')
    .execute();
}

export function listRegimenLinesForSystem(db: Executor, cooperationId: string, regimenIds: string[]) {
  return db
    .selectFrom('regimen_lines as l')
    .innerJoin('molecules as m', 'm.id', 'l.molecule_id')
    .selectAll('l')
    .select(['m.code as molecule_code', 'm.inn as molecule_inn', 'm.inn_fr as molecule_inn_fr'])
    .where('l.cooperation_id', '=', cooperationId)
    .where('l.regimen_id', 'in', regimenIds)
    .orderBy('l.position')
    .execute();
}

export function listPresentationsForSystem(db: Executor, cooperationId: string) {
  return db
    .selectFrom('presentations')
    .select(['id', 'code', 'cip13', 'molecule_id'])
    .where('cooperation_id', '=', cooperationId)
    .where('active', '=', true)
    .orderBy('code')
    .execute();
}

type Table = keyof DB;

/** Inserts rows in batches (bind parameters are limited per statement). */
export async function insertRowsForSystem<T extends Table>(
  db: Executor,
  table: T,
  rows: Insertable<DB[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) {
    // The union of every table's Insertable is too wide for Kysely's typing; rows are typed by the caller.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 400) as never)
      .execute();
  }
}

/** Patients already cared for at an establishment (care relationship) and the IPPs it has issued. */
export async function listCareAndIppsForSystem(db: Executor, cooperationId: string, establishmentId: string) {
  const [care, ipps] = await Promise.all([
    db
      .selectFrom('care_relationships')
      .select('patient_id')
      .where('cooperation_id', '=', cooperationId)
      .where('establishment_id', '=', establishmentId)
      .execute(),
    db
      .selectFrom('patient_identifiers')
      .select(['patient_id', 'ipp'])
      .where('cooperation_id', '=', cooperationId)
      .where('establishment_id', '=', establishmentId)
      .execute(),
  ]);
  return { care: new Set(care.map((c) => c.patient_id)), ipps };
}
