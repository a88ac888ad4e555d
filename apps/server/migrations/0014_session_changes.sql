-- Every change that alters what a signed-in session may do is announced on the channel `session_changes`,
-- delivered at commit to every server process. Each process keeps the sessions it resolved recently in memory
-- (core/http/session-cache.ts) and forgets one as soon as it is told: a sign-out, an establishment switch, a
-- second factor completed, a role granted or withdrawn, an account disabled. Announced by the database itself,
-- so that no code path — a route, a job, the command line, a manual fix in SQL — can change a session
-- without the servers knowing.
--
-- Payloads: 's:<session id>' for one session, 'u:<user id>' for every session of a user, '*' for all.

create function notify_session_change() returns trigger language plpgsql as $$
begin
  if tg_level = 'STATEMENT' then
    perform pg_notify('session_changes', '*');
  elsif tg_table_name = 'sessions' then
    perform pg_notify('session_changes', 's:' || old.id);
  elsif tg_table_name = 'users' then
    perform pg_notify('session_changes', 'u:' || old.id);
  elsif tg_op = 'INSERT' then
    perform pg_notify('session_changes', 'u:' || new.user_id);
  else
    perform pg_notify('session_changes', 'u:' || old.user_id);
    if tg_op = 'UPDATE' and new.user_id is distinct from old.user_id then
      perform pg_notify('session_changes', 'u:' || new.user_id);
    end if;
  end if;
  return null;
end $$;

-- Sessions: any change but the sliding idle time (last_seen_at), which each server keeps up to date itself.
create trigger sessions_changed after update on sessions for each row
  when ((old.cooperation_id, old.user_id, old.establishment_id, old.csrf_token, old.stage, old.expires_at)
        is distinct from
        (new.cooperation_id, new.user_id, new.establishment_id, new.csrf_token, new.stage, new.expires_at))
  execute function notify_session_change();
create trigger sessions_deleted after delete on sessions for each row execute function notify_session_change();
create trigger sessions_truncated after truncate on sessions for each statement
  execute function notify_session_change();

-- Users: what a session carries of its user (name, disabled, password to change), not sign-in counters.
create trigger users_changed after update on users for each row
  when ((old.cooperation_id, old.username, old.disabled, old.must_change_password)
        is distinct from
        (new.cooperation_id, new.username, new.disabled, new.must_change_password))
  execute function notify_session_change();
create trigger users_deleted after delete on users for each row execute function notify_session_change();
create trigger users_truncated after truncate on users for each statement execute function notify_session_change();

-- Memberships: the roles and units a session acts with.
create trigger memberships_changed after insert or update or delete on memberships for each row
  execute function notify_session_change();
create trigger memberships_truncated after truncate on memberships for each statement
  execute function notify_session_change();
