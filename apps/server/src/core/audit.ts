import { sql, type Kysely } from 'kysely';
import type { DB, Tx } from './db/index.ts';
import type { RequestContext } from './context.ts';
import { randomIds, type IdGenerator } from './ids.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  cooperationId: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorEstablishmentId: string | null;
  actorLabel: string | null;
  /** Dotted verb, e.g. `patient.read`, `auth.login`, `auth.lockout`, `patient.emergency_access`. */
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  patientId?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  emergency?: boolean;
  requestId?: string | null;
  ip?: string | null;
  /** Identifiers and codes only: never names, birth dates or free text about a patient. */
  details?: Record<string, unknown>;
}

/** JSON with keys sorted at every depth, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** An event as appended: numbered and hashed only when its transaction commits. */
export interface AppendedAuditEvent {
  id: string;
  cooperationId: string;
  occurredAt: Date;
  action: string;
}

/**
 * Appends an event to the cooperation's chain inside `trx`, so a write and its audit commit or roll
 * back together.
 *
 * The event is inserted unsealed, without any lock; the deferred constraint trigger `audit_events_seal`
 * (migration 0006) numbers and hashes it during COMMIT under the chain head's row lock. That lock is
 * therefore held for server time only, never across a round trip to the application.
 */
export async function appendAudit(
  trx: Tx,
  input: AuditInput,
  ids: IdGenerator = randomIds,
): Promise<AppendedAuditEvent> {
  const id = ids.uuid();
  await trx.insertInto('audit_events').values(auditValues(input, id)).execute();
  return { id, cooperationId: input.cooperationId, occurredAt: input.occurredAt, action: input.action };
}

/** The stored columns of an event before sealing (seq, prev_hash and hash are the seal's). */
export function auditValues(input: AuditInput, id: string) {
  return {
    cooperation_id: input.cooperationId,
    id,
    occurred_at: input.occurredAt,
    actor_user_id: input.actorUserId,
    actor_establishment_id: input.actorEstablishmentId,
    actor_label: input.actorLabel,
    action: input.action,
    outcome: input.outcome,
    patient_id: input.patientId ?? null,
    resource_type: input.resourceType ?? null,
    resource_id: input.resourceId ?? null,
    emergency: input.emergency ?? false,
    request_id: input.requestId ?? null,
    ip: input.ip ?? null,
    details: JSON.stringify(input.details ?? {}),
  };
}

/** Audit input pre-filled from a request context. */
export function auditFrom(
  ctx: RequestContext,
  action: string,
  rest: Partial<Omit<AuditInput, 'cooperationId' | 'occurredAt' | 'action'>> = {},
): AuditInput {
  return {
    cooperationId: ctx.actor.cooperationId,
    occurredAt: ctx.now,
    actorUserId: ctx.actor.userId,
    actorEstablishmentId: ctx.actor.establishmentId,
    actorLabel: ctx.actor.username,
    action,
    outcome: 'success',
    requestId: ctx.requestId,
    ip: ctx.ip,
    ...rest,
  };
}

/** Appends in a transaction of its own (security events that stand alone, e.g. a failed login). */
export function appendAuditStandalone(db: Kysely<DB>, input: AuditInput): Promise<AppendedAuditEvent> {
  return db.transaction().execute((trx) => appendAudit(trx, input));
}

export interface VerifyProblem {
  cooperationId: string;
  seq: string;
  kind: 'hash_mismatch' | 'broken_link' | 'gap' | 'missing_tail' | 'head_mismatch' | 'unsealed';
  message: string;
}

export interface VerifyReport {
  cooperations: number;
  events: number;
  ok: boolean;
  problems: VerifyProblem[];
}

/**
 * Walks every chain in order and recomputes each hash with the same SQL function that sealed it. Detects an
 * edited event (hash mismatch), a deleted or reordered one (seq gap or broken link), events removed from the
 * end (head ahead of the last event) and events that escaped sealing (written with the trigger disabled).
 */
export async function verifyAuditChain(db: Kysely<DB> | Tx, cooperationId?: string): Promise<VerifyReport> {
  // Inside a transaction that itself appended events, seal them now so they are checked like the others.
  if (db.isTransaction) await sql`set constraints audit_events_seal immediate`.execute(db);
  let heads = db.selectFrom('audit_heads').select(['cooperation_id', 'seq', 'hash']);
  if (cooperationId) heads = heads.where('cooperation_id', '=', cooperationId);
  const headRows = await heads.execute();
  const problems: VerifyProblem[] = [];
  let events = 0;
  let unsealedQuery = db.selectFrom('audit_events').select(['cooperation_id', 'id']).where('hash', 'is', null);
  if (cooperationId) unsealedQuery = unsealedQuery.where('cooperation_id', '=', cooperationId);
  for (const row of await unsealedQuery.limit(100).execute()) {
    problems.push({
      cooperationId: row.cooperation_id,
      seq: '0',
      kind: 'unsealed',
      message: `event ${row.id} was never sealed into the chain`,
    });
  }
  const PAGE = 5000;
  for (const head of headRows) {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1n;
    let lastSeq = 0n;
    for (;;) {
      const rows = await db
        .selectFrom('audit_events as a')
        .select(['a.seq', 'a.prev_hash', 'a.hash', sql<string>`audit_event_hash(a)`.as('recomputed')])
        .where('a.cooperation_id', '=', head.cooperation_id)
        .where('a.seq', '>=', expectedSeq.toString())
        .orderBy('a.seq')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        const seq = BigInt(row.seq!);
        events++;
        if (seq !== expectedSeq) {
          problems.push({
            cooperationId: head.cooperation_id,
            seq: row.seq!,
            kind: 'gap',
            message: `events ${expectedSeq}..${seq - 1n} are missing`,
          });
        }
        if (row.prev_hash !== prevHash) {
          problems.push({
            cooperationId: head.cooperation_id,
            seq: row.seq!,
            kind: 'broken_link',
            message: 'previous hash does not match the preceding event',
          });
        }
        if (row.recomputed !== row.hash) {
          problems.push({
            cooperationId: head.cooperation_id,
            seq: row.seq!,
            kind: 'hash_mismatch',
            message: 'event content does not match its hash (edited)',
          });
        }
        prevHash = row.hash!;
        expectedSeq = seq + 1n;
        lastSeq = seq;
      }
      if (rows.length < PAGE) break;
    }
    if (BigInt(head.seq) > lastSeq) {
      problems.push({
        cooperationId: head.cooperation_id,
        seq: String(lastSeq + 1n),
        kind: 'missing_tail',
        message: `events ${lastSeq + 1n}..${head.seq} were removed from the end of the chain`,
      });
    } else if (head.hash !== prevHash) {
      problems.push({
        cooperationId: head.cooperation_id,
        seq: head.seq,
        kind: 'head_mismatch',
        message: 'chain head does not match the last event',
      });
    }
  }
  return { cooperations: headRows.length, events, ok: problems.length === 0, problems };
}
