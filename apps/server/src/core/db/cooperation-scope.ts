import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The cooperation the current unit of work acts within, for PostgreSQL row-level security: the second wall
 * behind the application's own `where cooperation_id = …` (docs/adr/0006-row-level-security.md).
 *
 * Each HTTP request runs in a scope, which the auth plugin fills once the actor is known. Every query issued
 * inside a filled scope goes through a connection acting as the `passerelle_app` role with
 * `passerelle.cooperation_id` set, so PostgreSQL itself hides and refuses rows of other cooperations. Work
 * outside a filled scope — signing in (the account's cooperation is not known yet), jobs, the CLI, migrations
 * and the demo seed — runs as the connecting role, without the policy.
 */
export interface CooperationScope {
  cooperationId: string | null;
}

const storage = new AsyncLocalStorage<CooperationScope>();

/** The cooperation the current async context acts within, or null for system work. */
export function currentCooperation(): string | null {
  return storage.getStore()?.cooperationId ?? null;
}

/** Runs `fn` in a new, empty scope; `enterCooperation` later fills it (e.g. once a request is authenticated). */
export function runInScope<T>(fn: () => T): T {
  return storage.run({ cooperationId: null }, fn);
}

/** Runs `fn` acting within `cooperationId`: every query it issues is subject to the cooperation policy. */
export function runInCooperation<T>(cooperationId: string, fn: () => T): T {
  return storage.run({ cooperationId }, fn);
}

/**
 * Fills the current scope (opened by `runInScope`) with the actor's cooperation. A scope is filled once:
 * moving a unit of work to another cooperation would be a bug, so it throws.
 */
export function enterCooperation(cooperationId: string): void {
  const scope = storage.getStore();
  if (!scope) throw new Error('enterCooperation outside a scope');
  if (scope.cooperationId && scope.cooperationId !== cooperationId) {
    throw new Error('This unit of work already acts within another cooperation');
  }
  scope.cooperationId = cooperationId;
}

/** The role that queries run as inside a cooperation scope (created by migration 0011). */
export const SCOPED_ROLE = 'passerelle_app';

/** Sets a connection's role and cooperation setting in one statement; both session-level (not transaction-local). */
export const SET_SCOPE_SQL = `select set_config('role', $1, false), set_config('passerelle.cooperation_id', $2, false)`;

/** Parameters of SET_SCOPE_SQL for a cooperation, or for system work (the connecting role, no cooperation). */
export function scopeParameters(cooperationId: string | null): [string, string] {
  return cooperationId ? [SCOPED_ROLE, cooperationId] : ['none', ''];
}
