import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/core/audit.ts';
import { openDatabase, type Database } from '../src/core/db/index.ts';
import { migrate } from '../src/core/db/migrator.ts';
import { createCooperation, TEST_PASSWORD } from './factories.ts';
import { loginOverHttp, startServer, type HttpSession, type ServerProcess } from './support/server-process.ts';

/**
 * Crash test: the real server process is killed with SIGKILL (no shutdown code runs) in the middle of
 * a stream of patient registrations, then restarted on the same data. A 201 is a promise: every
 * registration acknowledged before the kill must be there after the restart, identical, and the audit
 * chain must still verify. Runs on the embedded database, and on PostgreSQL when DATABASE_URL is set.
 */

const ACKS_BEFORE_KILL = 150;
const IN_FLIGHT = 4;

interface Acked {
  id: string;
  birthName: string;
  firstNames: string;
  birthDate: string;
  sex: 'F' | 'M';
  ipp: string;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** A cooperation with one medical secretary, written straight into the database before the server runs. */
async function prepare(open: () => Promise<Database>) {
  const database = await open();
  try {
    await migrate(database);
    const coop = await createCooperation(database);
    const user = await coop.user('medical_secretary', { establishment: 'a' });
    return { cooperationId: coop.cooperationId, username: user.username };
  } finally {
    await database.close();
  }
}

function request(server: ServerProcess, session: HttpSession, method: 'GET' | 'POST', url: string, body?: unknown) {
  return fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      cookie: session.cookie,
      ...(method === 'POST' ? { 'x-csrf-token': session.csrf, 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/**
 * Keeps IN_FLIGHT registrations running until the server dies; SIGKILL after ACKS_BEFORE_KILL
 * acknowledgements, while the others are still in flight.
 */
async function writeUntilKilled(server: ServerProcess, session: HttpSession) {
  const acked: Acked[] = [];
  let sent = 0;
  let killed: Promise<string> | undefined;
  let inFlightAtKill = 0;
  let inFlight = 0;
  const run = randomUUID().slice(0, 8);
  // Each worker keeps writing until a request fails after the kill: requests sent while the process dies are
  // part of the test (the last one of each worker is never acknowledged).
  const worker = async () => {
    for (;;) {
      const n = ++sent;
      const patient = {
        birthName: `Crash-${run}-${n}`,
        firstNames: `Prénom ${n}`,
        birthDate: `19${String(30 + (n % 60)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`,
        sex: n % 2 ? ('F' as const) : ('M' as const),
        ipp: `CR${run}${n}`,
      };
      inFlight++;
      try {
        const res = await request(server, session, 'POST', '/api/v1/patients', patient);
        if (res.status !== 201) throw new Error(`registration ${n} answered ${res.status}: ${await res.text()}`);
        const { patient: stored } = (await res.json()) as { patient: { id: string } };
        acked.push({ id: stored.id, ...patient });
        if (acked.length >= ACKS_BEFORE_KILL && !killed) {
          inFlightAtKill = inFlight - 1;
          killed = server.kill9();
        }
      } catch (error) {
        // After the kill, connection errors are the expected end of the stream; before it, a failure.
        if (!killed) throw error;
        return;
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const how = await killed!;
  return { acked, sent, how, inFlightAtKill };
}

async function crashAndRecover(options: { databaseUrl?: string; dataDir?: string }, open: () => Promise<Database>) {
  const { cooperationId, username } = await prepare(open);

  const first = await startServer(options);
  cleanups.push(() => first.kill9());
  const session = await loginOverHttp(first.baseUrl, username, TEST_PASSWORD);
  const { acked, sent, how, inFlightAtKill } = await writeUntilKilled(first, session);
  expect(how, first.output()).toBe('SIGKILL');
  expect(acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
  // Mid-stream: requests were still on their way when the process died.
  expect(sent).toBeGreaterThan(acked.length);
  expect(inFlightAtKill).toBeGreaterThan(0);

  const second = await startServer(options);
  cleanups.push(() => second.kill9());
  const again = await loginOverHttp(second.baseUrl, username, TEST_PASSWORD);
  const queue = [...acked];
  const missing: string[] = [];
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        const res = await request(second, again, 'GET', `/api/v1/patients/${p.id}`);
        if (res.status !== 200) {
          missing.push(`${p.id}: ${res.status}`);
          continue;
        }
        const got = (await res.json()) as Record<string, unknown>;
        expect({
          birthName: got.birthName,
          firstNames: got.firstNames,
          birthDate: got.birthDate,
          sex: got.sex,
          ipps: got.ipps,
        }).toEqual({
          birthName: p.birthName.toUpperCase(),
          firstNames: p.firstNames,
          birthDate: p.birthDate,
          sex: p.sex,
          ipps: [p.ipp],
        });
      }
    }),
  );
  expect(missing, 'acknowledged registrations lost in the crash').toEqual([]);
  expect(await second.stop(), second.output()).toBe('exit 0');

  // Nothing half-done: every registration that survived, acknowledged or not, is whole.
  const database = await open();
  try {
    const report = await verifyAuditChain(database.db, cooperationId);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const db = database.db;
    const patients = await db.selectFrom('patients').select('id').where('cooperation_id', '=', cooperationId).execute();
    const created = await db
      .selectFrom('audit_events')
      .select('patient_id')
      .where('cooperation_id', '=', cooperationId)
      .where('action', '=', 'patient.create')
      .execute();
    const care = await db
      .selectFrom('care_relationships')
      .select('patient_id')
      .where('cooperation_id', '=', cooperationId)
      .execute();
    const ids = await db
      .selectFrom('patient_identifiers')
      .select('patient_id')
      .where('cooperation_id', '=', cooperationId)
      .execute();
    const sorted = (rows: { patient_id: string | null }[]) => rows.map((r) => r.patient_id).sort();
    const patientIds = patients.map((p) => p.id).sort();
    expect(patientIds.length).toBeGreaterThanOrEqual(acked.length);
    expect(patientIds.length).toBeLessThanOrEqual(sent);
    expect(sorted(created)).toEqual(patientIds);
    expect(sorted(care)).toEqual(patientIds);
    expect(sorted(ids)).toEqual(patientIds);
  } finally {
    await database.close();
  }
}

describe('kill -9 during a stream of writes', () => {
  it(
    'embedded database: every acknowledged registration survives, the audit chain verifies',
    { timeout: 120_000 },
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-crash-'));
      cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      await crashAndRecover({ dataDir }, () => openDatabase({ dataDir }));
    },
  );

  const databaseUrl = process.env.DATABASE_URL;
  it.skipIf(!databaseUrl)(
    'PostgreSQL: every acknowledged registration survives, the audit chain verifies',
    { timeout: 120_000 },
    async () => {
      await crashAndRecover({ databaseUrl }, () => openDatabase({ databaseUrl, poolSize: 2 }));
    },
  );
});
