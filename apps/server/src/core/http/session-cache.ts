import type { Database, Subscription } from '../db/index.ts';

/** The channel of migration 0014: 's:<session id>', 'u:<user id>' or '*'. */
export const SESSION_CHANNEL = 'session_changes';

interface Entry<R> {
  row: R;
  userId: string;
  fetchedAt: number;
}

export interface SessionCacheOptions {
  /** How long a resolved session is reused at most, in ms; 0 turns the cache off. */
  ttlMs: number;
  maxEntries?: number;
}

/**
 * Recently resolved sessions, so that a signed-in request costs no database round trip to know its actor:
 * that lookup was half of the statements of a patient read.
 *
 * Why it stays right:
 * - The database announces every change to a session, its user or their memberships on `session_changes`
 *   (triggers of migration 0014), delivered at commit to every server process; the matching entries are
 *   dropped when the announcement is read.
 * - Entries are used only while this process is listening: when the listening session is lost, the cache is
 *   emptied and bypassed until it listens again (announcements in between would be lost).
 * - A lookup that was under way when any announcement arrived is not kept (`begin` / `put` and the epoch), so
 *   a row read just before a sign-out cannot be cached after it.
 * - After a write request of this process, `settle` waits until every announcement committed before it has been
 *   read, so this process's next request sees the write's effect on sessions.
 * - Entries live `ttlMs` at most, whatever happens.
 * What the cache does not decide: expiry and the idle limit are checked on every request from the row's times
 * against the clock; a row that looks expired is looked up again before the session is ended.
 */
export class SessionCache<R> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry<R>>();
  readonly #byUser = new Map<string, Set<string>>();
  #epoch = 0;
  #live = false;
  #subscription: Subscription | undefined;

  constructor(options: SessionCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  get enabled(): boolean {
    return this.#ttlMs > 0;
  }

  /** Starts listening (no-op when disabled). Entries are used only once the listening session is up. */
  async start(database: Database): Promise<void> {
    if (!this.enabled) return;
    this.#subscription = await database.listen(SESSION_CHANNEL, {
      message: (payload) => this.#forget(payload),
      connected: (up) => {
        this.#clear();
        this.#live = up;
      },
    });
  }

  async close(): Promise<void> {
    this.#live = false;
    this.#clear();
    await this.#subscription?.close();
  }

  /** A fresh entry, or undefined (also whenever the cache cannot be trusted). */
  get(sessionId: string, nowMs: number): R | undefined {
    if (!this.#live) return undefined;
    const entry = this.#entries.get(sessionId);
    if (!entry) return undefined;
    if (nowMs - entry.fetchedAt > this.#ttlMs || nowMs < entry.fetchedAt) {
      this.#drop(sessionId);
      return undefined;
    }
    return entry.row;
  }

  /** Call before reading a session from the database; pass the result to `put`. */
  begin(): number {
    return this.#epoch;
  }

  /** Keeps `row`, unless an announcement arrived since `begin` (the row may predate it). */
  put(sessionId: string, userId: string, row: R, token: number, nowMs: number): void {
    if (!this.#live || token !== this.#epoch) return;
    if (!this.#entries.has(sessionId) && this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#drop(oldest);
    }
    this.#drop(sessionId);
    this.#entries.set(sessionId, { row, userId, fetchedAt: nowMs });
    let ids = this.#byUser.get(userId);
    if (!ids) this.#byUser.set(userId, (ids = new Set()));
    ids.add(sessionId);
  }

  /** Forgets one session (e.g. found expired). */
  drop(sessionId: string): void {
    this.#drop(sessionId);
  }

  /** Resolves once every announcement committed before the call has been read. */
  async settle(): Promise<void> {
    if (!this.#live) return;
    // If the listening session fails here, it is being lost: stop trusting what is cached.
    await this.#subscription?.settle().catch(() => this.#clear());
  }

  #forget(payload: string): void {
    this.#epoch++;
    if (payload.startsWith('s:')) {
      this.#drop(payload.slice(2));
    } else if (payload.startsWith('u:')) {
      for (const id of this.#byUser.get(payload.slice(2)) ?? []) this.#drop(id);
    } else {
      this.#clear();
    }
  }

  #drop(sessionId: string): void {
    const entry = this.#entries.get(sessionId);
    if (!entry) return;
    this.#entries.delete(sessionId);
    const ids = this.#byUser.get(entry.userId);
    ids?.delete(sessionId);
    if (ids?.size === 0) this.#byUser.delete(entry.userId);
  }

  #clear(): void {
    this.#epoch++;
    this.#entries.clear();
    this.#byUser.clear();
  }
}
