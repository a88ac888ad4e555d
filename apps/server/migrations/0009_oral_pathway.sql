-- Oral anticancer pathway between hospital and community (parcours ville-hôpital des anticancéreux oraux):
-- treatments, the three primo-prescription consultations, versioned patient documents, the community
-- directory and transmission packets, home follow-up (calls, patient-reported forms, alerts).

create table oral_settings (
  cooperation_id uuid primary key references cooperations (id),
  -- Per drug code: { firstCycleDays: int[], eachCycleDay: int } overriding the referential's default.
  call_schedules jsonb not null default '{}',
  -- Calls are planned for this many cycles (or 28-day periods) from the start.
  followed_cycles integer not null default 3 check (followed_cycles between 1 and 24),
  -- { defaultMinGrade, termMinGrade: { term: grade }, alertOnStoppedTreatment }
  alert_rules jsonb not null,
  -- Hours a patient-reported form link stays valid.
  patient_link_hours integer not null default 72 check (patient_link_hours between 1 and 720),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id)
);

create table oral_treatments (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  patient_id uuid not null references patients (id),
  establishment_id uuid not null references establishments (id),
  drug_code text not null check (drug_code ~ '^[a-z0-9_]{2,64}$'),
  -- Dose of each intake, in mg.
  dose_mg numeric not null check (dose_mg > 0 and dose_mg <= 10000),
  schedule_code text not null,
  start_date date not null,
  -- Cycles the patient's calendar covers.
  calendar_cycles integer not null default 1 check (calendar_cycles between 1 and 12),
  prescriber_id uuid not null references users (id),
  dispensing_channel text not null check (dispensing_channel in ('community_pharmacy', 'hospital_retrocession')),
  indication text not null,
  -- Incremented when dose, schedule or start date change: documents are versioned by it.
  plan_version integer not null default 1,
  status text not null default 'active' check (status in ('active', 'held', 'stopped')),
  created_by uuid not null references users (id),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index oral_treatments_patient on oral_treatments (patient_id);
create index oral_treatments_cooperation on oral_treatments (cooperation_id, created_at);

create table oral_consultations (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  treatment_id uuid not null references oral_treatments (id),
  kind text not null check (kind in ('medical', 'pharmaceutical', 'nursing')),
  author_id uuid not null references users (id),
  recorded_at timestamptz not null,
  -- The structured record (see contracts: OralMedicalConsultation, …); interaction findings are stored as computed.
  content jsonb not null,
  unique (treatment_id, kind)
);

-- One row per plan version: the snapshot the patient's documents were generated from, so an earlier
-- version's documents can be produced again exactly as handed over.
create table oral_documents (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  treatment_id uuid not null references oral_treatments (id),
  plan_version integer not null,
  snapshot jsonb not null,
  reason text not null,
  created_by uuid not null references users (id),
  created_at timestamptz not null,
  unique (treatment_id, plan_version)
);

create table oral_community_professionals (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  kind text not null check (kind in ('gp', 'pharmacist', 'nurse')),
  rpps char(11) check (rpps ~ '^[0-9]{11}$'),
  title text,
  first_name text not null,
  last_name text not null,
  city text,
  phone text,
  -- Secure health messaging address (MSSanté), an SMTP mailbox.
  secure_email text not null,
  -- The Passerelle account of this professional, when they have one: they then see what was sent to them.
  user_id uuid references users (id),
  active boolean not null default true,
  created_at timestamptz not null
);
create unique index oral_community_professionals_rpps on oral_community_professionals (cooperation_id, rpps) where rpps is not null;
create index oral_community_professionals_user on oral_community_professionals (user_id) where user_id is not null;

create table oral_packets (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  treatment_id uuid not null references oral_treatments (id),
  recipient_id uuid not null references oral_community_professionals (id),
  plan_version integer not null,
  status text not null check (status in ('queued', 'sent', 'failed', 'acknowledged')),
  send_count integer not null default 1,
  attempts integer not null default 0,
  last_error text,
  message_id text,
  sent_at timestamptz,
  ack_token_hash text not null unique,
  acknowledged_at timestamptz,
  acknowledged_via text check (acknowledged_via in ('link', 'manual')),
  acknowledged_by uuid references users (id),
  created_by uuid not null references users (id),
  created_at timestamptz not null,
  check ((status = 'acknowledged') = (acknowledged_at is not null))
);
create index oral_packets_treatment on oral_packets (treatment_id);
create index oral_packets_recipient on oral_packets (recipient_id);

create table oral_followup_calls (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  treatment_id uuid not null references oral_treatments (id),
  due_date date not null,
  label text not null,
  status text not null default 'planned' check (status in ('planned', 'done', 'cancelled')),
  done_at timestamptz,
  done_by uuid references users (id),
  reached boolean,
  symptoms jsonb,
  adherence text check (adherence in ('full', 'partial', 'missed_doses', 'stopped')),
  action text check (action in ('none', 'advice', 'physician_referral', 'treatment_held')),
  notes text,
  check ((status = 'done') = (done_at is not null))
);
create index oral_followup_calls_due on oral_followup_calls (cooperation_id, status, due_date);
create index oral_followup_calls_treatment on oral_followup_calls (treatment_id);

create table oral_patient_links (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  treatment_id uuid not null references oral_treatments (id),
  -- SHA-256 of the token sent to the patient; the token itself is never stored.
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_by uuid not null references users (id),
  created_at timestamptz not null
);

create table oral_patient_reports (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  treatment_id uuid not null references oral_treatments (id),
  -- One report per link: a second submission violates this even if two arrive at once.
  link_id uuid not null unique references oral_patient_links (id),
  submitted_at timestamptz not null,
  symptoms jsonb not null,
  adherence text not null check (adherence in ('full', 'partial', 'missed_doses', 'stopped')),
  comment text
);

create table oral_alerts (
  id uuid primary key,
  cooperation_id uuid not null references cooperations (id),
  treatment_id uuid not null references oral_treatments (id),
  source text not null check (source in ('call', 'patient_report')),
  source_id uuid not null,
  term text,
  grade integer,
  rule text not null,
  raised_at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'handled')),
  handled_at timestamptz,
  handled_by uuid references users (id),
  handling_note text,
  check ((status = 'handled') = (handled_at is not null))
);
create index oral_alerts_open on oral_alerts (cooperation_id, status, raised_at);
create index oral_alerts_treatment on oral_alerts (treatment_id);
