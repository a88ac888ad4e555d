import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { permissionsOf, type Permission, type Role, type TokenScope } from '../access.ts';
import type { Clock } from '../clock.ts';
import type { Actor, RequestContext } from '../context.ts';
import { enterCooperation, runInScope } from '../db/cooperation-scope.ts';
import { QueryTemplate } from '../db/query-template.ts';
import type { SessionCache } from './session-cache.ts';
import type { DB } from '../db/index.ts';
import { AppError } from '../errors.ts';

export const SESSION_COOKIE = 'passerelle_session';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Who may call a route. Every route under /api/v1 declares one (the route authorization suite
 * fails otherwise):
 * - `public`: anyone, no session needed (login, health);
 * - `authenticated`: any signed-in actor, optionally only with `permission`;
 * - `stages`: also reachable by a session still completing its second factor;
 * - `tokenScope`: the route accepts API tokens carrying that scope (otherwise sessions only).
 */
export type RouteAccess =
  | { public: true }
  | {
      public?: false;
      permission?: Permission;
      stages?: ('mfa_pending' | 'mfa_setup' | 'password_change')[];
      tokenScope?: TokenScope;
      /** Skip the "an establishment must be selected" rule (e.g. to select one). */
      withoutEstablishment?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionStage: 'mfa_pending' | 'mfa_setup' | 'active' | null;
    mustChangePassword: boolean;
    /** The request context for services; throws when unauthenticated. */
    ctx(): RequestContext;
  }
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

interface AuthDeps {
  db: Kysely<DB>;
  clock: Clock;
  sessionIdleMinutes: number;
  sessions: SessionCache<SessionRow>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type MembershipRow = { role: string; unit_id: string | null };

/**
 * The actor's memberships at the establishment they act for, as a JSON array selected with the session or
 * token row (one round trip for both).
 */
function membershipsAt(
  userColumn: 'sessions.user_id' | 'api_tokens.user_id',
  establishmentColumn: 'sessions.establishment_id' | 'api_tokens.establishment_id',
) {
  return sql<MembershipRow[]>`coalesce((
      select json_agg(json_build_object('role', m.role, 'unit_id', m.unit_id))
      from memberships m
      where m.user_id = ${sql.ref(userColumn)} and m.establishment_id = ${sql.ref(establishmentColumn)}
    ), '[]'::json)`;
}

function rolesFrom(rows: MembershipRow[]): { roles: Role[]; unitIds: string[] | null } {
  const roles = [...new Set(rows.map((r) => r.role as Role))];
  // A unit restriction applies only when every membership there is restricted.
  const unitIds = rows.length > 0 && rows.every((r) => r.unit_id) ? rows.map((r) => r.unit_id as string) : null;
  return { roles, unitIds };
}

/** The session with its user and memberships, built once: every signed-in request runs it. */
const sessionLookup = new QueryTemplate(['sessionId'], (db, p: { sessionId: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.cooperation_id',
      'sessions.user_id',
      'sessions.establishment_id',
      'sessions.csrf_token',
      'sessions.stage',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.username',
      'users.disabled',
      'users.must_change_password',
      membershipsAt('sessions.user_id', 'sessions.establishment_id').as('memberships'),
    ])
    .where('sessions.id', '=', p.sessionId),
);

export type SessionRow = NonNullable<Awaited<ReturnType<typeof sessionLookup.executeTakeFirst>>>;

function sessionEnded(deps: AuthDeps, row: SessionRow, now: Date): boolean {
  const idleLimit = row.last_seen_at.getTime() + deps.sessionIdleMinutes * 60_000;
  return row.expires_at.getTime() <= now.getTime() || idleLimit <= now.getTime();
}

/**
 * The session row: from the session cache on reads, from the database otherwise. Writes always read it afresh
 * (their CSRF token and stage are checked against the stored row), and a cached row that looks expired is read
 * again before the session is ended (another server may have seen the user since).
 */
async function findSession(deps: AuthDeps, request: FastifyRequest, id: string, now: Date) {
  if (SAFE_METHODS.has(request.method)) {
    const cached = deps.sessions.get(id, now.getTime());
    if (cached && !sessionEnded(deps, cached, now)) return cached;
    if (cached) deps.sessions.drop(id);
  }
  const token = deps.sessions.begin();
  const row = await sessionLookup.executeTakeFirst(deps.db, { sessionId: id });
  if (row && !row.disabled && !sessionEnded(deps, row, now)) {
    deps.sessions.put(id, row.user_id, row, token, now.getTime());
  }
  return row;
}

async function fromSession(deps: AuthDeps, request: FastifyRequest, cookie: string): Promise<void> {
  const now = deps.clock.now();
  const row = await findSession(deps, request, sha256(cookie), now);
  if (!row || row.disabled) return;
  if (sessionEnded(deps, row, now)) {
    deps.sessions.drop(row.id);
    await deps.db.deleteFrom('sessions').where('id', '=', row.id).execute();
    return;
  }
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    if (typeof header !== 'string' || !safeEqual(header, row.csrf_token)) {
      throw new AppError('CSRF_TOKEN_INVALID', 'Missing or invalid CSRF token');
    }
  }
  // Sliding idle expiry, written at most once a minute so reads stay reads.
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await deps.db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
    // The cached row too (no announcement for this column: migration 0014).
    row.last_seen_at = now;
  }
  const { roles, unitIds } =
    row.stage === 'active' && row.establishment_id ? rolesFrom(row.memberships) : { roles: [], unitIds: null };
  request.sessionStage = row.stage;
  request.mustChangePassword = row.must_change_password;
  request.actor = {
    kind: 'session',
    userId: row.user_id,
    username: row.username,
    cooperationId: row.cooperation_id,
    establishmentId: row.establishment_id,
    roles,
    permissions: permissionsOf(roles),
    unitIds,
    sessionId: row.id,
    tokenId: null,
  };
  enterCooperation(row.cooperation_id);
}

async function fromToken(deps: AuthDeps, request: FastifyRequest, token: string): Promise<void> {
  const now = deps.clock.now();
  const row = await deps.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.cooperation_id',
      'api_tokens.user_id',
      'api_tokens.establishment_id',
      'api_tokens.scopes',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'users.username',
      'users.disabled',
      membershipsAt('api_tokens.user_id', 'api_tokens.establishment_id').as('memberships'),
    ])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.disabled || row.revoked_at || (row.expires_at && row.expires_at <= now)) {
    throw new AppError('AUTHENTICATION_REQUIRED', 'Invalid, expired or revoked API token');
  }
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await deps.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const { roles, unitIds } = row.establishment_id ? rolesFrom(row.memberships) : { roles: [], unitIds: null };
  // A token never exceeds its owner's current permissions, and only within its scopes.
  const scopes = new Set(row.scopes);
  const permissions = new Set([...permissionsOf(roles)].filter((p) => scopes.has(p)));
  request.sessionStage = 'active';
  request.mustChangePassword = false;
  request.actor = {
    kind: 'token',
    userId: row.user_id,
    username: row.username,
    cooperationId: row.cooperation_id,
    establishmentId: row.establishment_id,
    roles,
    permissions,
    unitIds,
    sessionId: null,
    tokenId: row.id,
  };
  enterCooperation(row.cooperation_id);
}

/**
 * Resolves the actor of every request (session cookie or bearer token) and enforces the route's
 * declared access. Runs as a preHandler so validation errors (400) come after authentication (401)
 * only where the route is protected: the ladder is 401 → 403 → 400 → 404.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionStage', null);
  app.decorateRequest('mustChangePassword', false);
  app.decorateRequest('ctx', function (this: FastifyRequest): RequestContext {
    if (!this.actor) throw new AppError('AUTHENTICATION_REQUIRED', 'Sign in first');
    return { actor: this.actor, requestId: this.id, ip: this.ip ?? null, now: deps.clock.now() };
  });

  // Each request is its own unit of work for row-level security, filled with the actor's cooperation below.
  app.addHook('onRequest', (_request, _reply, done) => runInScope(done));
  // A write may have changed sessions (sign-out, a role withdrawn…): before it is answered, this process reads
  // the announcements of what it committed, so the client's next request cannot meet a stale cached session.
  app.addHook('onSend', async (request) => {
    if (!SAFE_METHODS.has(request.method)) await deps.sessions.settle();
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access.public) {
      // Public routes still see who is signed in (e.g. /auth/me answers 401 itself), but never fail here.
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie && SAFE_METHODS.has(request.method)) await fromSession(deps, request, cookie).catch(() => undefined);
      return;
    }
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      if (!access.tokenScope) throw new AppError('AUTHENTICATION_REQUIRED', 'This route does not accept API tokens');
      await fromToken(deps, request, authorization.slice(7).trim());
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await fromSession(deps, request, cookie);
    }
    const actor = request.actor;
    if (!actor) throw new AppError('AUTHENTICATION_REQUIRED', 'Sign in first');
    const stage = request.sessionStage;
    if (stage === 'mfa_pending' || stage === 'mfa_setup') {
      if (!access.stages?.includes(stage)) {
        throw new AppError(
          stage === 'mfa_pending' ? 'TOTP_REQUIRED' : 'TOTP_SETUP_REQUIRED',
          stage === 'mfa_pending' ? 'Enter your authentication code' : 'Set up your second factor first',
        );
      }
      return;
    }
    if (request.mustChangePassword && !access.stages?.includes('password_change')) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'Change your password before continuing');
    }
    if (!access.withoutEstablishment && !actor.establishmentId) {
      throw new AppError('NO_ESTABLISHMENT_SELECTED', 'Choose the establishment you are acting for');
    }
    if (access.permission && !actor.permissions.has(access.permission)) {
      if (actor.kind === 'token') {
        throw new AppError('TOKEN_SCOPE_INSUFFICIENT', 'This API token does not carry the required scope');
      }
      throw new AppError('FORBIDDEN', 'Your role does not allow this action');
    }
  });
}
