-- Production planning for the shared pharmacy (issue: production planner): the patient's chair time on
-- each preparation, the technicians' shifts, the pharmacist's pins, the planner's settings, the last plan of
-- each day (so re-planning starts from it and never reshuffles what is on an isolator) and the nightly
-- anticipation proposals.

-- When the patient is expected in the day-hospital chair; the planner's due time is this minus transport.
alter table preparations add column scheduled_at timestamptz;
create index preparations_scheduled on preparations (cooperation_id, administration_date, scheduled_at);

create table planner_settings (
  cooperation_id uuid primary key references cooperations (id),
  -- Objective weights: tardiness (per weighted minute), waste (per expected euro), overtime (per minute).
  weights jsonb not null,
  changeover_min integer not null check (changeover_min between 0 and 120),
  release_check_min integer not null check (release_check_min between 0 and 120),
  -- Transport from the pharmacy to a destination when the site has no specific figure.
  transport_min integer not null check (transport_min between 0 and 600),
  -- Per destination site id → minutes.
  transport_by_site jsonb not null default '{}',
  -- Chair time assumed when a preparation has none, in minutes after midnight (Paris).
  default_appointment_min integer not null check (default_appointment_min between 0 and 1439),
  -- Share of treatments cancelled the day before or on the day (REFERENCE §2.4: about 19–21 %).
  cancellation_probability numeric not null check (cancellation_probability between 0 and 1),
  day_start_min integer not null check (day_start_min between 0 and 1439),
  day_end_min integer not null check (day_end_min between 1 and 1440),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id),
  check (day_start_min < day_end_min)
);

create table technician_shifts (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  establishment_id uuid not null references establishments (id),
  user_id uuid not null references users (id),
  day date not null,
  start_min integer not null check (start_min between 0 and 1439),
  end_min integer not null check (end_min between 1 and 1440),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  check (start_min < end_min)
);
create index technician_shifts_day on technician_shifts (cooperation_id, establishment_id, day);

-- A preparation the pharmacist placed by hand: on an isolator, optionally at a position in its sequence.
create table planner_pins (
  preparation_id uuid primary key references preparations (id),
  cooperation_id uuid not null references cooperations (id),
  isolator_id uuid not null references isolators (id),
  position integer check (position >= 0),
  reason text not null,
  pinned_by uuid not null references users (id),
  pinned_at timestamptz not null
);

-- The last plan of a day per pharmacy: each isolator's sequence, the warm start of the next re-plan.
create table production_plans (
  cooperation_id uuid not null references cooperations (id),
  establishment_id uuid not null references establishments (id),
  day date not null,
  plan jsonb not null,
  objective numeric not null,
  computed_at timestamptz not null,
  compute_ms integer not null,
  primary key (cooperation_id, establishment_id, day)
);

create table anticipation_proposals (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  establishment_id uuid not null references establishments (id),
  for_day date not null,
  created_at timestamptz not null,
  candidates integer not null,
  items jsonb not null,
  expected_waste_eur numeric not null,
  weighted_tardiness_without numeric not null,
  weighted_tardiness_with numeric not null
);
create index anticipation_proposals_day on anticipation_proposals (cooperation_id, establishment_id, for_day, created_at);
