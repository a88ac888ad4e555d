import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain, type AuditInput } from '../src/core/audit.ts';
import { AuditBatcher } from '../src/core/audit-batch.ts';
import { Agent, testApp, type TestApp } from './harness.ts';
import { createCooperation, TEST_PASSWORD, type TestCooperation } from './factories.ts';

/**
 * The patient page's read under concurrency and unit restriction: each read is audited through the group
 * commit (core/audit-batch.ts), and the visibility rule's unit filter is one parameter of a query built once.
 */
let t: TestApp;
let coop: TestCooperation;
beforeAll(async () => {
  t = await testApp();
  coop = await createCooperation(t.database);
});
afterAll(() => t.app.close());

async function agentFor(role: 'nurse', establishment: 'a' | 'b', unitId?: string) {
  const user = await coop.user(role, { establishment, ...(unitId ? { unitId } : {}) });
  const agent = new Agent(t.app);
  await agent.login(user.username, TEST_PASSWORD);
  return { agent, user };
}

describe('reading a patient', () => {
  it('audits concurrent reads once each, in one unbroken chain, answering none before its event is committed', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => coop.patient({ careAt: ['a'] })));
    // Sign-in is rate-limited per address: two nurses, each reading twelve patients at once.
    const readers = await Promise.all(Array.from({ length: 2 }, () => agentFor('nurse', 'a')));
    const hidden = await coop.patient({ careAt: ['b'] });
    // Reads that must fail write nothing.
    const reads = readers.flatMap(({ agent }) => ids.map((id) => agent.get(`/api/v1/patients/${id}`)));
    const refused = readers.map(({ agent }) => agent.get(`/api/v1/patients/${hidden}`));
    const answers = await Promise.all([...reads, ...refused]);
    expect(answers.slice(0, reads.length).every((r) => r.statusCode === 200)).toBe(true);
    expect(answers.slice(reads.length).every((r) => r.statusCode === 404)).toBe(true);
    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'patient_id', 'request_id', 'seq', 'hash', 'emergency'])
      .where('cooperation_id', '=', coop.cooperationId)
      .where('action', '=', 'patient.read')
      .where('patient_id', 'in', [...ids, hidden])
      .execute();
    expect(events).toHaveLength(reads.length);
    expect(events.some((e) => e.patient_id === hidden)).toBe(false);
    expect(events.every((e) => !e.emergency && e.seq !== null && e.hash !== null)).toBe(true);
    // Each answer's request id names exactly one event.
    const requestIds = answers.slice(0, reads.length).map((r) => r.headers['x-request-id']);
    expect(new Set(events.map((e) => e.request_id))).toEqual(new Set(requestIds));
    for (const { user } of readers) {
      expect(
        events
          .filter((e) => e.actor_user_id === user.id)
          .map((e) => e.patient_id)
          .sort(),
      ).toEqual([...ids].sort());
    }
    const report = await verifyAuditChain(t.database.db, coop.cooperationId);
    expect(report.problems).toEqual([]);
  });

  it('shows a unit-restricted member the patients of her unit and of the whole establishment, not of another unit', async () => {
    const careIn = async (unitId: string | null) => {
      const id = await coop.patient({ careAt: [] });
      await t.database.db
        .insertInto('care_relationships')
        .values({
          id: randomUUID(),
          cooperation_id: coop.cooperationId,
          patient_id: id,
          establishment_id: coop.establishments.a,
          unit_id: unitId,
          starts_on: '2020-01-01',
        })
        .execute();
      return id;
    };
    const ofDayHospital = await careIn(coop.units.aDayHospital);
    const ofPharmacy = await careIn(coop.units.aPharmacy);
    const ofEstablishment = await careIn(null);
    const { agent } = await agentFor('nurse', 'a', coop.units.aDayHospital);
    expect((await agent.get(`/api/v1/patients/${ofDayHospital}`)).statusCode).toBe(200);
    expect((await agent.get(`/api/v1/patients/${ofEstablishment}`)).statusCode).toBe(200);
    expect((await agent.get(`/api/v1/patients/${ofPharmacy}`)).statusCode).toBe(404);
    // A member of the whole establishment sees all three.
    const { agent: wide } = await agentFor('nurse', 'a');
    for (const id of [ofDayHospital, ofPharmacy, ofEstablishment]) {
      expect((await wide.get(`/api/v1/patients/${id}`)).statusCode).toBe(200);
    }
  });
});

describe('the group commit of audit events', () => {
  const event = (cooperationId: string, action: string): AuditInput => ({
    cooperationId,
    occurredAt: new Date(),
    actorUserId: null,
    actorEstablishmentId: null,
    actorLabel: 'test',
    action,
    outcome: 'success',
    details: { n: 1 },
  });

  it('chains each cooperation apart, and a failed batch rejects its own appends only', async () => {
    const other = await createCooperation(t.database);
    const batcher = new AuditBatcher(t.database.db);
    const mine = Array.from({ length: 20 }, () =>
      batcher.append(event(coop.cooperationId, 'test.batch'), randomUUID()),
    );
    const theirs = Array.from({ length: 20 }, () =>
      batcher.append(event(other.cooperationId, 'test.batch'), randomUUID()),
    );
    // No such cooperation: the foreign key refuses the batch, which is that cooperation's alone.
    const orphan = expect(batcher.append(event(randomUUID(), 'test.batch'), randomUUID())).rejects.toThrow();
    await expect(Promise.all([...mine, ...theirs])).resolves.toBeDefined();
    await orphan;
    await batcher.drain();
    for (const id of [coop.cooperationId, other.cooperationId]) {
      const rows = await t.database.db
        .selectFrom('audit_events')
        .select(['details', 'hash'])
        .where('cooperation_id', '=', id)
        .where('action', '=', 'test.batch')
        .execute();
      expect(rows).toHaveLength(20);
      expect(rows.every((r) => r.hash !== null && (r.details as { n: number }).n === 1)).toBe(true);
      expect((await verifyAuditChain(t.database.db, id)).problems).toEqual([]);
    }
  });
});
