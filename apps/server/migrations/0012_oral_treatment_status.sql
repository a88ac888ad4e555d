-- Holding, resuming and stopping an oral treatment: the decision's reason, time and author stay on the
-- treatment (the audit log records each change too, without the free-text reason).
alter table oral_treatments add column status_reason text;
alter table oral_treatments add column status_changed_at timestamptz;
alter table oral_treatments add column status_changed_by uuid references users (id);
