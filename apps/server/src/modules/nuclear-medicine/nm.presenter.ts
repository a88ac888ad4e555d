import type {
  NmAbsenceDto,
  NmClosureDto,
  NmEquipmentDto,
  NmExamTypeDto,
  NmOpening,
  NmSectorDto,
  NmSessionDto,
  NmShareAgreementDto,
  NmStaffDto,
  NmTariffDto,
} from '@passerelle/contracts';
import type * as repo from './nm.repository.ts';

/** Rows → DTOs with explicit field lists: a new column never leaks. */

export const presentSector = (r: repo.SectorRow): NmSectorDto => ({
  id: r.id,
  code: r.code,
  name: r.name,
  establishmentId: r.establishment_id,
});

export const presentEquipment = (r: repo.EquipmentRow): NmEquipmentDto => ({
  id: r.id,
  code: r.code,
  name: r.name,
  type: r.type,
  opening: r.opening as NmOpening,
  active: r.active,
});

export const presentStaff = (r: repo.StaffRow): NmStaffDto => ({
  id: r.id,
  kind: r.kind,
  sectorId: r.sector_id,
  displayName: r.display_name,
  userId: r.user_id,
  active: r.active,
});

export const presentExamType = (r: repo.ExamTypeRow): NmExamTypeDto => ({
  id: r.id,
  code: r.code,
  nameFr: r.name_fr,
  nameEn: r.name_en,
  equipmentType: r.equipment_type,
  durationMin: r.duration_min,
  preparationFr: r.preparation_fr,
  preparationEn: r.preparation_en,
  radiopharmaceutical: r.radiopharmaceutical,
  nuclide: r.nuclide,
  mbqPerKg: r.mbq_per_kg === null ? null : Number(r.mbq_per_kg),
  minMBq: Number(r.min_mbq),
  maxMBq: Number(r.max_mbq),
  uptakeMin: r.uptake_min,
  ccamCode: r.ccam_code,
});

export const presentTariff = (r: {
  ccam_code: string;
  label: string;
  tariff_eur: string;
  demo_value: boolean;
}): NmTariffDto => ({
  ccamCode: r.ccam_code,
  label: r.label,
  tariffEur: Number(r.tariff_eur),
  demoValue: r.demo_value,
});

export const presentAgreement = (r: repo.AgreementRow): NmShareAgreementDto => ({
  id: r.id,
  equipmentType: r.equipment_type,
  validFrom: r.valid_from,
  shares: r.shares,
  reason: r.reason,
});

export const presentClosure = (r: repo.ClosureRow): NmClosureDto => ({
  id: r.id,
  equipmentId: r.equipment_id,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  reason: r.reason,
});

export const presentAbsence = (r: repo.AbsenceRow): NmAbsenceDto => ({
  id: r.id,
  staffId: r.staff_id,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  reason: r.reason,
});

export const presentSession = (r: repo.SessionRow & { booking_count?: string | null }): NmSessionDto => ({
  id: r.id,
  equipmentId: r.equipment_id,
  date: r.session_date,
  halfDay: r.half_day,
  sectorId: r.sector_id,
  physicianId: r.physician_id,
  origin: r.origin,
  changeReason: r.change_reason,
  bookings: Number(r.booking_count ?? 0),
});
