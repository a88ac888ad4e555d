import type { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

/** A channel's messages, and whether they can be trusted to arrive (false while the listening session is down). */
export interface ChannelHandlers {
  message(payload: string): void;
  /** Called with true once listening, with false when the session is lost (messages in between are lost). */
  connected?(up: boolean): void;
}

export interface Subscription {
  /**
   * Resolves once every notification committed before the call has been handed to `message`. PostgreSQL sends
   * a listening session the notifications already committed before it answers a statement, so a round trip on
   * the listening session is that barrier; PGlite hands them over before the statement that committed returns.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * LISTEN on `channel` for the life of the subscription. PostgreSQL delivers a NOTIFY at its commit to every
 * listening session, so a change made through any server process reaches all of them.
 *
 * PostgreSQL: a dedicated `pg` client (a pooled one would be handed back), reconnecting a second after a
 * failure. Embedded PGlite: its notification hook, with the LISTEN issued through Kysely so that it waits its
 * turn on the single connection instead of landing inside another request's transaction.
 */
export async function listenChannel(
  target: { kind: 'pglite'; pglite: PGlite; db: Kysely<DB> } | { kind: 'postgres'; databaseUrl: string },
  channel: string,
  handlers: ChannelHandlers,
): Promise<Subscription> {
  if (!CHANNEL_NAME.test(channel)) throw new Error(`Invalid channel name: ${channel}`);
  if (target.kind === 'pglite') {
    const off = target.pglite.onNotification((name, payload) => {
      if (name === channel) handlers.message(payload ?? '');
    });
    await sql`listen ${sql.raw(channel)}`.execute(target.db);
    handlers.connected?.(true);
    return {
      async settle() {},
      async close() {
        off();
        handlers.connected?.(false);
      },
    };
  }
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;
  const again = () => {
    if (!closed) retry = setTimeout(attempt, 1000);
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: target.databaseUrl });
    c.on('notification', (msg) => {
      if (msg.channel === channel) handlers.message(msg.payload ?? '');
    });
    let up = false;
    const lost = () => {
      if (!up) return;
      up = false;
      client = undefined;
      handlers.connected?.(false);
      void c.end().catch(() => undefined);
      again();
    };
    c.on('error', lost);
    c.on('end', lost);
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch (error) {
      void c.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    up = true;
    client = c;
    handlers.connected?.(true);
  };
  // A failed attempt is retried: the subscription stands, reporting `connected(false)` until it listens.
  const attempt = () => void connect().catch(again);
  await connect().catch(again);
  return {
    async settle() {
      await client?.query('select 1');
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      if (c) handlers.connected?.(false);
      await c?.end().catch(() => undefined);
    },
  };
}
