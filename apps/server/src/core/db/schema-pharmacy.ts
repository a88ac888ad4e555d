import type { ColumnType, Generated } from 'kysely';

/** Kysely table types for migrations/0004_pharmacy.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string, string>;
/** numeric columns come back as strings (no float rounding); write numbers or strings. */
type Numeric = ColumnType<string, number | string, number | string>;
type NullableNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export interface PharmacySettingsTable {
  cooperation_id: string;
  pharmacy_establishment_id: string;
  bsa: Json;
  renal: Json;
  rounding: Json;
  cumulative: Json;
  anticipation: Json;
  checks: Json;
  updated_at: Timestamp;
  updated_by: string | null;
}
export interface MoleculeTable {
  id: string;
  cooperation_id: string;
  code: string;
  inn: string;
  inn_fr: string;
  atc: string | null;
  dose_unit: 'mg' | 'ug' | 'U';
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface PresentationTable {
  id: string;
  cooperation_id: string;
  code: string;
  molecule_id: string;
  label: string;
  strength: Numeric;
  strength_unit: 'mg' | 'ug' | 'U';
  form: 'solution' | 'powder';
  reconstitution_diluent: string | null;
  reconstitution_volume_ml: NullableNumeric;
  concentration_per_ml: Numeric;
  volume_ml: Numeric;
  density_g_per_ml: NullableNumeric;
  unit_price_eur: Numeric;
  supplier: string | null;
  ucd13: string | null;
  cip13: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  /** migrations/0005_pharmacy_referential.sql */
  note: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface ContainerTable {
  id: string;
  cooperation_id: string;
  code: string;
  kind: 'bag' | 'syringe' | 'elastomeric_pump';
  label_fr: string;
  label_en: string;
  diluent: string | null;
  nominal_volume_ml: Numeric;
  tare_mass_g: Numeric;
  flow_rate_ml_per_h: NullableNumeric;
  active: Generated<boolean>;
}
export interface StabilityEntryTable {
  id: string;
  cooperation_id: string;
  code: string;
  molecule_id: string;
  phase: 'after_reconstitution' | 'after_dilution';
  diluent: string | null;
  concentration_min: NullableNumeric;
  concentration_max: NullableNumeric;
  container: string;
  temperature_min_c: Numeric;
  temperature_max_c: Numeric;
  light_protection: boolean;
  duration_hours: Numeric;
  source: string;
  evidence_level: 'A' | 'B' | 'C' | 'D' | null;
  verification: 'confirmed' | 'secondary' | 'unconfirmed';
  /** migrations/0005_pharmacy_referential.sql */
  note: ColumnType<string | null, string | null | undefined, string | null>;
}
/** migrations/0005_pharmacy_referential.sql */
export interface DiluentTable {
  id: string;
  cooperation_id: string;
  code: 'nacl_0_9' | 'glucose_5' | 'water_for_injection';
  label_fr: string;
  label_en: string;
  density_g_per_ml: NullableNumeric;
  density_source: string | null;
}
export interface RegimenTable {
  id: string;
  cooperation_id: string;
  code: string;
  version: number;
  name: string;
  indication_fr: string;
  indication_en: string;
  cycle_length_days: number;
  cycles: number | null;
  other_components: ColumnType<string[], string[] | undefined, string[]>;
  source: string;
  uncertain: string | null;
  status: Generated<'draft' | 'active' | 'retired'>;
  created_at: Timestamp;
  created_by: string | null;
}
export interface RegimenLineTable {
  id: string;
  cooperation_id: string;
  regimen_id: string;
  position: number;
  molecule_id: string;
  basis: 'per_m2' | 'per_kg' | 'auc' | 'flat';
  dose: Numeric;
  dose_unit: 'mg' | 'ug' | 'U';
  route: string;
  administration: string;
  container_kind: 'bag' | 'syringe' | 'elastomeric_pump';
  diluent: string | null;
  volume_ml: NullableNumeric;
  duration_min: number | null;
  days: number[];
  cycles_from: number | null;
  cycles_to: number | null;
  anticipated_allowed: boolean;
  max_single_dose: NullableNumeric;
  max_single_dose_behaviour: 'cap' | 'refuse' | null;
  note: string | null;
}
export interface PatientAllergyTable {
  id: string;
  cooperation_id: string;
  patient_id: string;
  molecule_id: string | null;
  substance: string;
  reaction: string | null;
  severity: 'mild' | 'moderate' | 'severe' | 'anaphylaxis';
  recorded_by: string | null;
  recorded_at: Timestamp;
}
export type PrescriptionStatus = 'draft' | 'signed' | 'validated' | 'returned' | 'cancelled';
export interface PrescriptionTable {
  id: string;
  cooperation_id: string;
  patient_id: string;
  establishment_id: string;
  pharmacy_establishment_id: string;
  prescriber_id: string;
  regimen_id: string;
  cycle_number: number;
  day1_date: DateOnly;
  destination_unit_id: string | null;
  height_cm: Numeric;
  weight_kg: Numeric;
  creatinine_value: NullableNumeric;
  creatinine_unit: 'umol/L' | 'mg/dL' | null;
  creatinine_date: ColumnType<string | null, string | null | undefined, string | null>;
  computation: Json;
  checks: Json;
  status: PrescriptionStatus;
  signed_at: Timestamp | null;
  validated_by: string | null;
  validated_at: Timestamp | null;
  returned_by: string | null;
  returned_at: Timestamp | null;
  return_reason: string | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  replaces_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PrescriptionLineTable {
  id: string;
  cooperation_id: string;
  prescription_id: string;
  regimen_line_id: string;
  molecule_id: string;
  day_of_cycle: number;
  administration_date: DateOnly;
  basis: string;
  protocol_dose: Numeric;
  adjustment_percent: Numeric;
  adjustment_reason: string | null;
  calculated_dose: Numeric;
  final_dose: Numeric;
  dose_unit: string;
  trace: Json;
}
export interface FitToTreatDecisionTable {
  id: string;
  cooperation_id: string;
  prescription_id: string;
  administration_date: DateOnly;
  decision: 'go' | 'postponed' | 'cancelled';
  blood_counts: Json | null;
  comment: string | null;
  recorded_by: string;
  recorded_at: Timestamp;
}
export type PreparationStatus =
  | 'awaiting_validation'
  | 'awaiting_green_light'
  | 'anticipated'
  | 'ready_to_compound'
  | 'in_compounding'
  | 'compounded'
  | 'released'
  | 'dispatched'
  | 'received'
  | 'administered'
  | 'returned'
  | 'destroyed'
  | 'cancelled';
export interface PreparationTable {
  id: string;
  cooperation_id: string;
  prescription_id: string;
  prescription_line_id: string;
  patient_id: string;
  molecule_id: string;
  dose: Numeric;
  dose_unit: string;
  administration_date: DateOnly;
  destination_unit_id: string | null;
  status: PreparationStatus;
  anticipated: Generated<boolean>;
  released_to_production_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  waste_cost_eur: NullableNumeric;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The patient's chair time (0010); the planner's due time is this minus transport. */
  scheduled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PharmacyTables {
  pharmacy_settings: PharmacySettingsTable;
  molecules: MoleculeTable;
  presentations: PresentationTable;
  containers: ContainerTable;
  stability_entries: StabilityEntryTable;
  diluents: DiluentTable;
  regimens: RegimenTable;
  regimen_lines: RegimenLineTable;
  patient_allergies: PatientAllergyTable;
  prescriptions: PrescriptionTable;
  prescription_lines: PrescriptionLineTable;
  fit_to_treat_decisions: FitToTreatDecisionTable;
  preparations: PreparationTable;
}
