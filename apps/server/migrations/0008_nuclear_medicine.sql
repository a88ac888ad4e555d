-- Shared nuclear-medicine department (issue 6): equipment and their closures, sectors and their agreed shares,
-- staff and absences, half-day sessions ("vacations"), exam types and tariffs, bookings, acts (the counter) and
-- the PET radiopharmaceutical deliveries. Times of day are minutes since midnight, Paris time.

create table nm_sectors (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  code text not null check (code ~ '^[a-z0-9_]{2,32}$'),
  name text not null,
  -- The establishment whose staff belong to this sector (the public hospital, the private clinic), if one.
  establishment_id uuid references establishments (id),
  position integer not null default 0,
  unique (cooperation_id, code)
);

create table nm_equipment (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  code text not null,
  name text not null,
  type text not null check (type in ('gamma_camera', 'pet_ct')),
  opening jsonb not null,  -- { weekdays: [1..7], am: [from, to], pm: [from, to] } in minutes
  active boolean not null default true,
  unique (cooperation_id, code)
);

create table nm_closures (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  equipment_id uuid not null references nm_equipment (id),
  starts_on date not null,
  ends_on date not null,
  reason text not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on)
);
create index nm_closures_equipment on nm_closures (equipment_id, starts_on);

create table nm_staff (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  kind text not null check (kind in ('physician', 'radiographer', 'secretary')),
  sector_id uuid references nm_sectors (id),
  display_name text not null,
  -- The account of this person, when they sign in (their sector decides what their bookings view shows).
  user_id uuid references users (id),
  professional_id uuid references professionals (id),
  active boolean not null default true,
  -- A physician always belongs to a sector: sessions go to a sector through its physicians.
  check (kind <> 'physician' or sector_id is not null)
);
create unique index nm_staff_user on nm_staff (cooperation_id, user_id) where user_id is not null;

create table nm_absences (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  staff_id uuid not null references nm_staff (id),
  starts_on date not null,
  ends_on date not null,
  reason text not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on)
);
create index nm_absences_staff on nm_absences (staff_id, starts_on);

-- Agreed shares from `valid_from` on, for one equipment type or (null) for all; the latest valid one applies.
create table nm_share_agreements (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  equipment_type text check (equipment_type in ('gamma_camera', 'pet_ct')),
  valid_from date not null,
  shares jsonb not null,  -- [{ sectorId, share }], shares normalised to sum 1
  reason text not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);

create table nm_tariffs (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  ccam_code text not null check (ccam_code ~ '^[A-Z]{4}[0-9]{3}$'),
  label text not null,
  tariff_eur numeric not null check (tariff_eur >= 0),
  -- Demo values, to be replaced by the cooperation's own: not the official tariffs.
  demo_value boolean not null default false,
  updated_at timestamptz not null default now(),
  unique (cooperation_id, ccam_code)
);

create table nm_exam_types (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  code text not null,
  name_fr text not null,
  name_en text not null,
  equipment_type text not null check (equipment_type in ('gamma_camera', 'pet_ct')),
  duration_min integer not null check (duration_min between 5 and 480),
  preparation_fr text not null,
  preparation_en text not null,
  radiopharmaceutical text not null,
  nuclide text not null,
  mbq_per_kg numeric check (mbq_per_kg > 0),
  min_mbq numeric not null check (min_mbq > 0),
  max_mbq numeric not null,
  uptake_min integer not null check (uptake_min >= 0),
  ccam_code text not null,
  active boolean not null default true,
  unique (cooperation_id, code),
  check (max_mbq >= min_mbq)
);

create table nm_sessions (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  equipment_id uuid not null references nm_equipment (id),
  session_date date not null,
  half_day text not null check (half_day in ('am', 'pm')),
  sector_id uuid not null references nm_sectors (id),
  physician_id uuid not null references nm_staff (id),
  origin text not null check (origin in ('proposal', 'manual')),
  change_reason text,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (equipment_id, session_date, half_day)
);
create index nm_sessions_date on nm_sessions (cooperation_id, session_date);
create index nm_sessions_physician on nm_sessions (physician_id, session_date);

create table nm_bookings (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  session_id uuid not null references nm_sessions (id),
  patient_id uuid not null references patients (id),
  exam_type_id uuid not null references nm_exam_types (id),
  start_min integer not null check (start_min between 0 and 1440),
  duration_min integer not null check (duration_min > 0),
  weight_kg numeric check (weight_kg between 0.5 and 350),
  prescribed_mbq numeric not null check (prescribed_mbq > 0),
  diabetic boolean not null default false,
  window_from_min integer,
  window_to_min integer,
  status text not null default 'booked' check (status in ('booked', 'performed', 'cancelled')),
  injected_mbq numeric,
  measured_mbq numeric,
  injected_at_min integer,
  booked_by uuid references users (id),
  booking_establishment_id uuid references establishments (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (window_from_min is null or window_to_min >= window_from_min)
);
create index nm_bookings_session on nm_bookings (session_id, start_min);
create index nm_bookings_patient on nm_bookings (patient_id);

-- One act per exam performed (or entered by hand): what the counter counts, with its value at the time.
create table nm_acts (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  booking_id uuid unique references nm_bookings (id),
  session_id uuid not null references nm_sessions (id),
  sector_id uuid not null references nm_sectors (id),
  physician_id uuid not null references nm_staff (id),
  equipment_type text not null check (equipment_type in ('gamma_camera', 'pet_ct')),
  performed_on date not null,
  ccam_code text not null,
  value_eur numeric not null check (value_eur >= 0),
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index nm_acts_date on nm_acts (cooperation_id, performed_on);

create table nm_deliveries (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  delivery_date date not null,
  calibration_min integer not null check (calibration_min between 0 and 1440),
  nuclide text not null default 'F18',
  ordered_mbq numeric not null check (ordered_mbq >= 0),
  measured_mbq numeric,
  waste_mbq numeric,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  unique (cooperation_id, delivery_date, calibration_min)
);
