-- Group commit of audit events: one statement appends and seals a batch of one cooperation's events.
--
-- Sealing at commit (0006) holds the chain head's row lock until the commit is durable, WAL flush included,
-- so a cooperation's audited reads committed one flush at a time: under load most backends waited on that
-- lock. The application now gathers the events of concurrent reads and appends them with this function in
-- one autocommit statement: one head lock, one WAL flush for the whole batch. Each event is numbered and
-- hashed here, in order, and inserted sealed — one row version, where sealing at commit writes two — so the
-- deferred seal trigger has nothing left to do for these rows. The caller answers none of the reads before
-- the statement has returned, i.e. before their events are committed.
--
-- `events` is a JSON array of audit_events rows without seq, prev_hash and hash, all of one cooperation.
-- Returns the seq of the last event appended (0 for an empty array).
create function audit_append_batch(events jsonb) returns bigint language plpgsql as $$
declare
  coop uuid;
  head record;
  e audit_events;
  sealed audit_events[] := '{}';
begin
  if jsonb_array_length(events) = 0 then
    return 0;
  end if;
  coop := (events -> 0 ->> 'cooperation_id')::uuid;
  insert into audit_heads (cooperation_id, seq, hash)
    values (coop, 0, repeat('0', 64))
    on conflict (cooperation_id) do update set seq = audit_heads.seq
    returning seq, hash into head;
  -- The chain follows the order of the batch.
  for e in
    select r.* from jsonb_array_elements(events) with ordinality as t (event, n),
      lateral jsonb_populate_record(null::audit_events, t.event) as r
    order by t.n
  loop
    if e.cooperation_id is distinct from coop then
      raise exception 'audit_append_batch: events of more than one cooperation' using errcode = '22023';
    end if;
    e.emergency := coalesce(e.emergency, false);
    e.details := coalesce(e.details, '{}'::jsonb);
    e.seq := head.seq + 1;
    e.prev_hash := head.hash;
    e.hash := audit_event_hash(e);
    sealed := sealed || e;
    head.seq := e.seq;
    head.hash := e.hash;
  end loop;
  insert into audit_events select * from unnest(sealed);
  update audit_heads set seq = head.seq, hash = head.hash where cooperation_id = coop;
  return head.seq;
end $$;

-- Rows that arrive sealed (this function's, a restored backup's) need nothing at commit: fire the seal only
-- for the others, instead of queueing a trigger call per row that returns at once.
drop trigger audit_events_seal on audit_events;
create constraint trigger audit_events_seal after insert on audit_events
  deferrable initially deferred for each row when (new.hash is null) execute function audit_events_seal();
