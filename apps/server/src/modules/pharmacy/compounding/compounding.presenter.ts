import type {
  BoardItemDto,
  IncomingItemDto,
  CompoundingProgressDto,
  DeliveryNoteDto,
  PatientBriefDto,
  PreparationDetailDto,
  PreparationStatusValue,
  VialScanDto,
  WeighingDto,
} from '@passerelle/contracts';
import type { Selectable } from 'kysely';
import type { DB } from '../../../core/db/index.ts';
import type * as repo from './compounding.repository.ts';

/** Row → DTO with explicit field lists: a new column never leaks. */

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function presentPatient(row: {
  patient_id: string;
  birth_name: string;
  used_name: string | null;
  first_names: string;
  birth_date: string;
  sex: 'F' | 'M' | 'I';
}): PatientBriefDto {
  return {
    id: row.patient_id,
    birthName: row.birth_name,
    usedName: row.used_name,
    firstNames: row.first_names,
    birthDate: row.birth_date,
    sex: row.sex,
  };
}

export function presentScan(row: Selectable<DB['vial_scans']>): VialScanDto {
  return {
    id: row.id,
    raw: row.raw,
    gtin: row.gtin,
    lot: row.lot,
    expiry: row.expiry,
    serial: row.serial,
    presentationId: row.presentation_id,
    result: row.result,
    code: row.code,
    scannedBy: row.scanned_by,
    scannedAt: iso(row.scanned_at)!,
  };
}

export function presentWeighing(row: Selectable<DB['weighings']>): WeighingDto {
  return {
    id: row.id,
    step: row.step,
    drawIndex: row.draw_index,
    volumeMl: Number(row.volume_ml),
    expectedG: Number(row.expected_g),
    measuredG: Number(row.measured_g),
    tareG: Number(row.tare_g),
    densityUsed: Number(row.density_used),
    deviationPercent: Number(row.deviation_percent),
    limitPercent: Number(row.limit_percent),
    result: row.result,
    source: row.source,
    balanceId: row.balance_id,
    warnings: row.warnings,
    weighedBy: row.weighed_by,
    weighedAt: iso(row.weighed_at)!,
  };
}

export function presentDetail(input: {
  prep: repo.PreparationRow;
  record: repo.RecordRow | undefined;
  progress: CompoundingProgressDto | null;
  scans: Selectable<DB['vial_scans']>[];
  weighings: Selectable<DB['weighings']>[];
  labels: Selectable<DB['preparation_labels']>[];
  disposal: Selectable<DB['preparation_disposals']> | undefined;
  transitions: Awaited<ReturnType<typeof repo.listTransitions>>;
  late: boolean;
}): PreparationDetailDto {
  const { prep, record } = input;
  return {
    id: prep.id,
    status: prep.status as PreparationStatusValue,
    patient: presentPatient(prep),
    prescriptionId: prep.prescription_id,
    establishment: { id: prep.establishment_id, shortName: prep.establishment_short_name },
    destinationUnit:
      prep.destination_unit_id && prep.destination_unit_name
        ? { id: prep.destination_unit_id, name: prep.destination_unit_name }
        : null,
    molecule: { id: prep.molecule_id, code: prep.molecule_code, innFr: prep.molecule_inn_fr },
    dose: Number(prep.dose),
    doseUnit: prep.dose_unit,
    route: prep.route,
    administrationDate: prep.administration_date,
    anticipated: prep.anticipated,
    late: input.late,
    compounding: record
      ? {
          isolator: {
            id: record.isolator_id,
            code: record.isolator_code,
            label: record.isolator_label,
            dedicatedFamily: record.isolator_family,
          },
          operatorId: record.operator_id,
          operatorLabel: record.operator_label,
          startedAt: iso(record.started_at)!,
          plan: record.plan,
          drugCostEur: Number(record.drug_cost_eur),
          beyondUseAt: iso(record.beyond_use_at)!,
          finalVolumeMl: Number(record.final_volume_ml),
          completedAt: iso(record.completed_at),
          checkedAt: iso(record.checked_at),
          checkedBy: record.checked_by,
          releasedAt: iso(record.released_at),
          releasedBy: record.released_by,
          deliveryNoteId: record.delivery_note_id,
          receivedAt: iso(record.received_at),
          administeredAt: iso(record.administered_at),
        }
      : null,
    progress: input.progress,
    scans: input.scans.map(presentScan),
    weighings: input.weighings.map(presentWeighing),
    labels: input.labels.map((l) => ({
      format: l.format,
      copies: l.copies,
      printedBy: l.printed_by,
      printedAt: iso(l.printed_at)!,
    })),
    disposal: input.disposal
      ? {
          kind: input.disposal.kind,
          reason: input.disposal.reason,
          costEur: Number(input.disposal.cost_eur),
          recordedAt: iso(input.disposal.recorded_at)!,
        }
      : null,
    transitions: input.transitions.map((t) => ({
      from: t.from_status,
      to: t.to_status,
      reason: t.reason,
      actorId: t.actor_id,
      actorLabel: t.display_name,
      at: iso(t.occurred_at)!,
    })),
  };
}

export function presentBoardItem(row: Awaited<ReturnType<typeof repo.listBoard>>[number], late: boolean): BoardItemDto {
  return {
    id: row.id,
    status: row.status as PreparationStatusValue,
    patient: presentPatient(row),
    molecule: { code: row.molecule_code, innFr: row.molecule_inn_fr },
    dose: Number(row.dose),
    doseUnit: row.dose_unit,
    administrationDate: row.administration_date,
    establishment: { id: row.establishment_id, shortName: row.establishment_short_name },
    destinationUnit:
      row.destination_unit_id && row.destination_unit_name
        ? { id: row.destination_unit_id, name: row.destination_unit_name }
        : null,
    isolator: row.isolator_id && row.isolator_code ? { id: row.isolator_id, code: row.isolator_code } : null,
    releasedToProductionAt: iso(row.released_to_production_at),
    checked: row.checked_at !== null,
    late,
  };
}

export function presentDeliveryNote(
  note: Selectable<DB['delivery_notes']>,
  items: repo.PreparationRow[],
): DeliveryNoteDto {
  return {
    id: note.id,
    number: note.number,
    destinationKind: note.destination_kind,
    destinationLabel: note.destination_label,
    destinationEstablishmentId: note.destination_establishment_id,
    destinationUnitId: note.destination_unit_id,
    destinationSiteId: note.destination_site_id,
    carrier: note.carrier,
    departedAt: iso(note.departed_at)!,
    receivedAt: iso(note.received_at),
    createdBy: note.created_by,
    items: items.map((p) => ({
      preparationId: p.id,
      patient: presentPatient(p),
      moleculeInnFr: p.molecule_inn_fr,
      dose: Number(p.dose),
      doseUnit: p.dose_unit,
      status: p.status as PreparationStatusValue,
    })),
  };
}

export function presentIncomingItem(row: Awaited<ReturnType<typeof repo.listIncoming>>[number]): IncomingItemDto {
  return {
    id: row.id,
    status: row.status as PreparationStatusValue,
    patient: presentPatient(row),
    molecule: { code: row.molecule_code, innFr: row.molecule_inn_fr },
    dose: Number(row.dose),
    doseUnit: row.dose_unit,
    route: row.route,
    administrationDate: row.administration_date,
    destinationUnit:
      row.destination_unit_id && row.destination_unit_name
        ? { id: row.destination_unit_id, name: row.destination_unit_name }
        : null,
    beyondUseAt: iso(row.beyond_use_at),
    deliveryNote:
      row.delivery_note_id && row.delivery_note_number && row.delivery_note_departed_at
        ? {
            id: row.delivery_note_id,
            number: row.delivery_note_number,
            carrier: row.delivery_note_carrier,
            departedAt: iso(row.delivery_note_departed_at)!,
          }
        : null,
    receivedAt: iso(row.received_at),
  };
}
