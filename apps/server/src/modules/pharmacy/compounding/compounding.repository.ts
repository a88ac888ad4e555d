import { sql, type Insertable, type Updateable } from 'kysely';
import type { DB, Executor } from '../../../core/db/index.ts';
import type { PreparationStatus } from '../../../core/db/schema-pharmacy.ts';
import type { RequestContext } from '../../../core/context.ts';
import { visibleTo } from '../../patients/index.ts';

/*
 * SQL for compounding, dispatch and traceability. Every query takes the cooperation and, where a preparation
 * is read for someone, the establishment scope (`ProductionScope`): the producing pharmacy sees the
 * preparations it makes for all its clients; any other establishment sees only those it prescribed. Reads the
 * referential, prescriptions and patients (owned by their modules) without writing them, except the
 * preparation's status column, which the compounding state machine moves.
 */

/** The acting establishment: the pharmacy sees what it produces, a client what it prescribed. */
export interface ProductionScope {
  cooperationId: string;
  establishmentId: string;
}

const PREPARATION_COLUMNS = [
  'pr.id',
  'pr.cooperation_id',
  'pr.status',
  'pr.patient_id',
  'pr.prescription_id',
  'pr.prescription_line_id',
  'pr.molecule_id',
  'pr.dose',
  'pr.dose_unit',
  'pr.administration_date',
  'pr.destination_unit_id',
  'pr.anticipated',
  'pr.released_to_production_at',
  'pr.waste_cost_eur',
  'rx.status as prescription_status',
  'rx.establishment_id',
  'rx.pharmacy_establishment_id',
  'e.short_name as establishment_short_name',
  'pe.short_name as pharmacy_short_name',
  'u.name as destination_unit_name',
  'u.establishment_id as destination_unit_establishment_id',
  'm.code as molecule_code',
  'm.inn_fr as molecule_inn_fr',
  'rl.route',
  'rl.container_kind',
  'rl.diluent as line_diluent',
  'rl.volume_ml as line_volume_ml',
  'p.birth_name',
  'p.used_name',
  'p.first_names',
  'p.birth_date',
  'p.sex',
  'p.ins',
  'p.identity_status',
] as const;

function preparations(db: Executor, cooperationId: string) {
  return db
    .selectFrom('preparations as pr')
    .innerJoin('prescriptions as rx', 'rx.id', 'pr.prescription_id')
    .innerJoin('prescription_lines as pl', 'pl.id', 'pr.prescription_line_id')
    .innerJoin('regimen_lines as rl', 'rl.id', 'pl.regimen_line_id')
    .innerJoin('molecules as m', 'm.id', 'pr.molecule_id')
    .innerJoin('patients as p', 'p.id', 'pr.patient_id')
    .innerJoin('establishments as e', 'e.id', 'rx.establishment_id')
    .innerJoin('establishments as pe', 'pe.id', 'rx.pharmacy_establishment_id')
    .leftJoin('units as u', 'u.id', 'pr.destination_unit_id')
    .select(PREPARATION_COLUMNS)
    .where('pr.cooperation_id', '=', cooperationId);
}

export type PreparationRow = NonNullable<Awaited<ReturnType<typeof findPreparation>>>;

/** A preparation the acting establishment may see (producing pharmacy or prescribing establishment). */
export function findPreparation(
  db: Executor,
  scope: ProductionScope,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  let query = preparations(db, scope.cooperationId)
    .where('pr.id', '=', id)
    .where((eb) =>
      eb.or([
        eb('rx.pharmacy_establishment_id', '=', scope.establishmentId),
        eb('rx.establishment_id', '=', scope.establishmentId),
      ]),
    );
  if (options.forUpdate) query = query.forUpdate('pr');
  return query.executeTakeFirst();
}

export function listPreparationsByIds(db: Executor, scope: ProductionScope, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return preparations(db, scope.cooperationId)
    .where('pr.id', 'in', ids)
    .where('rx.pharmacy_establishment_id', '=', scope.establishmentId)
    .execute();
}

/** Moves one preparation, only if it is still in one of `from` (so a concurrent move is never overwritten). */
export function moveStatus(
  db: Executor,
  cooperationId: string,
  id: string,
  from: readonly PreparationStatus[],
  to: PreparationStatus,
  now: Date,
) {
  return db
    .updateTable('preparations')
    .set({ status: to, updated_at: now })
    .where('cooperation_id', '=', cooperationId)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returning(['id', 'status'])
    .executeTakeFirst();
}

export async function insertTransition(db: Executor, row: Insertable<DB['preparation_transitions']>): Promise<void> {
  await db.insertInto('preparation_transitions').values(row).execute();
}

export function listTransitions(db: Executor, cooperationId: string, preparationId: string) {
  return db
    .selectFrom('preparation_transitions as t')
    .leftJoin('users as us', 'us.id', 't.actor_id')
    .select(['t.from_status', 't.to_status', 't.reason', 't.actor_id', 't.occurred_at', 'us.display_name'])
    .where('t.cooperation_id', '=', cooperationId)
    .where('t.preparation_id', '=', preparationId)
    .orderBy('t.occurred_at')
    .orderBy('t.recorded_at')
    .execute();
}

export function findIpp(db: Executor, cooperationId: string, patientId: string, establishmentId: string) {
  return db
    .selectFrom('patient_identifiers')
    .select('ipp')
    .where('cooperation_id', '=', cooperationId)
    .where('patient_id', '=', patientId)
    .where('establishment_id', '=', establishmentId)
    .executeTakeFirst();
}

// --- referential and stock (read) --------------------------------------------------------------------------

export function listIsolators(db: Executor, scope: ProductionScope) {
  return db
    .selectFrom('isolators')
    .select(['id', 'code', 'label', 'dedicated_family'])
    .where('cooperation_id', '=', scope.cooperationId)
    .where('establishment_id', '=', scope.establishmentId)
    .where('active', '=', true)
    .orderBy('code')
    .execute();
}

export function findIsolator(db: Executor, scope: ProductionScope, id: string) {
  return db
    .selectFrom('isolators')
    .select(['id', 'code', 'label', 'dedicated_family', 'active'])
    .where('cooperation_id', '=', scope.cooperationId)
    .where('establishment_id', '=', scope.establishmentId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listPresentations(db: Executor, cooperationId: string, moleculeId: string, doseUnit: string) {
  return db
    .selectFrom('presentations')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('molecule_id', '=', moleculeId)
    .where('strength_unit', '=', doseUnit as 'mg')
    .where('active', '=', true)
    .orderBy('strength')
    .execute();
}

export function listLotsInStock(db: Executor, scope: ProductionScope, presentationIds: string[], today: string) {
  if (presentationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('drug_lots')
    .select(['presentation_id', 'lot', 'expiry', 'quantity', 'gtin'])
    .where('cooperation_id', '=', scope.cooperationId)
    .where('establishment_id', '=', scope.establishmentId)
    .where('presentation_id', 'in', presentationIds)
    .where('quantity', '>', 0)
    .where('expiry', '>=', today)
    .orderBy('expiry')
    .execute();
}

export function listOpenReliquats(db: Executor, scope: ProductionScope, presentationIds: string[]) {
  if (presentationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('reliquats')
    .selectAll()
    .where('cooperation_id', '=', scope.cooperationId)
    .where('establishment_id', '=', scope.establishmentId)
    .where('presentation_id', 'in', presentationIds)
    .where('status', '=', 'open')
    .orderBy('expires_at')
    .execute();
}

export function listContainers(db: Executor, cooperationId: string, kind: string) {
  return db
    .selectFrom('containers')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('kind', '=', kind as 'bag')
    .where('active', '=', true)
    .orderBy('nominal_volume_ml')
    .execute();
}

export function listStability(db: Executor, cooperationId: string, moleculeId: string) {
  return db
    .selectFrom('stability_entries')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('molecule_id', '=', moleculeId)
    .execute();
}

export function listDiluents(db: Executor, cooperationId: string) {
  return db.selectFrom('diluents').selectAll().where('cooperation_id', '=', cooperationId).execute();
}

/** The presentation a GTIN designates: a lot received in stock, else the French rule GTIN = '0' + CIP13. */
export function findPresentationByGtin(db: Executor, cooperationId: string, gtin: string, cip13: string | null) {
  return db
    .selectFrom('presentations as ps')
    .innerJoin('molecules as m', 'm.id', 'ps.molecule_id')
    .select(['ps.id', 'ps.molecule_id', 'ps.label', 'm.inn_fr as molecule_inn_fr'])
    .where('ps.cooperation_id', '=', cooperationId)
    .where((eb) =>
      eb.or([
        ...(cip13 ? [eb('ps.cip13', '=', cip13)] : []),
        eb(
          'ps.id',
          'in',
          eb
            .selectFrom('drug_lots')
            .select('presentation_id')
            .where('cooperation_id', '=', cooperationId)
            .where('gtin', '=', gtin),
        ),
      ]),
    )
    .executeTakeFirst();
}

export function findDrugLot(db: Executor, cooperationId: string, gtin: string, lot: string) {
  return db
    .selectFrom('drug_lots')
    .select(['id', 'expiry', 'quantity', 'presentation_id'])
    .where('cooperation_id', '=', cooperationId)
    .where('gtin', '=', gtin)
    .where('lot', '=', lot)
    .executeTakeFirst();
}

export async function decrementLot(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('drug_lots')
    .set({ quantity: sql`greatest(quantity - 1, 0)` })
    .where('id', '=', id)
    .execute();
}

export async function useReliquat(db: Executor, cooperationId: string, id: string, volumeMl: number): Promise<void> {
  await db
    .updateTable('reliquats')
    .set({
      remaining_volume_ml: sql`greatest(remaining_volume_ml - ${volumeMl}, 0)`,
      status: sql`case when remaining_volume_ml - ${volumeMl} <= 0.05 then 'used' else status end`,
    })
    .where('cooperation_id', '=', cooperationId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}

export async function insertReliquat(db: Executor, row: Insertable<DB['reliquats']>): Promise<void> {
  await db.insertInto('reliquats').values(row).execute();
}

// --- compounding record and its steps ----------------------------------------------------------------------

export async function insertRecord(db: Executor, row: Insertable<DB['compounding_records']>): Promise<void> {
  await db.insertInto('compounding_records').values(row).execute();
}

export function findRecord(db: Executor, cooperationId: string, preparationId: string) {
  return db
    .selectFrom('compounding_records as cr')
    .innerJoin('isolators as i', 'i.id', 'cr.isolator_id')
    .innerJoin('users as op', 'op.id', 'cr.operator_id')
    .selectAll('cr')
    .select([
      'i.code as isolator_code',
      'i.label as isolator_label',
      'i.dedicated_family as isolator_family',
      'op.display_name as operator_label',
    ])
    .where('cr.cooperation_id', '=', cooperationId)
    .where('cr.preparation_id', '=', preparationId)
    .executeTakeFirst();
}

export type RecordRow = NonNullable<Awaited<ReturnType<typeof findRecord>>>;

export async function updateRecord(
  db: Executor,
  cooperationId: string,
  preparationId: string,
  set: Updateable<DB['compounding_records']>,
): Promise<void> {
  await db
    .updateTable('compounding_records')
    .set(set)
    .where('cooperation_id', '=', cooperationId)
    .where('preparation_id', '=', preparationId)
    .execute();
}

export async function insertScan(db: Executor, row: Insertable<DB['vial_scans']>): Promise<void> {
  await db.insertInto('vial_scans').values(row).execute();
}

export function listScans(db: Executor, cooperationId: string, preparationId: string) {
  return db
    .selectFrom('vial_scans')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('preparation_id', '=', preparationId)
    .orderBy('scanned_at')
    .orderBy('recorded_at')
    .execute();
}

export async function insertWeighing(db: Executor, row: Insertable<DB['weighings']>): Promise<void> {
  await db.insertInto('weighings').values(row).execute();
}

export function listWeighings(db: Executor, cooperationId: string, preparationId: string) {
  return db
    .selectFrom('weighings')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('preparation_id', '=', preparationId)
    .orderBy('weighed_at')
    .orderBy('recorded_at')
    .execute();
}

export async function insertLabel(db: Executor, row: Insertable<DB['preparation_labels']>): Promise<void> {
  await db.insertInto('preparation_labels').values(row).execute();
}

export function listLabels(db: Executor, cooperationId: string, preparationId: string) {
  return db
    .selectFrom('preparation_labels')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('preparation_id', '=', preparationId)
    .orderBy('printed_at')
    .execute();
}

export async function insertDisposal(db: Executor, row: Insertable<DB['preparation_disposals']>): Promise<void> {
  await db.insertInto('preparation_disposals').values(row).execute();
}

export function findDisposal(db: Executor, cooperationId: string, preparationId: string) {
  return db
    .selectFrom('preparation_disposals')
    .selectAll()
    .where('cooperation_id', '=', cooperationId)
    .where('preparation_id', '=', preparationId)
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

// --- dispatch ----------------------------------------------------------------------------------------------

export function findUnit(db: Executor, cooperationId: string, id: string) {
  return db
    .selectFrom('units as u')
    .innerJoin('establishments as e', 'e.id', 'u.establishment_id')
    .select(['u.id', 'u.name', 'u.establishment_id', 'u.site_id', 'e.short_name'])
    .where('u.cooperation_id', '=', cooperationId)
    .where('u.id', '=', id)
    .executeTakeFirst();
}

export function findEstablishment(db: Executor, cooperationId: string, id: string) {
  return db
    .selectFrom('establishments')
    .select(['id', 'short_name', 'name'])
    .where('cooperation_id', '=', cooperationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findSite(db: Executor, cooperationId: string, id: string) {
  return db
    .selectFrom('sites')
    .select(['id', 'name', 'establishment_id'])
    .where('cooperation_id', '=', cooperationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function countDeliveryNotes(db: Executor, cooperationId: string, prefix: string): Promise<number> {
  const row = await db
    .selectFrom('delivery_notes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('cooperation_id', '=', cooperationId)
    .where('number', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertDeliveryNote(db: Executor, row: Insertable<DB['delivery_notes']>): Promise<void> {
  await db.insertInto('delivery_notes').values(row).execute();
}

export function findDeliveryNote(db: Executor, scope: ProductionScope, id: string) {
  return db
    .selectFrom('delivery_notes')
    .selectAll()
    .where('cooperation_id', '=', scope.cooperationId)
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('pharmacy_establishment_id', '=', scope.establishmentId),
        eb('destination_establishment_id', '=', scope.establishmentId),
      ]),
    )
    .executeTakeFirst();
}

export function listDeliveryNoteItems(db: Executor, cooperationId: string, noteId: string) {
  return preparations(db, cooperationId)
    .innerJoin('compounding_records as cr', 'cr.preparation_id', 'pr.id')
    .where('cr.delivery_note_id', '=', noteId)
    .orderBy('p.birth_name')
    .execute();
}

export async function markNoteReceived(db: Executor, cooperationId: string, noteId: string, by: string, at: Date) {
  await db
    .updateTable('delivery_notes')
    .set({ received_at: at, received_by: by })
    .where('cooperation_id', '=', cooperationId)
    .where('id', '=', noteId)
    .where('received_at', 'is', null)
    .execute();
}

// --- production board --------------------------------------------------------------------------------------

export function listBoard(
  db: Executor,
  scope: ProductionScope,
  date: string,
  statuses: readonly PreparationStatus[],
  filters: { establishmentId?: string | undefined; destinationUnitId?: string | undefined },
) {
  let query = preparations(db, scope.cooperationId)
    .leftJoin('compounding_records as cr', 'cr.preparation_id', 'pr.id')
    .leftJoin('isolators as i', 'i.id', 'cr.isolator_id')
    .select(['i.id as isolator_id', 'i.code as isolator_code', 'cr.checked_at'])
    .where('rx.pharmacy_establishment_id', '=', scope.establishmentId)
    .where('pr.status', 'in', [...statuses])
    .where((eb) =>
      eb.or([
        eb('pr.administration_date', '=', date),
        // Yesterday's unfinished work stays on today's board (and shows late).
        eb.and([
          eb('pr.administration_date', '<', date),
          eb('pr.status', 'in', ['ready_to_compound', 'in_compounding', 'compounded', 'released']),
        ]),
      ]),
    );
  if (filters.establishmentId) query = query.where('rx.establishment_id', '=', filters.establishmentId);
  if (filters.destinationUnitId) query = query.where('pr.destination_unit_id', '=', filters.destinationUnitId);
  return query.orderBy('pr.administration_date').orderBy('pr.released_to_production_at').orderBy('pr.id').execute();
}

// --- the unit's side ---------------------------------------------------------------------------------------

/**
 * Preparations dispatched to the acting establishment (to one of its units, or to the prescribing establishment
 * when no unit is named) and not yet received, or received and not yet administered, administration due from
 * `fromDate` on. `unitIds`: only these units (and preparations without a unit) for an actor restricted to units.
 */
export function listIncoming(db: Executor, scope: ProductionScope, fromDate: string, unitIds: string[] | null) {
  let query = preparations(db, scope.cooperationId)
    .innerJoin('compounding_records as cr', 'cr.preparation_id', 'pr.id')
    .leftJoin('delivery_notes as dn', 'dn.id', 'cr.delivery_note_id')
    .select([
      'cr.beyond_use_at',
      'cr.received_at',
      'dn.id as delivery_note_id',
      'dn.number as delivery_note_number',
      'dn.carrier as delivery_note_carrier',
      'dn.departed_at as delivery_note_departed_at',
    ])
    .where('pr.status', 'in', ['dispatched', 'received'])
    .where('pr.administration_date', '>=', fromDate)
    .where((eb) =>
      eb.or([
        eb.and([eb('pr.destination_unit_id', 'is not', null), eb('u.establishment_id', '=', scope.establishmentId)]),
        eb.and([eb('pr.destination_unit_id', 'is', null), eb('rx.establishment_id', '=', scope.establishmentId)]),
      ]),
    );
  if (unitIds) {
    query = query.where((eb) =>
      eb.or([eb('pr.destination_unit_id', 'is', null), eb('pr.destination_unit_id', 'in', unitIds)]),
    );
  }
  return query
    .orderBy(sql`case pr.status when 'dispatched' then 0 else 1 end`)
    .orderBy('pr.administration_date')
    .orderBy('u.name')
    .orderBy('p.birth_name')
    .orderBy('pr.id')
    .execute();
}

// --- traceability ------------------------------------------------------------------------------------------

/**
 * Lot recall: every preparation that received an accepted vial of `lot` (optionally of `gtin`), driven by the
 * partial index vial_scans_lot then primary keys. The query joins only what a recall shows (eight relations, within
 * PostgreSQL's join_collapse_limit, so the planner starts from the lot instead of the whole production history).
 * A preparation with two vials of the lot comes once per scan: callers keep the first.
 */
export function listByLot(db: Executor, scope: ProductionScope, lot: string, gtin: string | undefined) {
  let query = db
    .selectFrom('vial_scans as s')
    .innerJoin('preparations as pr', 'pr.id', 's.preparation_id')
    .innerJoin('prescriptions as rx', 'rx.id', 'pr.prescription_id')
    .innerJoin('patients as p', 'p.id', 'pr.patient_id')
    .innerJoin('molecules as m', 'm.id', 'pr.molecule_id')
    .innerJoin('establishments as e', 'e.id', 'rx.establishment_id')
    .leftJoin('units as u', 'u.id', 'pr.destination_unit_id')
    .leftJoin('compounding_records as cr', 'cr.preparation_id', 'pr.id')
    .select([
      'pr.id',
      'pr.status',
      'pr.patient_id',
      'pr.dose',
      'pr.dose_unit',
      'pr.administration_date',
      'pr.destination_unit_id',
      'rx.establishment_id',
      'e.short_name as establishment_short_name',
      'u.name as destination_unit_name',
      'm.inn_fr as molecule_inn_fr',
      'p.birth_name',
      'p.used_name',
      'p.first_names',
      'p.birth_date',
      'p.sex',
      's.lot',
      's.gtin',
      'cr.administered_at',
    ])
    .where('s.cooperation_id', '=', scope.cooperationId)
    .where('s.lot', '=', lot)
    .where('s.result', '=', 'accepted')
    .where('rx.pharmacy_establishment_id', '=', scope.establishmentId);
  if (gtin) query = query.where('s.gtin', '=', gtin);
  return query.orderBy('pr.administration_date', 'desc').orderBy('pr.id').execute();
}

/**
 * A patient the actor may trace: visible to them (the patients module's rule: care relationship or emergency
 * access), or one whose preparations their pharmacy made.
 */
export function findTraceablePatient(db: Executor, ctx: RequestContext, scope: ProductionScope, patientId: string) {
  return db
    .selectFrom('patients as p')
    .select(['p.id'])
    .where('p.cooperation_id', '=', scope.cooperationId)
    .where('p.id', '=', patientId)
    .where((eb) =>
      eb.or([
        visibleTo(ctx, 'p.id'),
        eb.exists(
          eb
            .selectFrom('preparations as pr')
            .innerJoin('prescriptions as rx', 'rx.id', 'pr.prescription_id')
            .select('pr.id')
            .where('pr.cooperation_id', '=', scope.cooperationId)
            .where('pr.patient_id', '=', patientId)
            .where('rx.pharmacy_establishment_id', '=', scope.establishmentId),
        ),
      ]),
    )
    .executeTakeFirst();
}

/** Patient history: every preparation of the patient in scope, newest first (index preparations_patient). */
export function listPatientPreparations(db: Executor, scope: ProductionScope, patientId: string) {
  return preparations(db, scope.cooperationId)
    .where('pr.patient_id', '=', patientId)
    .where((eb) =>
      eb.or([
        eb('rx.pharmacy_establishment_id', '=', scope.establishmentId),
        eb('rx.establishment_id', '=', scope.establishmentId),
      ]),
    )
    .orderBy('pr.administration_date', 'desc')
    .orderBy('pr.id')
    .execute();
}

export function listAcceptedLots(db: Executor, cooperationId: string, preparationIds: string[]) {
  if (preparationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('vial_scans')
    .select(['preparation_id', 'gtin', 'lot', 'expiry'])
    .where('cooperation_id', '=', cooperationId)
    .where('preparation_id', 'in', preparationIds)
    .where('result', '=', 'accepted')
    .orderBy('scanned_at')
    .execute();
}

// --- activity ----------------------------------------------------------------------------------------------

/**
 * Preparations made (compounding started and not cancelled) and the cost of the vials they opened, per month of
 * administration, producing pharmacy and client establishment.
 */
export function activityByMonth(db: Executor, scope: ProductionScope, fromDate: string, toDateExclusive: string) {
  return db
    .selectFrom('compounding_records as cr')
    .innerJoin('preparations as pr', 'pr.id', 'cr.preparation_id')
    .innerJoin('prescriptions as rx', 'rx.id', 'pr.prescription_id')
    .innerJoin('establishments as e', 'e.id', 'rx.establishment_id')
    .innerJoin('establishments as pe', 'pe.id', 'cr.pharmacy_establishment_id')
    .select([
      sql<string>`to_char(pr.administration_date, 'YYYY-MM')`.as('month'),
      'cr.pharmacy_establishment_id',
      'pe.short_name as pharmacy_short_name',
      'rx.establishment_id',
      'e.short_name as establishment_short_name',
      (eb) => eb.fn.countAll<string>().as('preparations'),
      sql<string>`sum(cr.drug_cost_eur)`.as('drug_cost_eur'),
    ])
    .where('cr.cooperation_id', '=', scope.cooperationId)
    .where('pr.status', '<>', 'cancelled')
    .where('pr.administration_date', '>=', fromDate)
    .where('pr.administration_date', '<', toDateExclusive)
    .where((eb) =>
      eb.or([
        eb('cr.pharmacy_establishment_id', '=', scope.establishmentId),
        eb('rx.establishment_id', '=', scope.establishmentId),
      ]),
    )
    .groupBy([
      sql`to_char(pr.administration_date, 'YYYY-MM')`,
      'cr.pharmacy_establishment_id',
      'pe.short_name',
      'rx.establishment_id',
      'e.short_name',
    ])
    .orderBy(sql`to_char(pr.administration_date, 'YYYY-MM')`)
    .orderBy('e.short_name')
    .execute();
}
