import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { DB } from './schema.ts';
import { currentCooperation, scopeParameters, SET_SCOPE_SQL } from './cooperation-scope.ts';
import { listenChannel, type ChannelHandlers, type Subscription } from './notifications.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type { ChannelHandlers, Subscription } from './notifications.ts';

export type { DB } from './schema.ts';
export { sql };
export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** The embedded instance, when embedded (used by backup/restore). */
  pglite: PGlite | undefined;
  /**
   * A dedicated session outside Kysely, for multi-statement scripts (migrations, restore) that the
   * extended query protocol refuses. On the embedded database it must not overlap Kysely queries.
   */
  rawSession(): Promise<RawSession>;
  /** LISTEN on a channel until the subscription is closed (see notifications.ts). */
  listen(channel: string, handlers: ChannelHandlers): Promise<Subscription>;
  close(): Promise<void>;
}

export interface RawSession {
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
  exec(script: string): Promise<void>;
  release(): Promise<void>;
}

// Dates are kept as 'YYYY-MM-DD' strings (no time zone shift), bigint counters as strings.
pg.types.setTypeParser(1082, (v) => v);
pg.types.setTypeParser(20, (v) => v);

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; `memory://` for a throw-away one. */
  dataDir?: string;
  poolSize?: number;
}

/** Statements prepared per connection, at most; beyond it, new texts run unnamed (parsed and planned each time). */
const MAX_PREPARED_PER_CONNECTION = 1000;
/** Longer texts (bulk inserts, generated lists) are rarely repeated: not worth a slot. */
const MAX_PREPARED_TEXT = 16_384;

/**
 * Runs the application's parameterised statements as named prepared statements, once parsed per connection:
 * PostgreSQL then reuses the parse and, after a few executions, the plan — planning the patient page's query
 * costs more than running it. Names are the text's hash, so one name never means two texts.
 */
function preparedStatements(client: pg.PoolClient): void {
  const unnamed = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || text.length > MAX_PREPARED_TEXT) {
      return unnamed(text, values, callback);
    }
    let name = names.get(text);
    if (!name) {
      if (names.size >= MAX_PREPARED_PER_CONNECTION) return unnamed(text, values, callback);
      name = `p${createHash('sha1').update(text).digest('base64url')}`;
      names.set(text, name);
    }
    return unnamed({ name, text, values }, callback);
  };
}

const SCOPE = Symbol('cooperation scope');
type ScopedClient = pg.PoolClient & { [SCOPE]?: string };

/**
 * One pool for Kysely that hands out a connection of the right kind: inside a cooperation scope
 * (`cooperation-scope.ts`), one of the scoped pool acting as passerelle_app for that cooperation — set when
 * the connection last served another cooperation, before any BEGIN, so a rollback cannot undo it; otherwise
 * one of the system pool, as the connecting role. Two pools, so that an authenticated request and the
 * sign-in before it never switch the same connection back and forth.
 */
function routedPool(systemPool: pg.Pool, scopedPool: pg.Pool) {
  return {
    async connect(): Promise<pg.PoolClient> {
      const cooperationId = currentCooperation();
      if (!cooperationId) return systemPool.connect();
      const client: ScopedClient = await scopedPool.connect();
      if (client[SCOPE] !== cooperationId) {
        try {
          await client.query(SET_SCOPE_SQL, scopeParameters(cooperationId));
        } catch (error) {
          client.release(error as Error);
          throw error;
        }
        client[SCOPE] = cooperationId;
      }
      return client;
    },
    async end(): Promise<void> {
      await Promise.all([systemPool.end(), scopedPool.end()]);
    },
  };
}

/** Opens PostgreSQL when `databaseUrl` is set, otherwise the embedded PGlite in `dataDir`. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const max = options.poolSize ?? 20;
    const systemPool = new pg.Pool({ connectionString: options.databaseUrl, max });
    const scopedPool = new pg.Pool({ connectionString: options.databaseUrl, max });
    for (const pool of [systemPool, scopedPool]) pool.on('connect', preparedStatements);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: routedPool(systemPool, scopedPool) }) });
    const rawSession = async (): Promise<RawSession> => {
      const client = await systemPool.connect();
      return {
        query: async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[],
        exec: async (script: string) => {
          await client.query(script);
        },
        release: async () => client.release(),
      };
    };
    const databaseUrl = options.databaseUrl;
    return {
      db,
      kind: 'postgres',
      pglite: undefined,
      rawSession,
      listen: (channel, handlers) => listenChannel({ kind: 'postgres', databaseUrl }, channel, handlers),
      close: () => db.destroy(),
    };
  }
  const dataDir = options.dataDir ?? './data';
  // Same value shapes as the pg driver: dates and int8/numeric as strings.
  const parsers = { 1082: identity, 20: identity, 1700: identity };
  let pglite: PGlite;
  if (dataDir.startsWith('memory://')) {
    pglite = new PGlite(dataDir, { parsers });
  } else {
    const pgdata = path.join(dataDir, 'pgdata');
    fs.mkdirSync(pgdata, { recursive: true });
    pglite = new PGlite(pgdata, { parsers });
  }
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  const rawSession = async (): Promise<RawSession> => ({
    query: async <R>(text: string, params: unknown[] = []) => (await pglite.query<R>(text, params)).rows,
    exec: async (script: string) => {
      await pglite.exec(script);
    },
    release: async () => {},
  });
  return {
    db,
    kind: 'pglite',
    pglite,
    rawSession,
    listen: (channel, handlers) => listenChannel({ kind: 'pglite', pglite, db }, channel, handlers),
    close: () => db.destroy(),
  };
}

const identity = (v: string): string => v;

/** Runs `fn` in a transaction. */
export function inTransaction<T>(db: Kysely<DB>, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
