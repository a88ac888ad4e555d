import type { ColumnType } from 'kysely';

/** Kysely table types for migrations/0007_compounding.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateOnly = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string, string>;
/** numeric columns come back as strings (no float rounding); write numbers or strings. */
type Numeric = ColumnType<string, number | string, number | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface IsolatorTable {
  id: string;
  cooperation_id: string;
  establishment_id: string;
  site_id: Nullable<string>;
  code: string;
  label: string;
  dedicated_family: Nullable<'cytotoxic' | 'monoclonal_antibody' | 'clinical_trial'>;
  active: Defaulted<boolean>;
  created_at: Timestamp;
}
export interface DrugLotTable {
  id: string;
  cooperation_id: string;
  establishment_id: string;
  presentation_id: string;
  gtin: string;
  lot: string;
  expiry: DateOnly;
  serial: Nullable<string>;
  quantity: number;
  received_at: Timestamp;
}
export type ReliquatStatus = 'open' | 'used' | 'expired' | 'discarded';
export interface ReliquatTable {
  id: string;
  cooperation_id: string;
  establishment_id: string;
  presentation_id: string;
  lot: string;
  opened_at: Timestamp;
  remaining_volume_ml: Numeric;
  concentration_per_ml: Numeric;
  expires_at: Timestamp;
  status: Defaulted<ReliquatStatus>;
  source_preparation_id: Nullable<string>;
  created_at: Timestamp;
}
export type DestinationKind = 'unit' | 'site' | 'partner_establishment' | 'home_hospitalisation';
export interface DeliveryNoteTable {
  id: string;
  cooperation_id: string;
  number: string;
  pharmacy_establishment_id: string;
  destination_kind: DestinationKind;
  destination_establishment_id: string;
  destination_site_id: Nullable<string>;
  destination_unit_id: Nullable<string>;
  destination_label: string;
  carrier: string;
  departed_at: Timestamp;
  received_at: NullableTimestamp;
  received_by: Nullable<string>;
  created_by: string;
  created_at: Timestamp;
}
export interface CompoundingRecordTable {
  preparation_id: string;
  cooperation_id: string;
  pharmacy_establishment_id: string;
  isolator_id: string;
  operator_id: string;
  started_at: Timestamp;
  plan: Json;
  drug_cost_eur: Numeric;
  beyond_use_at: Timestamp;
  final_volume_ml: Numeric;
  completed_at: NullableTimestamp;
  completed_by: Nullable<string>;
  checked_at: NullableTimestamp;
  checked_by: Nullable<string>;
  check_comment: Nullable<string>;
  released_at: NullableTimestamp;
  released_by: Nullable<string>;
  delivery_note_id: Nullable<string>;
  received_at: NullableTimestamp;
  received_by: Nullable<string>;
  administered_at: NullableTimestamp;
  administered_by: Nullable<string>;
}
export interface VialScanTable {
  id: string;
  cooperation_id: string;
  preparation_id: string;
  raw: string;
  gtin: Nullable<string>;
  lot: Nullable<string>;
  expiry: Nullable<string>;
  serial: Nullable<string>;
  presentation_id: Nullable<string>;
  result: 'accepted' | 'blocked';
  code: Nullable<string>;
  scanned_by: string;
  scanned_at: Timestamp;
  recorded_at: Timestamp;
}
export interface WeighingTable {
  id: string;
  cooperation_id: string;
  preparation_id: string;
  step: 'draw' | 'finished_product';
  draw_index: Nullable<number>;
  volume_ml: Numeric;
  expected_g: Numeric;
  measured_g: Numeric;
  tare_g: Numeric;
  density_used: Numeric;
  deviation_percent: Numeric;
  limit_percent: Numeric;
  result: 'accepted' | 'rejected';
  source: 'manual' | 'balance';
  balance_id: Nullable<string>;
  warnings: ColumnType<string[], string[] | undefined, string[]>;
  weighed_by: string;
  weighed_at: Timestamp;
  recorded_at: Timestamp;
}
export interface PreparationLabelTable {
  id: string;
  cooperation_id: string;
  preparation_id: string;
  format: 'pdf' | 'zpl';
  copies: number;
  printed_by: string;
  printed_at: Timestamp;
}
export interface PreparationDisposalTable {
  id: string;
  cooperation_id: string;
  preparation_id: string;
  kind: 'returned' | 'destroyed';
  reason: string;
  cost_eur: Numeric;
  recorded_by: string;
  recorded_at: Timestamp;
}
export interface PreparationTransitionTable {
  id: string;
  cooperation_id: string;
  preparation_id: string;
  from_status: string;
  to_status: string;
  reason: Nullable<string>;
  actor_id: Nullable<string>;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
}

export interface CompoundingTables {
  isolators: IsolatorTable;
  drug_lots: DrugLotTable;
  reliquats: ReliquatTable;
  delivery_notes: DeliveryNoteTable;
  compounding_records: CompoundingRecordTable;
  vial_scans: VialScanTable;
  weighings: WeighingTable;
  preparation_labels: PreparationLabelTable;
  preparation_disposals: PreparationDisposalTable;
  preparation_transitions: PreparationTransitionTable;
}
