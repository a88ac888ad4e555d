import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nirKey } from '../src/modules/patients/index.ts';
import { Agent, testApp, type TestApp } from './harness.ts';
import { createCooperation, TEST_PASSWORD, type TestCooperation } from './factories.ts';

let t: TestApp;
let coop: TestCooperation;
beforeAll(async () => {
  t = await testApp();
  coop = await createCooperation(t.database);
});
afterAll(() => t.app.close());

async function agentFor(roles: Parameters<TestCooperation['user']>[0], establishment: 'a' | 'b' = 'a') {
  const u = await coop.user(roles, { establishment });
  const agent = new Agent(t.app);
  await agent.login(u.username, TEST_PASSWORD);
  return { agent, user: u };
}

/** A synthetic NIR with a valid key: sex digit, year, month, département 75, commune, order. */
function nir(sex: 1 | 2, yy: string, mm: string, order = Math.floor(Math.random() * 999)): string {
  const body = `${sex}${yy}${mm}75${String(100 + Math.floor(Math.random() * 800))}${String(order).padStart(3, '0')}`;
  return body + nirKey(body);
}

const newPatient = (over: Record<string, unknown> = {}) => ({
  birthName: 'Lemaître',
  firstNames: 'Héloïse Jeanne',
  birthDate: '1958-07-14',
  sex: 'F',
  identityStatus: 'provisional',
  ...over,
});

describe('registration and identity', () => {
  it('registers a patient with a valid INS and IPP, visible to the registering establishment only', async () => {
    const { agent } = await agentFor('medical_secretary');
    const ins = nir(2, '58', '07');
    const res = await agent.post(
      '/api/v1/patients',
      newPatient({ ins, identityStatus: 'qualified', ipp: `IPP${Date.now()}` }),
    );
    expect(res.statusCode).toBe(201);
    const { patient } = res.json();
    expect(patient).toMatchObject({ birthName: 'LEMAÎTRE', ins, insType: 'NIR', identityStatus: 'qualified' });
    expect(patient.careRelationships).toHaveLength(1);
    const { agent: other } = await agentFor('prescriber', 'b');
    const hidden = await other.get(`/api/v1/patients/${patient.id}`);
    expect(hidden.statusCode).toBe(404);
    const missing = await other.get(`/api/v1/patients/${randomUUID()}`);
    expect(hidden.json().code).toBe(missing.json().code);
    expect(hidden.json().detail).toBe(missing.json().detail);
  });

  it('rejects an INS with a wrong key, with a stable code, storing nothing', async () => {
    const { agent } = await agentFor('medical_secretary');
    const good = nir(1, '61', '04');
    const bad = good.slice(0, 13) + String((Number(good.slice(13)) + 1) % 97).padStart(2, '0');
    const before = await t.database.db
      .selectFrom('patients')
      .select(({ fn }) => fn.countAll().as('n'))
      .where('cooperation_id', '=', coop.cooperationId)
      .executeTakeFirstOrThrow();
    const res = await agent.post('/api/v1/patients', newPatient({ ins: bad, sex: 'M' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_INS');
    const after = await t.database.db
      .selectFrom('patients')
      .select(({ fn }) => fn.countAll().as('n'))
      .where('cooperation_id', '=', coop.cooperationId)
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('requires an INS for a qualified identity and refuses unknown fields', async () => {
    const { agent } = await agentFor('medical_secretary');
    const res = await agent.post('/api/v1/patients', newPatient({ identityStatus: 'qualified' }));
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const extra = await agent.post('/api/v1/patients', newPatient({ role: 'admin' }));
    expect(extra.statusCode).toBe(400);
    expect(extra.json().code).toBe('VALIDATION_FAILED');
  });

  it('flags a likely duplicate for identity vigilance and merges only on explicit request', async () => {
    const { agent } = await agentFor(['medical_secretary']);
    const first = (
      await agent.post(
        '/api/v1/patients',
        newPatient({ birthName: 'Dupont', firstNames: 'Hélène', birthDate: '1947-02-03' }),
      )
    ).json();
    const second = await agent.post(
      '/api/v1/patients',
      newPatient({ birthName: 'DUPOND', firstNames: 'Helene', birthDate: '1947-02-03' }),
    );
    expect(second.statusCode).toBe(201);
    const body = second.json();
    expect(body.duplicates[0].patient.id).toBe(first.patient.id);
    expect(body.duplicates[0].reasons).toContain('same_birth_date');
    const alerts = (await agent.get('/api/v1/identity-alerts')).json().items;
    const alert = alerts.find((a: { patient: { id: string } }) => a.patient.id === body.patient.id);
    expect(alert).toBeDefined();
    // Both records still exist separately until someone merges.
    expect((await agent.get(`/api/v1/patients/${body.patient.id}`)).json().mergedIntoId).toBeNull();
    const merged = await agent.post(`/api/v1/patients/${body.patient.id}/merge`, {
      intoPatientId: first.patient.id,
      reason: 'Même personne, faute de frappe',
    });
    expect(merged.statusCode).toBe(200);
    const dup = (await agent.get(`/api/v1/patients/${body.patient.id}`)).json();
    expect(dup.mergedIntoId).toBe(first.patient.id);
    const log = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'patient_id'])
      .where('action', '=', 'patient.merge')
      .where('cooperation_id', '=', coop.cooperationId)
      .execute();
    expect(log.map((l) => l.patient_id).sort()).toEqual([first.patient.id, body.patient.id].sort());
    expect(
      (await agent.get('/api/v1/identity-alerts')).json().items.find((a: { id: string }) => a.id === alert.id),
    ).toBeUndefined();
  });

  it('refuses a second patient with the same INS and a reused IPP', async () => {
    const { agent } = await agentFor('medical_secretary');
    const ins = nir(1, '70', '01');
    expect((await agent.post('/api/v1/patients', newPatient({ sex: 'M', ins, ipp: 'X-1' }))).statusCode).toBe(201);
    expect((await agent.post('/api/v1/patients', newPatient({ sex: 'M', ins, birthName: 'Autre' }))).json().code).toBe(
      'DUPLICATE_IDENTIFIER',
    );
    expect((await agent.post('/api/v1/patients', newPatient({ ipp: 'X-1', birthName: 'Autre' }))).json().code).toBe(
      'DUPLICATE_IDENTIFIER',
    );
  });

  it('edits identity with optimistic locking', async () => {
    const { agent } = await agentFor('medical_secretary');
    const p = (await agent.post('/api/v1/patients', newPatient({ birthName: 'Versionné' }))).json().patient;
    const ok = await agent.patch(`/api/v1/patients/${p.id}`, { usedName: 'Martin', version: p.version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().usedName).toBe('MARTIN');
    const stale = await agent.patch(`/api/v1/patients/${p.id}`, { usedName: 'Durand', version: p.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
  });
});

describe('search', () => {
  it('finds by name with accents and case folded, by birth date, INS and IPP, within scope only', async () => {
    const ins = nir(2, '39', '11');
    const id = await coop.patient({ birthName: 'ÉVRARD', firstNames: 'Anaïs', birthDate: '1939-11-05', ins });
    await t.database.db
      .insertInto('patient_identifiers')
      .values({
        id: randomUUID(),
        cooperation_id: coop.cooperationId,
        patient_id: id,
        establishment_id: coop.establishments.a,
        ipp: '4471123',
      })
      .execute();
    const hiddenId = await coop.patient({
      birthName: 'EVRARD',
      firstNames: 'Anaïs',
      birthDate: '1939-11-06',
      careAt: ['b'],
    });
    const { agent } = await agentFor('nurse');
    for (const q of ['evrard anais', 'Évrard', '05/11/1939', '1939-11-05 evr', ins, '4471123']) {
      const res = await agent.get(`/api/v1/patients?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      const ids = res.json().items.map((p: { id: string }) => p.id);
      expect(ids, q).toContain(id);
      expect(ids, q).not.toContain(hiddenId);
    }
    const page = (await agent.get(`/api/v1/patients?q=evrard`)).json();
    expect(page.items[0].ipps).toEqual(['4471123']);
  });

  it('treats SQL and wildcard payloads as plain text', async () => {
    const { agent } = await agentFor('nurse');
    for (const q of ["'; drop table patients; --", '%', '_', "' or 1=1 --"]) {
      const res = await agent.get(`/api/v1/patients?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([]);
    }
  });
});

describe('emergency access and who accessed', () => {
  it('requires a reason, is time-limited, flagged, and shows in the access log', async () => {
    const id = await coop.patient({
      birthName: 'URGENCE',
      firstNames: 'Paul',
      birthDate: '1950-01-01',
      sex: 'M',
      careAt: ['b'],
    });
    const { agent, user } = await agentFor('prescriber', 'a');
    expect((await agent.get(`/api/v1/patients/${id}`)).statusCode).toBe(404);
    const found = await agent.get(`/api/v1/patients?scope=cooperation&q=${encodeURIComponent('urgence 01/01/1950')}`);
    expect(found.json().items.map((p: { id: string }) => p.id)).toContain(id);
    const noReason = await agent.post(`/api/v1/patients/${id}/emergency-access`, { reason: 'vite' });
    expect(noReason.statusCode).toBe(400);
    const granted = await agent.post(`/api/v1/patients/${id}/emergency-access`, {
      reason: 'Patient admis aux urgences, inconscient',
    });
    expect(granted.statusCode).toBe(201);
    const read = await agent.get(`/api/v1/patients/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().emergencyAccess.reason).toContain('urgences');
    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'emergency'])
      .where('patient_id', '=', id)
      .where('actor_user_id', '=', user.id)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'patient.emergency_access', emergency: true },
      { action: 'patient.read', emergency: true },
    ]);
    const log = (await agent.get(`/api/v1/patients/${id}/access-log`)).json();
    expect(
      log.items.some((e: { actorLabel: string; emergency: boolean }) => e.actorLabel === user.username && e.emergency),
    ).toBe(true);
    t.clock.advance(5 * 3_600_000);
    const later = new Agent(t.app);
    await later.login(user.username, TEST_PASSWORD);
    expect((await later.get(`/api/v1/patients/${id}`)).statusCode).toBe(404);
    t.clock.advance(-5 * 3_600_000);
  });

  it('audits each read of a patient in care with one sealed, unflagged event, and a refused read with none', async () => {
    const id = await coop.patient({ birthName: 'LECTURE', firstNames: 'Anne', birthDate: '1962-03-04', sex: 'F' });
    const { agent, user } = await agentFor('nurse', 'a');
    const { agent: outsider, user: outsiderUser } = await agentFor('nurse', 'b');
    for (let i = 0; i < 2; i++) expect((await agent.get(`/api/v1/patients/${id}`)).statusCode).toBe(200);
    expect((await outsider.get(`/api/v1/patients/${id}`)).statusCode).toBe(404);
    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'emergency', 'actor_user_id', 'resource_id', 'seq', 'hash'])
      .where('patient_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.action, e.emergency, e.actor_user_id, e.resource_id])).toEqual([
      ['patient.read', false, user.id, id],
      ['patient.read', false, user.id, id],
    ]);
    expect(events.every((e) => e.seq !== null && /^[0-9a-f]{64}$/.test(e.hash ?? ''))).toBe(true);
    expect(events.some((e) => e.actor_user_id === outsiderUser.id)).toBe(false);
  });

  it('is refused to roles without it (403) and answers 404 for a missing patient', async () => {
    const { agent } = await agentFor('pharmacy_technician');
    const id = await coop.patient({ careAt: ['b'] });
    expect(
      (await agent.post(`/api/v1/patients/${id}/emergency-access`, { reason: 'Raison suffisamment longue' }))
        .statusCode,
    ).toBe(403);
    const { agent: doc } = await agentFor('prescriber');
    expect(
      (await doc.post(`/api/v1/patients/${randomUUID()}/emergency-access`, { reason: 'Raison suffisamment longue' }))
        .statusCode,
    ).toBe(404);
  });
});

describe('care relationships', () => {
  it('refers a patient to another establishment, which then sees them', async () => {
    const id = await coop.patient({ birthName: 'REFERE' });
    const { agent } = await agentFor('prescriber', 'a');
    const res = await agent.post(`/api/v1/patients/${id}/care-relationships`, {
      establishmentId: coop.establishments.b,
      startsOn: '2026-01-01',
      reason: 'Chimiothérapie',
    });
    expect(res.statusCode).toBe(201);
    const { agent: b } = await agentFor('nurse', 'b');
    expect((await b.get(`/api/v1/patients/${id}`)).statusCode).toBe(200);
    const rel = res
      .json()
      .careRelationships.find((r: { establishmentId: string }) => r.establishmentId === coop.establishments.b);
    await agent.post(`/api/v1/patients/${id}/care-relationships/${rel.id}/end`, { endsOn: '2026-01-02' });
    expect((await b.get(`/api/v1/patients/${id}`)).statusCode).toBe(404);
  });
});
