import { sql, type Kysely } from 'kysely';
import { auditValues, type AuditInput } from './audit.ts';
import { runInCooperation } from './db/cooperation-scope.ts';
import type { DB } from './db/index.ts';

/**
 * Events appended in one statement at most; more wait for the next batch. On PostgreSQL batches stay near 35 at
 * 2,000 reads a second; the embedded database runs each statement on the event loop itself, so a batch is kept
 * short there too.
 */
const MAX_BATCH = 64;

/** An event as a JSON object of `audit_events` columns (details as an object, not as text). */
type EventRow = Omit<ReturnType<typeof auditValues>, 'details'> & { details: Record<string, unknown> };

interface Pending {
  row: EventRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Chain {
  queue: Pending[];
  flushing: boolean;
}

/**
 * Group commit for audit events that stand alone — those of reads, which write nothing else.
 *
 * Each cooperation's chain is sealed under one head row lock held until the commit is durable, so appending
 * one event per transaction lets a cooperation commit one WAL flush at a time. Here concurrent events of a
 * cooperation are gathered and appended in one statement (`audit_append_batch`, migration 0013): while one
 * batch commits, the next fills, so an idle server flushes an event at once and a busy one flushes many per
 * commit. `append` resolves only once its event is committed and sealed: a read awaits it before answering,
 * so no answer leaves without its audit event — exactly as when the event rode in the read's own statement.
 *
 * Writes keep `appendAudit` inside their own transaction, so a write and its event commit or roll back
 * together.
 */
export class AuditBatcher {
  readonly #db: Kysely<DB>;
  readonly #chains = new Map<string, Chain>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(db: Kysely<DB>) {
    this.#db = db;
  }

  /** Appends `input` as event `id`; resolves when it is committed and sealed into its cooperation's chain. */
  append(input: AuditInput, id: string): Promise<void> {
    let chain = this.#chains.get(input.cooperationId);
    if (!chain) {
      chain = { queue: [], flushing: false };
      this.#chains.set(input.cooperationId, chain);
    }
    const done = new Promise<void>((resolve, reject) => {
      chain.queue.push({ row: { ...auditValues(input, id), details: input.details ?? {} }, resolve, reject });
    });
    if (!chain.flushing) this.#flush(input.cooperationId, chain);
    return done;
  }

  /** Waits for every batch under way (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #flush(cooperationId: string, chain: Chain): void {
    chain.flushing = true;
    // Let the requests of the current turn of the event loop join the first batch.
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      while (chain.queue.length > 0) {
        const batch = chain.queue.splice(0, MAX_BATCH);
        try {
          await this.#appendBatch(cooperationId, batch);
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
      chain.flushing = false;
      this.#chains.delete(cooperationId);
    });
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  #appendBatch(cooperationId: string, batch: Pending[]): Promise<unknown> {
    const events = JSON.stringify(batch.map((p) => p.row));
    // The batch is the cooperation's work: it runs under its row-level security policy like the reads it audits.
    return runInCooperation(cooperationId, () =>
      sql`select audit_append_batch(cast(${events} as jsonb))`.execute(this.#db),
    );
  }
}
