import type { ColumnType, Generated } from 'kysely';

/** Kysely table types for migrations/0008_nuclear_medicine.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string, string>;
/** numeric columns come back as strings (no float rounding); write numbers or strings. */
type Numeric = ColumnType<string, number | string, number | string>;
type NullableNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;
type EquipmentType = 'gamma_camera' | 'pet_ct';

export interface NmSectorTable {
  id: string;
  cooperation_id: string;
  code: string;
  name: string;
  establishment_id: string | null;
  position: Generated<number>;
}
export interface NmEquipmentTable {
  id: string;
  cooperation_id: string;
  code: string;
  name: string;
  type: EquipmentType;
  opening: Json;
  active: Generated<boolean>;
}
export interface NmClosureTable {
  id: string;
  cooperation_id: string;
  equipment_id: string;
  starts_on: DateOnly;
  ends_on: DateOnly;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
}
export interface NmStaffTable {
  id: string;
  cooperation_id: string;
  kind: 'physician' | 'radiographer' | 'secretary';
  sector_id: string | null;
  display_name: string;
  user_id: string | null;
  professional_id: string | null;
  active: Generated<boolean>;
}
export interface NmAbsenceTable {
  id: string;
  cooperation_id: string;
  staff_id: string;
  starts_on: DateOnly;
  ends_on: DateOnly;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
}
export interface NmShareAgreementTable {
  id: string;
  cooperation_id: string;
  equipment_type: EquipmentType | null;
  valid_from: DateOnly;
  shares: Json<{ sectorId: string; share: number }[]>;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
}
export interface NmTariffTable {
  id: string;
  cooperation_id: string;
  ccam_code: string;
  label: string;
  tariff_eur: Numeric;
  demo_value: Generated<boolean>;
  updated_at: Timestamp;
}
export interface NmExamTypeTable {
  id: string;
  cooperation_id: string;
  code: string;
  name_fr: string;
  name_en: string;
  equipment_type: EquipmentType;
  duration_min: number;
  preparation_fr: string;
  preparation_en: string;
  radiopharmaceutical: string;
  nuclide: string;
  mbq_per_kg: NullableNumeric;
  min_mbq: Numeric;
  max_mbq: Numeric;
  uptake_min: number;
  ccam_code: string;
  active: Generated<boolean>;
}
export interface NmSessionTable {
  id: string;
  cooperation_id: string;
  equipment_id: string;
  session_date: DateOnly;
  half_day: 'am' | 'pm';
  sector_id: string;
  physician_id: string;
  origin: 'proposal' | 'manual';
  change_reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface NmBookingTable {
  id: string;
  cooperation_id: string;
  session_id: string;
  patient_id: string;
  exam_type_id: string;
  start_min: number;
  duration_min: number;
  weight_kg: NullableNumeric;
  prescribed_mbq: Numeric;
  diabetic: Generated<boolean>;
  window_from_min: number | null;
  window_to_min: number | null;
  status: Generated<'booked' | 'performed' | 'cancelled'>;
  injected_mbq: NullableNumeric;
  measured_mbq: NullableNumeric;
  injected_at_min: number | null;
  booked_by: string | null;
  booking_establishment_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface NmActTable {
  id: string;
  cooperation_id: string;
  booking_id: string | null;
  session_id: string;
  sector_id: string;
  physician_id: string;
  equipment_type: EquipmentType;
  performed_on: DateOnly;
  ccam_code: string;
  value_eur: Numeric;
  created_by: string | null;
  created_at: Timestamp;
}
export interface NmDeliveryTable {
  id: string;
  cooperation_id: string;
  delivery_date: DateOnly;
  calibration_min: number;
  nuclide: Generated<string>;
  ordered_mbq: Numeric;
  measured_mbq: NullableNumeric;
  waste_mbq: NullableNumeric;
  created_by: string | null;
  created_at: Timestamp;
}

export interface NuclearMedicineTables {
  nm_sectors: NmSectorTable;
  nm_equipment: NmEquipmentTable;
  nm_closures: NmClosureTable;
  nm_staff: NmStaffTable;
  nm_absences: NmAbsenceTable;
  nm_share_agreements: NmShareAgreementTable;
  nm_tariffs: NmTariffTable;
  nm_exam_types: NmExamTypeTable;
  nm_sessions: NmSessionTable;
  nm_bookings: NmBookingTable;
  nm_acts: NmActTable;
  nm_deliveries: NmDeliveryTable;
}
