import type {
  ActivityDto,
  ActivityQuery,
  BoardDto,
  BoardQuery,
  PatientHistoryDto,
  PreparationStatusValue,
  RecallDto,
  RecallQuery,
} from '@passerelle/contracts';
import { appendAudit, auditFrom } from '../../../core/audit.ts';
import { parisDate } from '../../../core/clock.ts';
import type { RequestContext } from '../../../core/context.ts';
import { AppError, notFound } from '../../../core/errors.ts';
import { scopeOf, type CompoundingDeps } from './compounding.service.ts';
import { presentBoardItem, presentPatient } from './compounding.presenter.ts';
import * as repo from './compounding.repository.ts';
import { BOARD_STATUSES, isLate } from './state-machine.ts';

/** The production board: the day's preparations of the acting pharmacy, per state and isolator, late flagged. */
export async function getBoard(deps: CompoundingDeps, ctx: RequestContext, query: BoardQuery): Promise<BoardDto> {
  const scope = scopeOf(ctx);
  const today = parisDate(ctx.now);
  const date = query.date ?? today;
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.listBoard(trx, scope, date, BOARD_STATUSES, {
      establishmentId: query.establishmentId,
      destinationUnitId: query.destinationUnitId,
    });
    await appendAudit(
      trx,
      auditFrom(ctx, 'preparation.board_read', {
        resourceType: 'preparation',
        details: { date, results: rows.length, patientIds: [...new Set(rows.map((r) => r.patient_id))] },
      }),
      deps.ids,
    );
    const counts: Record<string, number> = Object.fromEntries(BOARD_STATUSES.map((s) => [s, 0]));
    const perIsolator = new Map<string, { isolatorId: string; code: string; counts: Record<string, number> }>();
    for (const r of rows) {
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      if (r.isolator_id && r.isolator_code) {
        let entry = perIsolator.get(r.isolator_id);
        if (!entry)
          perIsolator.set(r.isolator_id, (entry = { isolatorId: r.isolator_id, code: r.isolator_code, counts: {} }));
        entry.counts[r.status] = (entry.counts[r.status] ?? 0) + 1;
      }
    }
    return {
      date,
      counts,
      byIsolator: [...perIsolator.values()].sort((a, b) => a.code.localeCompare(b.code)),
      items: rows.map((r) =>
        presentBoardItem(
          r,
          isLate(
            {
              status: r.status,
              administrationDate: r.administration_date,
              releasedToProductionAt: r.released_to_production_at ? new Date(r.released_to_production_at) : null,
            },
            today,
            ctx.now,
          ),
        ),
      ),
    };
  });
}

/** Lot recall: every preparation, patient and destination that received a vial of the lot. */
export async function recallLot(deps: CompoundingDeps, ctx: RequestContext, query: RecallQuery): Promise<RecallDto> {
  const scope = scopeOf(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.listByLot(trx, scope, query.lot, query.gtin);
    const patients = [...new Set(rows.map((r) => r.patient_id))];
    await appendAudit(
      trx,
      auditFrom(ctx, 'traceability.lot_recall', {
        resourceType: 'drug_lot',
        details: { lot: query.lot, gtin: query.gtin ?? null, results: rows.length, patientIds: patients },
      }),
      deps.ids,
    );
    const seen = new Set<string>();
    const items = rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
    return {
      lot: query.lot,
      gtin: query.gtin ?? null,
      preparations: items.length,
      patients: patients.length,
      items: items.map((r) => ({
        preparationId: r.id,
        status: r.status as PreparationStatusValue,
        patient: presentPatient(r),
        moleculeInnFr: r.molecule_inn_fr,
        dose: Number(r.dose),
        doseUnit: r.dose_unit,
        administrationDate: r.administration_date,
        lot: r.lot ?? query.lot,
        gtin: r.gtin,
        establishment: { id: r.establishment_id, shortName: r.establishment_short_name },
        destinationUnit:
          r.destination_unit_id && r.destination_unit_name
            ? { id: r.destination_unit_id, name: r.destination_unit_name }
            : null,
        administeredAt: r.administered_at ? new Date(r.administered_at).toISOString() : null,
      })),
    };
  });
}

/** Patient history: every preparation with the lots it received, newest first. */
export async function patientHistory(
  deps: CompoundingDeps,
  ctx: RequestContext,
  patientId: string,
): Promise<PatientHistoryDto> {
  const scope = scopeOf(ctx);
  return deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findTraceablePatient(trx, ctx, scope, patientId))) throw notFound('Patient');
    const rows = await repo.listPatientPreparations(trx, scope, patientId);
    const lots = await repo.listAcceptedLots(
      trx,
      scope.cooperationId,
      rows.map((r) => r.id),
    );
    await appendAudit(
      trx,
      auditFrom(ctx, 'traceability.patient_history', {
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { results: rows.length },
      }),
      deps.ids,
    );
    return {
      patientId,
      items: rows.map((r) => ({
        preparationId: r.id,
        status: r.status as PreparationStatusValue,
        moleculeInnFr: r.molecule_inn_fr,
        dose: Number(r.dose),
        doseUnit: r.dose_unit,
        administrationDate: r.administration_date,
        lots: lots
          .filter((l) => l.preparation_id === r.id)
          .map((l) => ({ gtin: l.gtin, lot: l.lot ?? '', expiry: l.expiry })),
        establishment: { id: r.establishment_id, shortName: r.establishment_short_name },
      })),
    };
  });
}

const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** Activity per month, producing pharmacy and client: preparations made and the drug cost they consumed. */
export async function getActivity(
  deps: CompoundingDeps,
  ctx: RequestContext,
  query: ActivityQuery,
): Promise<ActivityDto> {
  if (query.to < query.from) {
    throw new AppError('VALIDATION_FAILED', 'The period ends before it starts', {
      fields: [{ path: 'querystring.to', message: 'must not be before from' }],
    });
  }
  const scope = scopeOf(ctx);
  const rows = await repo.activityByMonth(deps.db, scope, `${query.from}-01`, `${nextMonth(query.to)}-01`);
  return {
    from: query.from,
    to: query.to,
    rows: rows.map((r) => ({
      month: r.month,
      pharmacyEstablishment: { id: r.pharmacy_establishment_id, shortName: r.pharmacy_short_name },
      client: { id: r.establishment_id, shortName: r.establishment_short_name },
      preparations: Number(r.preparations),
      drugCostEur: Math.round(Number(r.drug_cost_eur) * 100) / 100,
    })),
  };
}

// --- CSV ------------------------------------------------------------------------------------------------------

/** RFC 4180 field; a leading =, +, - or @ is neutralised so a spreadsheet never runs it as a formula. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?[0-9.]+$/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function recallCsv(recall: RecallDto): string {
  return toCsv(
    [
      'preparation_id',
      'lot',
      'gtin',
      'status',
      'patient_birth_name',
      'patient_used_name',
      'patient_first_names',
      'patient_birth_date',
      'drug',
      'dose',
      'dose_unit',
      'administration_date',
      'establishment',
      'destination_unit',
      'administered_at',
    ],
    recall.items.map((i) => [
      i.preparationId,
      i.lot,
      i.gtin,
      i.status,
      i.patient.birthName,
      i.patient.usedName,
      i.patient.firstNames,
      i.patient.birthDate,
      i.moleculeInnFr,
      i.dose,
      i.doseUnit,
      i.administrationDate,
      i.establishment.shortName,
      i.destinationUnit?.name ?? '',
      i.administeredAt ?? '',
    ]),
  );
}

export function patientHistoryCsv(history: PatientHistoryDto): string {
  return toCsv(
    ['preparation_id', 'administration_date', 'status', 'drug', 'dose', 'dose_unit', 'establishment', 'lots'],
    history.items.map((i) => [
      i.preparationId,
      i.administrationDate,
      i.status,
      i.moleculeInnFr,
      i.dose,
      i.doseUnit,
      i.establishment.shortName,
      i.lots.map((l) => `${l.lot}${l.gtin ? ` (${l.gtin})` : ''}`).join(' | '),
    ]),
  );
}

export function activityCsv(activity: ActivityDto): string {
  return toCsv(
    ['month', 'pharmacy', 'client', 'preparations', 'drug_cost_eur'],
    activity.rows.map((r) => [
      r.month,
      r.pharmacyEstablishment.shortName,
      r.client.shortName,
      r.preparations,
      r.drugCostEur.toFixed(2),
    ]),
  );
}
