import type { ColumnType } from 'kysely';

/** Kysely table types for migrations/0010_production_planning.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string, string>;
/** numeric columns come back as strings (no float rounding); write numbers or strings. */
type Numeric = ColumnType<string, number | string, number | string>;

export interface PlannerSettingsTable {
  cooperation_id: string;
  weights: Json;
  changeover_min: number;
  release_check_min: number;
  transport_min: number;
  transport_by_site: ColumnType<unknown, string | undefined, string>;
  default_appointment_min: number;
  cancellation_probability: Numeric;
  day_start_min: number;
  day_end_min: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface TechnicianShiftTable {
  id: string;
  cooperation_id: string;
  establishment_id: string;
  user_id: string;
  day: DateOnly;
  start_min: number;
  end_min: number;
  created_by: string;
  created_at: Timestamp;
}

export interface PlannerPinTable {
  preparation_id: string;
  cooperation_id: string;
  isolator_id: string;
  position: number | null;
  reason: string;
  pinned_by: string;
  pinned_at: Timestamp;
}

export interface ProductionPlanTable {
  cooperation_id: string;
  establishment_id: string;
  day: DateOnly;
  plan: Json;
  objective: Numeric;
  computed_at: Timestamp;
  compute_ms: number;
}

export interface AnticipationProposalTable {
  id: string;
  cooperation_id: string;
  establishment_id: string;
  for_day: DateOnly;
  created_at: Timestamp;
  candidates: number;
  items: Json;
  expected_waste_eur: Numeric;
  weighted_tardiness_without: Numeric;
  weighted_tardiness_with: Numeric;
}

export interface PlannerTables {
  planner_settings: PlannerSettingsTable;
  technician_shifts: TechnicianShiftTable;
  planner_pins: PlannerPinTable;
  production_plans: ProductionPlanTable;
  anticipation_proposals: AnticipationProposalTable;
}
