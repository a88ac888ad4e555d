import type { BoardEventDto } from '@passerelle/contracts';
import { sql } from 'kysely';
import pg from 'pg';
import type { ModuleDeps } from '../../types.ts';

/**
 * Live production board. Every row appended to `preparation_transitions` notifies the channel
 * `preparation_events` (trigger of migration 0007), delivered at commit by PostgreSQL to every listening
 * session — so a change made by any server process reaches the browsers connected to any other. Each process
 * holds one listening session and fans the events out to its subscribers, by cooperation.
 *
 * PostgreSQL: a dedicated `pg` client (a pooled one would be handed back), reconnecting after a failure.
 * Embedded PGlite: its notification hook, with the LISTEN issued through Kysely so it waits its turn on the
 * single connection instead of landing inside another request's transaction.
 */
export const BOARD_CHANNEL = 'preparation_events';

export type BoardListener = (event: BoardEventDto) => void;

export interface BoardEvents {
  subscribe(cooperationId: string, listener: BoardListener): Promise<() => void>;
  close(): Promise<void>;
}

interface Notification {
  cooperationId: string;
  preparationId: string;
  from: string;
  to: string;
  at: string;
}

export function createBoardEvents(deps: Pick<ModuleDeps, 'database' | 'config'>): BoardEvents {
  const listeners = new Map<string, Set<BoardListener>>();
  let started: Promise<void> | undefined;
  let stop: (() => Promise<void>) | undefined;
  let closed = false;

  const dispatch = (payload: string | undefined) => {
    if (!payload) return;
    let n: Notification;
    try {
      n = JSON.parse(payload) as Notification;
    } catch {
      return;
    }
    for (const listener of listeners.get(n.cooperationId) ?? []) {
      listener({ preparationId: n.preparationId, from: n.from, to: n.to, at: new Date(n.at).toISOString() });
    }
  };

  const startPglite = async () => {
    const pglite = deps.database.pglite!;
    const off = pglite.onNotification((channel, payload) => {
      if (channel === BOARD_CHANNEL) dispatch(payload);
    });
    await sql`listen preparation_events`.execute(deps.database.db);
    stop = async () => off();
  };

  const startPostgres = async () => {
    // The same server the pool talks to (main.ts opens the database from this URL).
    if (!deps.config.databaseUrl) throw new Error('Live board events need DATABASE_URL in the configuration');
    let client: pg.Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: deps.config.databaseUrl });
      c.on('notification', (msg) => {
        if (msg.channel === BOARD_CHANNEL) dispatch(msg.payload);
      });
      c.on('error', () => {
        // The session is gone: listen again on a new one (events in between are lost; the board reloads
        // its state on reconnect, the stream only tells what changed).
        client = undefined;
        void c.end().catch(() => undefined);
        if (!closed) retry = setTimeout(() => void connect().catch(() => undefined), 1000);
      });
      await c.connect();
      await c.query(`listen ${BOARD_CHANNEL}`);
      client = c;
    };
    await connect();
    stop = async () => {
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
  };

  return {
    async subscribe(cooperationId, listener) {
      started ??= deps.database.kind === 'pglite' ? startPglite() : startPostgres();
      await started;
      let set = listeners.get(cooperationId);
      if (!set) listeners.set(cooperationId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      if (started) await started.catch(() => undefined);
      await stop?.();
    },
  };
}
