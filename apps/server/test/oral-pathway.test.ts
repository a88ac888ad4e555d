import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parisDate } from '../src/core/clock.ts';
import { randomIds } from '../src/core/ids.ts';
import { JobWorker } from '../src/core/jobs.ts';
import { smtpMailer } from '../src/core/mailer.ts';
import { oralPathwayJobs, PACKET_MAX_ATTEMPTS } from '../src/modules/oral-pathway/index.ts';
import { Agent, testApp, type TestApp } from './harness.ts';
import { createCooperation, TEST_PASSWORD, type TestCooperation } from './factories.ts';
import { SmtpSink } from './support/smtp-sink.ts';

/**
 * The oral anticancer pathway end to end on the real HTTP stack and database: primo-prescription and its
 * three consultations with the interaction check, versioned documents, transmission packets mailed through
 * the job queue to a local SMTP server (which refuses, then accepts; or is down), acknowledgements,
 * community scope, follow-up calls, patient-reported forms and alerts, indicators.
 */

const sink = await new SmtpSink().start();
let t: TestApp;
let coop: TestCooperation;
const agents: Record<string, Agent> = {};
const users: Record<string, { id: string; username: string }> = {};
let patientId: string;
let worker: JobWorker;

async function signIn(name: string, role: Parameters<TestCooperation['user']>[0], establishment: 'a' | 'b' = 'a') {
  const user = await coop.user(role, { establishment });
  const agent = new Agent(t.app);
  const res = await agent.login(user.username, TEST_PASSWORD);
  expect(res.statusCode, res.body).toBe(200);
  agents[name] = agent;
  users[name] = user;
  return agent;
}

function makeWorker(mailerUrl: string | null, backoff?: { baseMs: number; maxMs: number }) {
  return new JobWorker({
    db: t.database.db,
    clock: t.clock,
    // On a shared PostgreSQL, other test files' cooperations have packets too: leave them alone.
    cooperationId: coop.cooperationId,
    ...(backoff ? { backoff } : {}),
    handlers: Object.fromEntries(
      oralPathwayJobs({
        db: t.database.db,
        clock: t.clock,
        ids: randomIds,
        mailer: mailerUrl ? smtpMailer(mailerUrl, 'passerelle@hopital.test') : undefined,
        publicUrl: 'https://passerelle.test',
      }).map((d) => [d.queue, d.handler]),
    ),
  });
}

const today = () => parisDate(t.clock.now());
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  // Sessions that outlive the clock jumps below (days of follow-up, link expiry).
  t = await testApp({
    config: { publicUrl: 'https://passerelle.test', sessionTtlMinutes: 60 * 24 * 60, sessionIdleMinutes: 60 * 24 * 60 },
  });
  coop = await createCooperation(t.database);
  patientId = await coop.patient({ birthName: 'ORALE', firstNames: 'Jeanne', careAt: ['a'] });
  await signIn('prescriber', 'prescriber');
  await signIn('pharmacist', 'pharmacist');
  await signIn('nurse', 'nurse');
  await signIn('coordinator', 'nurse_coordinator');
  await signIn('gpAccount', 'community_professional');
  await signIn('otherCommunity', 'community_professional');
  await signIn('outsider', ['prescriber', 'nurse_coordinator'], 'b');
  worker = makeWorker(sink.url);
  // Seven sign-ins (argon2id) on a small shared machine.
}, 60_000);
afterAll(async () => {
  await t.app.close();
  await sink.stop();
});

let treatmentId: string;
const capecitabine = () => ({
  patientId,
  drugCode: 'capecitabine',
  doseMg: 1500,
  scheduleCode: 'd1_14_q21_twice_daily',
  startDate: today(),
  calendarCycles: 2,
  dispensingChannel: 'community_pharmacy',
  indication: 'Cancer colique stade III, adjuvant',
});

async function count(
  table: 'oral_treatments' | 'oral_consultations' | 'oral_packets' | 'oral_patient_reports' | 'audit_events',
) {
  const row = await t.database.db
    .selectFrom(table)
    .select(({ fn }) => fn.countAll().as('n'))
    .where('cooperation_id', '=', coop.cooperationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('primo-prescription', () => {
  it('refuses an unknown drug and a schedule the drug is not given on, storing nothing', async () => {
    const before = await count('oral_treatments');
    const unknown = await agents.prescriber!.post('/api/v1/oral/treatments', {
      ...capecitabine(),
      drugCode: 'paracetamolib',
    });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'UNKNOWN_DRUG', fields: [{ path: 'body.drugCode' }] });
    const schedule = await agents.prescriber!.post('/api/v1/oral/treatments', {
      ...capecitabine(),
      scheduleCode: 'd1_21_q28_once_daily',
    });
    expect(schedule.json()).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'body.scheduleCode' }] });
    expect(await count('oral_treatments')).toBe(before);
  });

  it('creates the treatment with its documents (version 1) and follow-up calls; only a prescriber may', async () => {
    const refused = await agents.pharmacist!.post('/api/v1/oral/treatments', capecitabine());
    expect(refused.statusCode).toBe(403);
    const hidden = await agents.outsider!.post('/api/v1/oral/treatments', capecitabine());
    expect(hidden.statusCode, hidden.body).toBe(404);

    const res = await agents.prescriber!.post('/api/v1/oral/treatments', capecitabine());
    expect(res.statusCode, res.body).toBe(201);
    const dto = res.json();
    treatmentId = dto.id;
    expect(dto).toMatchObject({
      drugCode: 'capecitabine',
      doseMg: 1500,
      version: 1,
      food: 'with_food',
      consultations: { medical: false, pharmaceutical: false, nursing: false },
      prescriberName: expect.any(String),
    });
    expect(dto.documents).toHaveLength(1);
    expect(dto.calls.map((c: { label: string; dueDate: string }) => [c.label, c.dueDate])).toEqual([
      ['C1 J8', addDays(today(), 7)],
      ['C1 J15', addDays(today(), 14)],
      ['C2 J1', addDays(today(), 21)],
      ['C3 J1', addDays(today(), 42)],
    ]);
  });

  it('records the three consultations, each by its profession, once; the interaction check flags warfarin', async () => {
    const url = (kind: string) => `/api/v1/oral/treatments/${treatmentId}/consultations/${kind}`;
    const medical = {
      indication: 'Cancer colique stade III, adjuvant',
      doseConfirmed: true,
      scheduleConfirmed: true,
      informationGiven: ['treatment_schedule', 'side_effects', 'drug_sheet'],
    };
    expect((await agents.nurse!.post(url('medical'), medical)).statusCode).toBe(403);
    const m = await agents.prescriber!.post(url('medical'), medical);
    expect(m.statusCode, m.body).toBe(201);

    const preview = await agents.pharmacist!.post('/api/v1/oral/interaction-check', {
      drugCode: 'capecitabine',
      reconciliation: [{ name: 'Warfarine 5 mg', kind: 'prescription' }],
    });
    expect(preview.json().items.map((f: { entryId: string }) => f.entryId)).toEqual(['capecitabine-vka']);
    expect(
      (await agents.pharmacist!.post('/api/v1/oral/interaction-check', { drugCode: 'xyz', reconciliation: [] })).json()
        .code,
    ).toBe('UNKNOWN_DRUG');

    const pharma = {
      reconciliation: [
        { name: 'Warfarine 5 mg', kind: 'prescription', dosage: '1 cp le soir' },
        { name: 'Doliprane 1 g', kind: 'self_medication' },
        { name: 'Tisane de millepertuis', kind: 'herbal' },
      ],
      intakePlan: 'Capécitabine 1 500 mg à 8 h et 20 h, dans les 30 minutes après le repas, J1 à J14.',
      interactionDecisions: 'AVK : relais par HBPM discuté avec le médecin traitant.',
    };
    const p = await agents.pharmacist!.post(url('pharmaceutical'), pharma);
    expect(p.statusCode, p.body).toBe(201);
    const record = p.json().consultationRecords.find((c: { kind: string }) => c.kind === 'pharmaceutical');
    expect(record.content.interactions.map((f: { entryId: string; item: string }) => [f.entryId, f.item])).toEqual([
      ['capecitabine-vka', 'Warfarine 5 mg'],
    ]);
    expect(record.content.interactions[0].source).toMatch(/Xeloda SmPC/);
    const again = await agents.pharmacist!.post(url('pharmaceutical'), pharma);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CONFLICT');

    const n = await agents.nurse!.post(url('nursing'), {
      checklist: ['intake_times', 'missed_dose', 'hand_washing'],
      sideEffectsExplained: ['Syndrome main-pied', 'Diarrhée'],
      whoToCall: 'Infirmière de coordination : 02 00 00 00 00 (8 h–18 h), sinon le 15',
    });
    expect(n.statusCode, n.body).toBe(201);

    const board = await agents.coordinator!.get('/api/v1/oral/treatments');
    const row = board.json().items.find((i: { id: string }) => i.id === treatmentId);
    expect(row.consultations).toEqual({ medical: true, pharmaceutical: true, nursing: true });
    // Another establishment neither lists nor reads it.
    expect(
      (await agents.outsider!.get('/api/v1/oral/treatments'))
        .json()
        .items.some((i: { id: string }) => i.id === treatmentId),
    ).toBe(false);
    expect((await agents.outsider!.get(`/api/v1/oral/treatments/${treatmentId}`)).statusCode).toBe(404);
  });

  it('serves the patient booklet as PDF, and a dose change makes version 2 (stale versions refused)', async () => {
    const dto = (await agents.coordinator!.get(`/api/v1/oral/treatments/${treatmentId}`)).json();
    const pdf = await agents.coordinator!.get(`/api/v1/oral/documents/${dto.documents[0].id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers['content-disposition']).toContain('plan-de-traitement-v1.pdf');

    const stale = await agents.prescriber!.post(`/api/v1/oral/treatments/${treatmentId}/plan`, {
      doseMg: 1000,
      reason: 'Clairance 45 mL/min',
      version: 7,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    const changed = await agents.prescriber!.post(`/api/v1/oral/treatments/${treatmentId}/plan`, {
      doseMg: 1150,
      reason: 'Clairance 45 mL/min : réduction à 75 %',
      version: 1,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, doseMg: 1150 });
    expect(changed.json().documents.map((d: { planVersion: number }) => d.planVersion)).toEqual([2, 1]);
  });
});

describe('transmission to the community', () => {
  let gpId: string;
  let pharmacistId: string;
  let downId: string;

  it('keeps a directory with RPPS shape checked and accounts linked', async () => {
    const bad = await agents.coordinator!.post('/api/v1/oral/community-professionals', {
      kind: 'gp',
      rpps: '12345',
      firstName: 'Paul',
      lastName: 'Martin',
      secureEmail: 'paul.martin@medecin.mssante.fr',
    });
    expect(bad.json().code).toBe('INVALID_RPPS');
    const gp = await agents.coordinator!.post('/api/v1/oral/community-professionals', {
      kind: 'gp',
      rpps: `1${String(Date.now()).slice(-10)}`,
      title: 'Dr',
      firstName: 'Paul',
      lastName: 'Martin',
      secureEmail: 'paul.martin@medecin.mssante.fr',
      userId: users.gpAccount!.id,
    });
    expect(gp.statusCode, gp.body).toBe(201);
    gpId = gp.json().id;
    const dup = await agents.coordinator!.post('/api/v1/oral/community-professionals', {
      kind: 'gp',
      rpps: gp.json().rpps,
      firstName: 'Autre',
      lastName: 'Nom',
      secureEmail: 'autre@medecin.mssante.fr',
    });
    expect(dup.json().code).toBe('DUPLICATE_IDENTIFIER');
    const notCommunity = await agents.coordinator!.post('/api/v1/oral/community-professionals', {
      kind: 'nurse',
      firstName: 'Léa',
      lastName: 'Roux',
      secureEmail: 'lea.roux@infirmier.mssante.fr',
      userId: users.prescriber!.id,
    });
    expect(notCommunity.json()).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'body.userId' }] });
    pharmacistId = (
      await agents.coordinator!.post('/api/v1/oral/community-professionals', {
        kind: 'pharmacist',
        firstName: 'Anne',
        lastName: 'Leroy',
        secureEmail: 'officine.leroy@pharmacien.mssante.fr',
      })
    ).json().id;
    downId = (
      await agents.coordinator!.post('/api/v1/oral/community-professionals', {
        kind: 'nurse',
        firstName: 'Marc',
        lastName: 'Petit',
        secureEmail: 'marc.petit@infirmier.mssante.fr',
      })
    ).json().id;
    const list = (await agents.pharmacist!.get('/api/v1/oral/community-professionals')).json().items;
    expect(list.find((p: { id: string }) => p.id === gpId)).toMatchObject({ hasAccount: true, kind: 'gp' });
  });

  it('queues packets; a server that refuses then accepts gets them on the retry, with the PDFs and a working acknowledgement link', async () => {
    const res = await agents.coordinator!.post(`/api/v1/oral/treatments/${treatmentId}/packets`, {
      recipientIds: [gpId, pharmacistId],
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().items.map((p: { status: string; planVersion: number }) => [p.status, p.planVersion])).toEqual([
      ['queued', 2],
      ['queued', 2],
    ]);

    sink.refuseNext = 1;
    const received = sink.messages.length;
    expect(await worker.drain()).toBe(2);
    let packets = (await agents.coordinator!.get(`/api/v1/oral/treatments/${treatmentId}`)).json().packetList;
    expect(packets.map((p: { status: string }) => p.status).sort()).toEqual(['queued', 'sent']);
    const refused = packets.find((p: { status: string }) => p.status === 'queued');
    expect(refused).toMatchObject({ attempts: 1, lastError: expect.stringContaining('SMTP 451') });
    expect(sink.messages.length).toBe(received + 1);

    // Not yet: the retry waits for its backoff.
    expect(await worker.drain()).toBe(0);
    t.clock.advance(11_000);
    expect(await worker.drain()).toBe(1);
    packets = (await agents.coordinator!.get(`/api/v1/oral/treatments/${treatmentId}`)).json().packetList;
    expect(packets.every((p: { status: string }) => p.status === 'sent')).toBe(true);

    const mails = sink.messages.slice(received);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([
      'officine.leroy@pharmacien.mssante.fr',
      'paul.martin@medecin.mssante.fr',
    ]);
    for (const mail of mails) {
      expect(mail.pdfAttachments).toBe(2);
      expect(mail.raw).not.toContain('ORALE');
      expect(mail.decoded).toContain('capécitabine');
    }
    const gpMail = mails.find((m) => m.to[0] === 'paul.martin@medecin.mssante.fr')!;
    const token = /accuse-reception#([A-Za-z0-9_-]+)/.exec(gpMail.decoded)![1]!;
    expect(gpMail.decoded).toContain('https://passerelle.test/accuse-reception#');

    const anonymous = new Agent(t.app);
    const ack = await anonymous.post('/api/v1/public/oral/acknowledgements', { token });
    expect(ack.statusCode, ack.body).toBe(200);
    const again = await anonymous.post('/api/v1/public/oral/acknowledgements', { token });
    expect(again.json().acknowledgedAt).toBe(ack.json().acknowledgedAt);
    const forged = await anonymous.post('/api/v1/public/oral/acknowledgements', { token: `${token.slice(0, -4)}AAAA` });
    expect(forged.statusCode).toBe(404);
    expect(forged.json().code).toBe('LINK_INVALID');
    packets = (await agents.coordinator!.get(`/api/v1/oral/treatments/${treatmentId}`)).json().packetList;
    expect(packets.find((p: { recipient: { id: string } }) => p.recipient.id === gpId)).toMatchObject({
      status: 'acknowledged',
      acknowledgedVia: 'link',
    });
  });

  it('a mail server that is down: the packet stays queued and retried, then failed, never lost; resend queues it again', async () => {
    const res = await agents.coordinator!.post(`/api/v1/oral/treatments/${treatmentId}/packets`, {
      recipientIds: [downId],
    });
    const packetId = res.json().items[0].id;
    // Nothing listens on port 1 here: connection refused.
    // Retries one second apart here (the real backoff doubles from 10 s up to an hour).
    const downWorker = makeWorker('smtp://127.0.0.1:1', { baseMs: 1000, maxMs: 1000 });
    for (let attempt = 1; attempt <= PACKET_MAX_ATTEMPTS; attempt++) {
      expect(await downWorker.drain(), `attempt ${attempt}`).toBe(1);
      t.clock.advance(1001);
    }
    const row = await t.database.db
      .selectFrom('oral_packets')
      .selectAll()
      .where('id', '=', packetId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: PACKET_MAX_ATTEMPTS });
    expect(row.last_error).toContain('ECONNREFUSED');

    const resend = await agents.coordinator!.post(`/api/v1/oral/packets/${packetId}/resend`, {});
    expect(resend.statusCode, resend.body).toBe(202);
    expect(resend.json()).toMatchObject({ status: 'queued', sendCount: 2 });
    expect(await worker.drain()).toBe(1);
    const manual = await agents.coordinator!.post(`/api/v1/oral/packets/${packetId}/acknowledge`, {});
    expect(manual.json()).toMatchObject({ status: 'acknowledged', acknowledgedVia: 'manual' });
    expect((await agents.coordinator!.post(`/api/v1/oral/packets/${packetId}/resend`, {})).statusCode).toBe(409);
    expect((await agents.outsider!.post(`/api/v1/oral/packets/${packetId}/resend`, {})).statusCode).toBe(404);
  });

  it('without a mail server configured, the packet waits in the queue with the reason shown', async () => {
    const res = await agents.coordinator!.post(`/api/v1/oral/treatments/${treatmentId}/packets`, {
      recipientIds: [pharmacistId],
    });
    const packetId = res.json().items[0].id;
    expect(await makeWorker(null).drain()).toBe(1);
    const packet = (await agents.coordinator!.get(`/api/v1/oral/treatments/${treatmentId}`))
      .json()
      .packetList.find((p: { id: string }) => p.id === packetId);
    expect(packet).toMatchObject({ status: 'queued', lastError: expect.stringContaining('No mail server configured') });
    expect(await worker.drain(1)).toBe(0);
    t.clock.advance(11_000);
    expect(await worker.drain()).toBe(1);
  });

  it('community professionals see only the packets sent to them, and nothing of the hospital board', async () => {
    const mine = (await agents.gpAccount!.get('/api/v1/oral/received')).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      patient: { id: patientId },
      drugName: 'capécitabine',
      doseMg: 1150,
      interactions: [expect.objectContaining({ entryId: 'capecitabine-vka' })],
    });
    expect((await agents.otherCommunity!.get('/api/v1/oral/received')).json().items).toEqual([]);
    expect((await agents.gpAccount!.get(`/api/v1/oral/treatments/${treatmentId}`)).statusCode).toBe(403);
    expect((await agents.gpAccount!.get('/api/v1/oral/treatments')).statusCode).toBe(403);
    expect((await agents.prescriber!.get('/api/v1/oral/received')).statusCode).toBe(403);
  });
});

describe('follow-up at home', () => {
  it('lists due and overdue calls; a call graded CTCAE 3 raises an alert; bad grades are refused', async () => {
    t.clock.advance(9 * 86_400_000);
    const worklist = (await agents.coordinator!.get('/api/v1/oral/worklist?horizonDays=0')).json().items;
    const j8 = worklist.find(
      (c: { treatmentId: string; label: string }) => c.treatmentId === treatmentId && c.label === 'C1 J8',
    );
    expect(j8).toMatchObject({ overdue: true, status: 'planned', drugName: 'capécitabine' });
    expect((await agents.nurse!.get('/api/v1/oral/worklist')).statusCode).toBe(403);

    const bad = await agents.coordinator!.post(`/api/v1/oral/calls/${j8.id}`, {
      reached: true,
      symptoms: [{ term: 'palmar_plantar_erythrodysesthesia', grade: 4 }],
      adherence: 'full',
      action: 'advice',
    });
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'body.symptoms.0.grade' }] });
    const res = await agents.coordinator!.post(`/api/v1/oral/calls/${j8.id}`, {
      reached: true,
      symptoms: [
        { term: 'palmar_plantar_erythrodysesthesia', grade: 1 },
        { term: 'diarrhea', grade: 3 },
      ],
      adherence: 'full',
      action: 'physician_referral',
      notes: 'Diarrhée depuis 2 jours',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', alertsRaised: 1, doneByName: expect.any(String) });
    expect(
      (await agents.coordinator!.post(`/api/v1/oral/calls/${j8.id}`, { reached: false, symptoms: [], action: 'none' }))
        .statusCode,
    ).toBe(409);
  });

  it('the patient-reported form: single use, expiring, answers validated before the link is spent, same alerts', async () => {
    const link = await agents.coordinator!.post(`/api/v1/oral/treatments/${treatmentId}/patient-links`, {});
    expect(link.statusCode, link.body).toBe(201);
    const { token, url } = link.json();
    expect(url).toBe(`https://passerelle.test/suivi#${token}`);
    const stored = await t.database.db
      .selectFrom('oral_patient_links')
      .select('token_hash')
      .where('treatment_id', '=', treatmentId)
      .execute();
    expect(stored.some((s) => s.token_hash === token)).toBe(false);

    const patient = new Agent(t.app);
    const form = await patient.get(`/api/v1/public/oral/forms/${token}`);
    expect(form.statusCode, form.body).toBe(200);
    expect(form.json().drugName).toBe('capécitabine');
    expect(form.body).not.toContain('ORALE');
    expect(form.json().terms.find((x: { code: string }) => x.code === 'diarrhea').options).toHaveLength(4);

    const wrong = await patient.post(`/api/v1/public/oral/forms/${token}`, {
      symptoms: [{ term: 'diarrhea', grade: 9 }],
      adherence: 'full',
    });
    expect(wrong.statusCode).toBe(400);
    const reports = await count('oral_patient_reports');
    const ok = await patient.post(`/api/v1/public/oral/forms/${token}`, {
      symptoms: [{ term: 'diarrhea', grade: 3 }],
      adherence: 'partial',
      comment: 'Beaucoup de selles',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toEqual({ received: true, alertsRaised: 1 });
    const twice = await patient.post(`/api/v1/public/oral/forms/${token}`, { symptoms: [], adherence: 'full' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('LINK_ALREADY_USED');
    expect((await patient.get(`/api/v1/public/oral/forms/${token}`)).json().code).toBe('LINK_ALREADY_USED');
    expect(await count('oral_patient_reports')).toBe(reports + 1);

    const second = (await agents.coordinator!.post(`/api/v1/oral/treatments/${treatmentId}/patient-links`, {})).json();
    t.clock.advance(72 * 3_600_000 + 1000);
    const expired = await patient.get(`/api/v1/public/oral/forms/${second.token}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('LINK_EXPIRED');
    expect(
      (await patient.post(`/api/v1/public/oral/forms/${second.token}`, { symptoms: [], adherence: 'full' })).json()
        .code,
    ).toBe('LINK_EXPIRED');
    const unknown = await patient.get(`/api/v1/public/oral/forms/${'x'.repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('LINK_INVALID');
  });

  it('alerts reach the physician’s list and are handled once, with who and when', async () => {
    const open = (await agents.prescriber!.get('/api/v1/oral/alerts'))
      .json()
      .items.filter((a: { treatmentId: string }) => a.treatmentId === treatmentId);
    expect(
      open
        .map((a: { source: string; term: string; grade: number; rule: string }) => [a.source, a.term, a.grade, a.rule])
        .sort(),
    ).toEqual([
      ['call', 'diarrhea', 3, 'grade>=3'],
      ['patient_report', 'diarrhea', 3, 'grade>=3'],
    ]);
    expect((await agents.pharmacist!.post(`/api/v1/oral/alerts/${open[0].id}/handle`, { note: 'Vu' })).statusCode).toBe(
      403,
    );
    expect(
      (await agents.outsider!.post(`/api/v1/oral/alerts/${open[0].id}/handle`, { note: 'Vu par erreur' })).statusCode,
    ).toBe(404);
    const handled = await agents.coordinator!.post(`/api/v1/oral/alerts/${open[0].id}/handle`, {
      note: 'Appel du patient, lopéramide, suspension 48 h validée par l’oncologue',
    });
    expect(handled.statusCode, handled.body).toBe(200);
    expect(handled.json()).toMatchObject({
      status: 'handled',
      handledByName: expect.any(String),
      handledAt: expect.any(String),
    });
    expect(
      (await agents.coordinator!.post(`/api/v1/oral/alerts/${open[0].id}/handle`, { note: 'Encore' })).statusCode,
    ).toBe(409);
  });

  it('configurable rules: fever at grade 1 alerts once the cooperation says so', async () => {
    expect((await agents.prescriber!.request('PUT', '/api/v1/oral/settings', {})).statusCode).toBe(403);
    const settings = {
      followedCycles: 3,
      patientLinkHours: 48,
      alertRules: { defaultMinGrade: 3, termMinGrade: { fever: 1 }, alertOnStoppedTreatment: true },
      callSchedules: { capecitabine: { firstCycleDays: [5, 12], eachCycleDay: 1 } },
    };
    const badTerm = await agents.coordinator!.request('PUT', '/api/v1/oral/settings', {
      ...settings,
      alertRules: { ...settings.alertRules, termMinGrade: { sneezing: 1 } },
    });
    expect(badTerm.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const saved = await agents.coordinator!.request('PUT', '/api/v1/oral/settings', settings);
    expect(saved.statusCode, saved.body).toBe(200);
    const link = (await agents.coordinator!.post(`/api/v1/oral/treatments/${treatmentId}/patient-links`, {})).json();
    expect(Date.parse(link.expiresAt) - t.clock.now().getTime()).toBe(48 * 3_600_000);
    const res = await new Agent(t.app).post(`/api/v1/public/oral/forms/${link.token}`, {
      symptoms: [{ term: 'fever', grade: 1 }],
      adherence: 'full',
    });
    expect(res.json()).toEqual({ received: true, alertsRaised: 1 });
  });

  it('indicators: consultations, first call, acknowledgements, alert handling', async () => {
    const res = await agents.prescriber!.get('/api/v1/oral/indicators');
    expect(res.statusCode, res.body).toBe(200);
    const treatment = (await agents.prescriber!.get(`/api/v1/oral/treatments/${treatmentId}`)).json();
    const firstCallDate = treatment.calls.find((c: { label: string }) => c.label === 'C1 J8').doneAt;
    expect(res.json()).toMatchObject({
      treatments: 1,
      withAllThreeConsultations: 1,
      shareWithAllThreeConsultations: 100,
      medianDaysToFirstCall:
        (Date.parse(parisDate(new Date(firstCallDate))) - Date.parse(treatment.startDate)) / 86_400_000,
      packetsAcknowledged: 2,
      alerts: 3,
      alertsHandled: 1,
    });
  });

  it('every write was audited in the cooperation’s chain', async () => {
    const actions = await t.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('cooperation_id', '=', coop.cooperationId)
      .where('action', 'like', 'oral.%')
      .execute();
    const set = new Set(actions.map((a) => a.action));
    for (const a of [
      'oral.treatment_created',
      'oral.consultation_medical',
      'oral.consultation_pharmaceutical',
      'oral.consultation_nursing',
      'oral.plan_changed',
      'oral.packets_queued',
      'oral.packet_sent',
      'oral.packet_acknowledged',
      'oral.packet_resend',
      'oral.call_recorded',
      'oral.patient_report_submitted',
      'oral.alert_handled',
      'oral.document_downloaded',
    ]) {
      expect(set.has(a), a).toBe(true);
    }
  });
});

describe('holding, resuming and stopping a treatment', () => {
  it('is a medical decision with its reason; a stop is final and cancels the calls still planned', async () => {
    const otherPatient = await coop.patient({ birthName: 'SUSPENDUE', firstNames: 'Louise', careAt: ['a'] });
    const created = await agents.prescriber!.post('/api/v1/oral/treatments', {
      ...capecitabine(),
      patientId: otherPatient,
      startDate: today(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const status = (agent: Agent, body: unknown) => agent.post(`/api/v1/oral/treatments/${id}/status`, body);
    const hold = { status: 'held', reason: 'Diarrhée grade 3 : suspension jusqu’à grade 1' };

    expect((await status(agents.nurse!, hold)).statusCode).toBe(403);
    expect((await status(agents.outsider!, hold)).statusCode).toBe(404);
    const noReason = await status(agents.prescriber!, { status: 'held', reason: ' ' });
    expect(noReason.json()).toMatchObject({ code: 'VALIDATION_FAILED' });

    const held = await status(agents.prescriber!, hold);
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json()).toMatchObject({
      status: 'held',
      statusChange: { reason: hold.reason, byName: expect.any(String) },
    });
    // Holding keeps the follow-up calls: the nurse follows the toxicity.
    expect(held.json().calls.some((c: { status: string }) => c.status === 'planned')).toBe(true);
    const due = (await agents.coordinator!.get('/api/v1/oral/worklist?horizonDays=60')).json().items;
    expect(due.some((c: { treatmentId: string }) => c.treatmentId === id)).toBe(true);
    expect((await status(agents.prescriber!, hold)).json()).toMatchObject({ code: 'CONFLICT' });

    const resumed = await status(agents.prescriber!, { status: 'active', reason: 'Grade 1 : reprise à 75 %' });
    expect(resumed.json()).toMatchObject({ status: 'active', statusChange: { reason: 'Grade 1 : reprise à 75 %' } });

    const stopped = await status(agents.prescriber!, { status: 'stopped', reason: 'Progression au scanner' });
    expect(stopped.statusCode, stopped.body).toBe(200);
    expect(stopped.json().status).toBe('stopped');
    expect(stopped.json().calls.some((c: { status: string }) => c.status === 'planned')).toBe(false);
    const worklist = (await agents.coordinator!.get('/api/v1/oral/worklist?horizonDays=60')).json().items;
    expect(worklist.some((c: { treatmentId: string }) => c.treatmentId === id)).toBe(false);
    const again = await status(agents.prescriber!, { status: 'active', reason: 'Erreur' });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('prescribe a new one');

    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('resource_id', '=', id)
      .where('action', '=', 'oral.status_changed')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.details)).toEqual([
      { from: 'active', to: 'held' },
      { from: 'held', to: 'active' },
      { from: 'active', to: 'stopped' },
    ]);
  });
});
