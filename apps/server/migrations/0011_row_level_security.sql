-- Row-level security: PostgreSQL itself keeps each cooperation's rows to that cooperation, as a second wall
-- behind the application's own filters (docs/adr/0006-row-level-security.md).
--
-- Queries made for an authenticated request run as the role passerelle_app with the setting
-- passerelle.cooperation_id; every table holding cooperation data lets that role see and write only rows of
-- that cooperation. System work (sign-in, jobs, CLI, migrations, seed) runs as the connecting role, which owns
-- the tables and is therefore not subject to the policies.

-- The role is cluster-wide: several databases of one server (tests, staging) share it, and may create it at
-- the same moment.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'passerelle_app') then
    begin
      create role passerelle_app nologin;
    exception when duplicate_object or unique_violation then
      null;
    end;
  end if;
end $$;

-- The connecting role may act as passerelle_app (a superuser always can).
do $$
begin
  if not pg_has_role(current_user, 'passerelle_app', 'member') then
    execute format('grant passerelle_app to %I', current_user);
  end if;
end $$;

-- The cooperation the current request acts within; null outside a request (then the policies match nothing).
create function passerelle_cooperation() returns uuid language sql stable as $$
  select nullif(current_setting('passerelle.cooperation_id', true), '')::uuid
$$;

-- Grants passerelle_app the use of every table and sequence, and puts every table that has a cooperation_id
-- column (and the cooperations table itself) under the cooperation policy. Idempotent; the migrator calls it
-- after each run, so a table added by a later migration cannot escape it.
create function apply_cooperation_scope() returns integer language plpgsql as $$
declare
  t record;
  scoped integer := 0;
begin
  execute 'grant select, insert, update, delete on all tables in schema public to passerelle_app';
  execute 'grant usage, select on all sequences in schema public to passerelle_app';
  execute 'revoke all on schema_migrations from passerelle_app';
  for t in
    select c.relname, a.attnotnull
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'cooperation_id' and not a.attisdropped
    where c.relkind in ('r', 'p')
  loop
    execute format('alter table %I enable row level security', t.relname);
    if not exists (select 1 from pg_policies where schemaname = 'public' and tablename = t.relname
                   and policyname = 'cooperation_scope') then
      if t.attnotnull then
        execute format('create policy cooperation_scope on %I to passerelle_app
          using (cooperation_id = passerelle_cooperation())
          with check (cooperation_id = passerelle_cooperation())', t.relname);
      else
        -- Rows of no cooperation (system jobs) stay usable; another cooperation's rows do not.
        execute format('create policy cooperation_scope on %I to passerelle_app
          using (cooperation_id is null or cooperation_id = passerelle_cooperation())
          with check (cooperation_id is null or cooperation_id = passerelle_cooperation())', t.relname);
      end if;
    end if;
    scoped := scoped + 1;
  end loop;
  alter table cooperations enable row level security;
  if not exists (select 1 from pg_policies where schemaname = 'public' and tablename = 'cooperations'
                 and policyname = 'cooperation_scope') then
    create policy cooperation_scope on cooperations to passerelle_app
      using (id = passerelle_cooperation()) with check (id = passerelle_cooperation());
  end if;
  return scoped + 1;
end $$;

select apply_cooperation_scope();
