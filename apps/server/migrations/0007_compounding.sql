-- Shared chemotherapy pharmacy (2/2): compounding with barcode and gravimetric control, labels, release,
-- dispatch, reception, administration, returns, and the traceability that makes a lot recall possible.
-- Every table carries cooperation_id; records of production belong to the producing pharmacy's establishment.

-- The preparation states of 0004 are kept: the second-person check is recorded on the compounding record, and
-- release refuses a preparation without it (see the state machine in modules/pharmacy/compounding).

-- Patient history ("every preparation of this patient") and the production board of a pharmacy.
create index preparations_patient on preparations (cooperation_id, patient_id, administration_date);

-- Isolators of the production unit; a dedicated family keeps e.g. monoclonal antibodies apart from cytotoxics.
create table isolators (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  establishment_id uuid not null references establishments (id),
  site_id uuid references sites (id),
  code text not null,
  label text not null,
  dedicated_family text check (dedicated_family in ('cytotoxic', 'monoclonal_antibody', 'clinical_trial')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  unique (cooperation_id, code)
);

-- Vial stock: one row per received lot of a presentation (GTIN-14 = '0' + CIP13 for French packs).
create table drug_lots (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  establishment_id uuid not null references establishments (id),
  presentation_id uuid not null references presentations (id),
  gtin char(14) not null check (gtin ~ '^[0-9]{14}$'),
  lot text not null check (length(lot) between 1 and 20),
  expiry date not null,
  serial text check (length(serial) between 1 and 20),
  quantity integer not null check (quantity >= 0),
  received_at timestamptz not null default now(),
  unique (cooperation_id, gtin, lot)
);
create index drug_lots_presentation on drug_lots (presentation_id, expiry);

-- Opened vials kept within their stability (reliquats), used first by the fabrication plan.
create table reliquats (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  establishment_id uuid not null references establishments (id),
  presentation_id uuid not null references presentations (id),
  lot text not null,
  opened_at timestamptz not null,
  remaining_volume_ml numeric not null check (remaining_volume_ml >= 0),
  concentration_per_ml numeric not null check (concentration_per_ml > 0),
  expires_at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'used', 'expired', 'discarded')),
  source_preparation_id uuid references preparations (id),
  created_at timestamptz not null default now()
);
create index reliquats_open on reliquats (cooperation_id, presentation_id) where status = 'open';

-- Delivery notes: one per destination and departure, with the transport tracked.
create table delivery_notes (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  number text not null,
  pharmacy_establishment_id uuid not null references establishments (id),
  destination_kind text not null check (destination_kind in (
    'unit', 'site', 'partner_establishment', 'home_hospitalisation')),
  destination_establishment_id uuid not null references establishments (id),
  destination_site_id uuid references sites (id),
  destination_unit_id uuid references units (id),
  destination_label text not null,
  carrier text not null,
  departed_at timestamptz not null,
  received_at timestamptz,
  received_by uuid references users (id),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  unique (cooperation_id, number)
);

-- One compounding record per preparation: the plan, who made it where, the check, release, delivery and end.
create table compounding_records (
  preparation_id uuid primary key references preparations (id),
  cooperation_id uuid not null references cooperations (id),
  pharmacy_establishment_id uuid not null references establishments (id),
  isolator_id uuid not null references isolators (id),
  operator_id uuid not null references users (id),
  started_at timestamptz not null,
  -- The fabrication plan as computed at start (vials, draws, reconstitution, diluent, beyond-use date).
  plan jsonb not null,
  drug_cost_eur numeric not null check (drug_cost_eur >= 0),
  beyond_use_at timestamptz not null,
  final_volume_ml numeric not null,
  completed_at timestamptz,
  completed_by uuid references users (id),
  checked_at timestamptz,
  checked_by uuid references users (id),
  check_comment text,
  released_at timestamptz,
  released_by uuid references users (id),
  delivery_note_id uuid references delivery_notes (id),
  received_at timestamptz,
  received_by uuid references users (id),
  administered_at timestamptz,
  administered_by uuid references users (id)
);
create index compounding_records_started on compounding_records (pharmacy_establishment_id, started_at);
create index compounding_records_note on compounding_records (delivery_note_id) where delivery_note_id is not null;

-- Every vial scan, accepted or blocked: a blocked attempt is evidence too.
create table vial_scans (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  preparation_id uuid not null references preparations (id),
  raw text not null check (length(raw) <= 200),
  gtin char(14),
  lot text,
  expiry date,
  serial text,
  presentation_id uuid references presentations (id),
  result text not null check (result in ('accepted', 'blocked')),
  code text,
  scanned_by uuid not null references users (id),
  scanned_at timestamptz not null,
  recorded_at timestamptz not null default clock_timestamp(),
  check ((result = 'blocked') = (code is not null))
);
create index vial_scans_preparation on vial_scans (preparation_id, scanned_at);
-- Recall: a lot (optionally with its GTIN) → the preparations that received it.
create index vial_scans_lot on vial_scans (cooperation_id, lot, gtin) include (preparation_id) where result = 'accepted';

-- Every weighing (in-process draws and the finished product), accepted or rejected.
create table weighings (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  preparation_id uuid not null references preparations (id),
  step text not null check (step in ('draw', 'finished_product')),
  draw_index integer check (draw_index >= 0),
  volume_ml numeric not null,
  expected_g numeric not null,
  measured_g numeric not null,
  tare_g numeric not null,
  density_used numeric not null,
  deviation_percent numeric not null,
  limit_percent numeric not null,
  result text not null check (result in ('accepted', 'rejected')),
  source text not null check (source in ('manual', 'balance')),
  balance_id text,
  warnings text[] not null default '{}',
  weighed_by uuid not null references users (id),
  weighed_at timestamptz not null,
  -- Insertion order (weighed_at is the request's time; two weighings in one instant keep their order).
  recorded_at timestamptz not null default clock_timestamp(),
  check ((step = 'draw') = (draw_index is not null))
);
create index weighings_preparation on weighings (preparation_id, weighed_at);

create table preparation_labels (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  preparation_id uuid not null references preparations (id),
  format text not null check (format in ('pdf', 'zpl')),
  copies integer not null check (copies between 1 and 10),
  printed_by uuid not null references users (id),
  printed_at timestamptz not null
);
create index preparation_labels_preparation on preparation_labels (preparation_id);

-- Returns and destructions, with why and what it cost.
create table preparation_disposals (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  preparation_id uuid not null references preparations (id),
  kind text not null check (kind in ('returned', 'destroyed')),
  reason text not null check (length(reason) between 3 and 500),
  cost_eur numeric not null check (cost_eur >= 0),
  recorded_by uuid not null references users (id),
  recorded_at timestamptz not null
);
create index preparation_disposals_preparation on preparation_disposals (preparation_id);

-- Every change of a preparation's state from compounding on: who, when, why. Append-only.
create table preparation_transitions (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  preparation_id uuid not null references preparations (id),
  from_status text not null,
  to_status text not null,
  reason text,
  actor_id uuid references users (id),
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default clock_timestamp()
);
create index preparation_transitions_preparation on preparation_transitions (preparation_id, occurred_at);

create function preparation_transitions_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'preparation transitions are append-only' using errcode = 'P0004';
end $$;
create trigger preparation_transitions_append_only before update or delete on preparation_transitions
  for each row execute function preparation_transitions_append_only();

-- Live production board: every transition notifies the cooperation's channel, at commit, whichever server
-- process wrote it (PostgreSQL delivers NOTIFY only when the transaction commits).
create function preparation_transitions_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('preparation_events', json_build_object(
    'cooperationId', new.cooperation_id, 'preparationId', new.preparation_id,
    'from', new.from_status, 'to', new.to_status, 'at', new.occurred_at)::text);
  return new;
end $$;
create trigger preparation_transitions_notify after insert on preparation_transitions
  for each row execute function preparation_transitions_notify();
