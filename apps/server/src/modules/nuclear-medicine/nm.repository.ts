import { sql, type Insertable, type Selectable } from 'kysely';
import type { RequestContext } from '../../core/context.ts';
import type { DB, Executor } from '../../core/db/index.ts';
import { inCareOf, visibleTo } from '../patients/index.ts';

/**
 * SQL of the nuclear-medicine department. Every query is scoped by `cooperation_id`; patient scope is the
 * patients module's rule (`visibleTo` to read, `inCareOf` to book). No decisions here.
 */

export type SectorRow = Selectable<DB['nm_sectors']>;
export type EquipmentRow = Selectable<DB['nm_equipment']>;
export type StaffRow = Selectable<DB['nm_staff']>;
export type SessionRow = Selectable<DB['nm_sessions']>;
export type BookingRow = Selectable<DB['nm_bookings']>;
export type ExamTypeRow = Selectable<DB['nm_exam_types']>;
export type AgreementRow = Selectable<DB['nm_share_agreements']>;
export type ClosureRow = Selectable<DB['nm_closures']>;
export type AbsenceRow = Selectable<DB['nm_absences']>;
export type DeliveryRow = Selectable<DB['nm_deliveries']>;

// --- department ----------------------------------------------------------------------------------------

export const listSectors = (db: Executor, coop: string) =>
  db
    .selectFrom('nm_sectors')
    .selectAll()
    .where('cooperation_id', '=', coop)
    .orderBy('position')
    .orderBy('code')
    .execute();

export const listEquipment = (db: Executor, coop: string) =>
  db
    .selectFrom('nm_equipment')
    .selectAll()
    .where('cooperation_id', '=', coop)
    .orderBy('type')
    .orderBy('code')
    .execute();

export const listStaff = (db: Executor, coop: string) =>
  db
    .selectFrom('nm_staff')
    .selectAll()
    .where('cooperation_id', '=', coop)
    .orderBy('kind')
    .orderBy('display_name')
    .execute();

export const listExamTypes = (db: Executor, coop: string) =>
  db.selectFrom('nm_exam_types').selectAll().where('cooperation_id', '=', coop).orderBy('code').execute();

export const listTariffs = (db: Executor, coop: string) =>
  db.selectFrom('nm_tariffs').selectAll().where('cooperation_id', '=', coop).orderBy('ccam_code').execute();

export const listAgreements = (db: Executor, coop: string) =>
  db
    .selectFrom('nm_share_agreements')
    .selectAll()
    .where('cooperation_id', '=', coop)
    .orderBy('valid_from')
    .orderBy('created_at')
    .execute();

export const findStaffOfUser = (db: Executor, coop: string, userId: string) =>
  db
    .selectFrom('nm_staff')
    .selectAll()
    .where('cooperation_id', '=', coop)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export const findSectorOfEstablishment = (db: Executor, coop: string, establishmentId: string) =>
  db
    .selectFrom('nm_sectors')
    .select('id')
    .where('cooperation_id', '=', coop)
    .where('establishment_id', '=', establishmentId)
    .executeTakeFirst();

export const findEquipment = (db: Executor, coop: string, id: string) =>
  db.selectFrom('nm_equipment').selectAll().where('cooperation_id', '=', coop).where('id', '=', id).executeTakeFirst();

export const findStaff = (db: Executor, coop: string, id: string) =>
  db.selectFrom('nm_staff').selectAll().where('cooperation_id', '=', coop).where('id', '=', id).executeTakeFirst();

export const findSector = (db: Executor, coop: string, id: string) =>
  db.selectFrom('nm_sectors').selectAll().where('cooperation_id', '=', coop).where('id', '=', id).executeTakeFirst();

export const findExamType = (db: Executor, coop: string, id: string) =>
  db.selectFrom('nm_exam_types').selectAll().where('cooperation_id', '=', coop).where('id', '=', id).executeTakeFirst();

export const findTariff = (db: Executor, coop: string, ccamCode: string) =>
  db
    .selectFrom('nm_tariffs')
    .selectAll()
    .where('cooperation_id', '=', coop)
    .where('ccam_code', '=', ccamCode)
    .executeTakeFirst();

export const insertAgreement = (db: Executor, row: Insertable<DB['nm_share_agreements']>) =>
  db.insertInto('nm_share_agreements').values(row).execute();

export const upsertTariff = (db: Executor, row: Insertable<DB['nm_tariffs']>) =>
  db
    .insertInto('nm_tariffs')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['cooperation_id', 'ccam_code']).doUpdateSet({
        label: row.label,
        tariff_eur: row.tariff_eur,
        demo_value: false,
        updated_at: row.updated_at!,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();

// --- closures and absences -----------------------------------------------------------------------------

export const listClosures = (db: Executor, coop: string, from: string, to: string) =>
  db
    .selectFrom('nm_closures')
    .selectAll()
    .where('cooperation_id', '=', coop)
    .where('starts_on', '<=', to)
    .where('ends_on', '>=', from)
    .orderBy('starts_on')
    .execute();

export const listAbsences = (db: Executor, coop: string, from: string, to: string) =>
  db
    .selectFrom('nm_absences')
    .selectAll()
    .where('cooperation_id', '=', coop)
    .where('starts_on', '<=', to)
    .where('ends_on', '>=', from)
    .orderBy('starts_on')
    .execute();

export const insertClosure = (db: Executor, row: Insertable<DB['nm_closures']>) =>
  db.insertInto('nm_closures').values(row).execute();
export const insertAbsence = (db: Executor, row: Insertable<DB['nm_absences']>) =>
  db.insertInto('nm_absences').values(row).execute();

// --- sessions ------------------------------------------------------------------------------------------

export const listSessions = (db: Executor, coop: string, from: string, to: string) =>
  db
    .selectFrom('nm_sessions as s')
    .selectAll('s')
    .select((eb) =>
      eb
        .selectFrom('nm_bookings as b')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('b.session_id', '=', 's.id')
        .where('b.status', '<>', 'cancelled')
        .as('booking_count'),
    )
    .where('s.cooperation_id', '=', coop)
    .where('s.session_date', '>=', from)
    .where('s.session_date', '<=', to)
    .orderBy('s.session_date')
    .orderBy('s.half_day')
    .execute();

export const findSession = (db: Executor, coop: string, id: string) =>
  db.selectFrom('nm_sessions').selectAll().where('cooperation_id', '=', coop).where('id', '=', id).executeTakeFirst();

/** Sessions of a physician on a date and half-day (a physician reads one machine at a time). */
export const findPhysicianSession = (db: Executor, coop: string, physicianId: string, date: string, half: string) =>
  db
    .selectFrom('nm_sessions')
    .select(['id', 'equipment_id'])
    .where('cooperation_id', '=', coop)
    .where('physician_id', '=', physicianId)
    .where('session_date', '=', date)
    .where('half_day', '=', half as 'am' | 'pm')
    .executeTakeFirst();

export const findSessionAt = (db: Executor, coop: string, equipmentId: string, date: string, half: string) =>
  db
    .selectFrom('nm_sessions')
    .select('id')
    .where('cooperation_id', '=', coop)
    .where('equipment_id', '=', equipmentId)
    .where('session_date', '=', date)
    .where('half_day', '=', half as 'am' | 'pm')
    .executeTakeFirst();

/** Sessions per sector for one equipment type between two dates (the fair-share history). */
export const countSessionsBySector = (db: Executor, coop: string, type: string, from: string, to: string) =>
  db
    .selectFrom('nm_sessions as s')
    .innerJoin('nm_equipment as e', 'e.id', 's.equipment_id')
    .select(['s.sector_id', sql<string>`count(*)`.as('n')])
    .where('s.cooperation_id', '=', coop)
    .where('e.type', '=', type as 'pet_ct' | 'gamma_camera')
    .where('s.session_date', '>=', from)
    .where('s.session_date', '<=', to)
    .groupBy('s.sector_id')
    .execute();

export const insertSessions = (db: Executor, rows: Insertable<DB['nm_sessions']>[]) =>
  rows.length === 0
    ? Promise.resolve()
    : db
        .insertInto('nm_sessions')
        .values(rows)
        .execute()
        .then(() => undefined);

export const updateSession = (
  db: Executor,
  coop: string,
  id: string,
  values: { sector_id: string; physician_id: string; change_reason: string; updated_at: Date },
) =>
  db
    .updateTable('nm_sessions')
    .set({ ...values, origin: 'manual' })
    .where('cooperation_id', '=', coop)
    .where('id', '=', id)
    .execute();

// --- bookings ------------------------------------------------------------------------------------------

/** Bookings of some sessions, with the patient's identity only when the actor may see the patient. */
export function listBookingsOfSessions(db: Executor, ctx: RequestContext, sessionIds: string[]) {
  if (sessionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('nm_bookings as b')
    .innerJoin('patients as p', 'p.id', 'b.patient_id')
    .selectAll('b')
    .select(visibleTo(ctx, 'b.patient_id').as('patient_visible'))
    .select(['p.birth_name', 'p.used_name', 'p.first_names', 'p.birth_date'])
    .where('b.cooperation_id', '=', ctx.actor.cooperationId)
    .where('b.session_id', 'in', sessionIds)
    .orderBy('b.start_min')
    .execute();
}

export const findBooking = (db: Executor, coop: string, id: string) =>
  db.selectFrom('nm_bookings').selectAll().where('cooperation_id', '=', coop).where('id', '=', id).executeTakeFirst();

export const listActiveBookingsOfSession = (db: Executor, coop: string, sessionId: string) =>
  db
    .selectFrom('nm_bookings as b')
    .innerJoin('nm_exam_types as x', 'x.id', 'b.exam_type_id')
    .select(['b.id', 'b.start_min', 'b.duration_min', 'x.uptake_min'])
    .where('b.cooperation_id', '=', coop)
    .where('b.session_id', '=', sessionId)
    .where('b.status', '<>', 'cancelled')
    .execute();

export const insertBooking = (db: Executor, row: Insertable<DB['nm_bookings']>) =>
  db.insertInto('nm_bookings').values(row).execute();

export const updateBooking = (
  db: Executor,
  coop: string,
  id: string,
  values: Partial<{
    status: 'booked' | 'performed' | 'cancelled';
    injected_mbq: number;
    measured_mbq: number | null;
    injected_at_min: number | null;
    start_min: number;
    updated_at: Date;
  }>,
) => db.updateTable('nm_bookings').set(values).where('cooperation_id', '=', coop).where('id', '=', id).execute();

/** Whether the patient is in the acting establishment's care (booking and recording act on their behalf). */
export const patientInCare = (db: Executor, ctx: RequestContext, patientId: string) =>
  db
    .selectFrom('patients as p')
    .select(['p.id', 'p.merged_into_id'])
    .where('p.cooperation_id', '=', ctx.actor.cooperationId)
    .where('p.id', '=', patientId)
    .where(inCareOf(ctx, 'p.id'))
    .executeTakeFirst();

/** The PET bookings of a day (F-18 exams on PET-CT), with what the order needs. */
export function listPetBookings(db: Executor, ctx: RequestContext, date: string) {
  return db
    .selectFrom('nm_bookings as b')
    .innerJoin('nm_sessions as s', 's.id', 'b.session_id')
    .innerJoin('nm_equipment as e', 'e.id', 's.equipment_id')
    .innerJoin('nm_exam_types as x', 'x.id', 'b.exam_type_id')
    .innerJoin('patients as p', 'p.id', 'b.patient_id')
    .selectAll('b')
    .select(['s.equipment_id', 's.sector_id', 'x.uptake_min', 'x.min_mbq', 'x.max_mbq'])
    .select(['p.birth_name', 'p.used_name', 'p.first_names'])
    .select(visibleTo(ctx, 'b.patient_id').as('patient_visible'))
    .where('b.cooperation_id', '=', ctx.actor.cooperationId)
    .where('s.session_date', '=', date)
    .where('e.type', '=', 'pet_ct')
    .where('x.nuclide', '=', 'F18')
    .where('b.status', '<>', 'cancelled')
    .orderBy('b.start_min')
    .execute();
}

// --- acts and the counter ------------------------------------------------------------------------------

export const insertAct = (db: Executor, row: Insertable<DB['nm_acts']>) =>
  db.insertInto('nm_acts').values(row).execute();

/** Sessions per month, equipment type, sector and physician. */
export const sessionCounts = (db: Executor, coop: string, from: string, to: string) =>
  db
    .selectFrom('nm_sessions as s')
    .innerJoin('nm_equipment as e', 'e.id', 's.equipment_id')
    .select([
      sql<string>`to_char(s.session_date, 'YYYY-MM')`.as('month'),
      'e.type',
      's.sector_id',
      's.physician_id',
      sql<string>`count(*)`.as('n'),
    ])
    .where('s.cooperation_id', '=', coop)
    .where('s.session_date', '>=', from)
    .where('s.session_date', '<=', to)
    .groupBy([sql`to_char(s.session_date, 'YYYY-MM')`, 'e.type', 's.sector_id', 's.physician_id'])
    .execute();

/** Acts and their value per month, equipment type, sector and physician. */
export const actTotals = (db: Executor, coop: string, from: string, to: string) =>
  db
    .selectFrom('nm_acts as a')
    .select([
      sql<string>`to_char(a.performed_on, 'YYYY-MM')`.as('month'),
      'a.equipment_type',
      'a.sector_id',
      'a.physician_id',
      sql<string>`count(*)`.as('n'),
      sql<string>`coalesce(sum(a.value_eur), 0)`.as('value'),
    ])
    .where('a.cooperation_id', '=', coop)
    .where('a.performed_on', '>=', from)
    .where('a.performed_on', '<=', to)
    .groupBy([sql`to_char(a.performed_on, 'YYYY-MM')`, 'a.equipment_type', 'a.sector_id', 'a.physician_id'])
    .execute();

/** The sector's sessions of a month with their acts, for the monthly export. */
export const sectorMonth = (db: Executor, coop: string, sectorId: string, from: string, to: string) =>
  db
    .selectFrom('nm_sessions as s')
    .innerJoin('nm_equipment as e', 'e.id', 's.equipment_id')
    .innerJoin('nm_staff as m', 'm.id', 's.physician_id')
    .leftJoin('nm_acts as a', 'a.session_id', 's.id')
    .select([
      's.session_date',
      's.half_day',
      'e.code as equipment_code',
      'e.type as equipment_type',
      'm.display_name as physician',
      sql<string>`count(a.id)`.as('acts'),
      sql<string>`coalesce(sum(a.value_eur), 0)`.as('value'),
      sql<string>`coalesce(string_agg(a.ccam_code, ' ' order by a.ccam_code), '')`.as('ccam_codes'),
    ])
    .where('s.cooperation_id', '=', coop)
    .where('s.sector_id', '=', sectorId)
    .where('s.session_date', '>=', from)
    .where('s.session_date', '<=', to)
    .groupBy(['s.id', 's.session_date', 's.half_day', 'e.code', 'e.type', 'm.display_name'])
    .orderBy('s.session_date')
    .orderBy('s.half_day')
    .orderBy('e.code')
    .execute();

// --- deliveries ----------------------------------------------------------------------------------------

export const listDeliveries = (db: Executor, coop: string, date: string) =>
  db
    .selectFrom('nm_deliveries')
    .selectAll()
    .where('cooperation_id', '=', coop)
    .where('delivery_date', '=', date)
    .orderBy('calibration_min')
    .execute();

export const deleteUnmeasuredDeliveries = (db: Executor, coop: string, date: string) =>
  db
    .deleteFrom('nm_deliveries')
    .where('cooperation_id', '=', coop)
    .where('delivery_date', '=', date)
    .where('measured_mbq', 'is', null)
    .execute();

export const insertDeliveries = (db: Executor, rows: Insertable<DB['nm_deliveries']>[]) =>
  db.insertInto('nm_deliveries').values(rows).execute();

export const findDelivery = (db: Executor, coop: string, id: string) =>
  db.selectFrom('nm_deliveries').selectAll().where('cooperation_id', '=', coop).where('id', '=', id).executeTakeFirst();

export const updateDelivery = (
  db: Executor,
  coop: string,
  id: string,
  values: { measured_mbq: number; waste_mbq: number },
) => db.updateTable('nm_deliveries').set(values).where('cooperation_id', '=', coop).where('id', '=', id).execute();

// --- configuration -------------------------------------------------------------------------------------

export const findEstablishmentForSector = (db: Executor, coop: string, id: string) =>
  db
    .selectFrom('establishments')
    .select('id')
    .where('cooperation_id', '=', coop)
    .where('id', '=', id)
    .executeTakeFirst();

/** Enabled accounts of the cooperation with their roles, for linking a team member to the account they use. */
export const listAccountsForStaff = (db: Executor, coop: string) =>
  db
    .selectFrom('users as u')
    .select(['u.id', 'u.display_name', 'u.username'])
    .select(
      sql<
        string[]
      >`coalesce((select array_agg(distinct m.role order by m.role) from memberships m where m.user_id = u.id), '{}')`.as(
        'roles',
      ),
    )
    .where('u.cooperation_id', '=', coop)
    .where('u.disabled', '=', false)
    .orderBy('u.display_name')
    .orderBy('u.id')
    .limit(1000)
    .execute();

export const findUserForStaff = (db: Executor, coop: string, id: string) =>
  db.selectFrom('users').select('id').where('cooperation_id', '=', coop).where('id', '=', id).executeTakeFirst();

export const insertSector = (db: Executor, row: Insertable<DB['nm_sectors']>) =>
  db.insertInto('nm_sectors').values(row).execute();
export const insertEquipment = (db: Executor, row: Insertable<DB['nm_equipment']>) =>
  db.insertInto('nm_equipment').values(row).execute();
export const insertStaff = (db: Executor, row: Insertable<DB['nm_staff']>) =>
  db.insertInto('nm_staff').values(row).execute();
export const insertExamType = (db: Executor, row: Insertable<DB['nm_exam_types']>) =>
  db.insertInto('nm_exam_types').values(row).execute();
