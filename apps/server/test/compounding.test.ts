import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gs1CheckDigit, labelPayload } from '../src/modules/pharmacy/compounding/core/index.ts';
import { testApp, type TestApp } from './harness.ts';
import { compoundingWorld, expectCode, vialBarcode, type Actor, type CompoundingWorld } from './compounding-support.ts';

let t: TestApp;
let w: CompoundingWorld;
let technician: Actor;
let colleague: Actor;
let pharmacist: Actor;
let nurseB: Actor;
let nurseA: Actor;
let technicianB: Actor;

beforeAll(async () => {
  t = await testApp();
  w = await compoundingWorld(t);
  technician = await w.signIn('pharmacy_technician', 'a');
  colleague = await w.signIn('pharmacy_technician', 'a');
  pharmacist = await w.signIn('pharmacist', 'a');
  nurseB = await w.signIn('nurse', 'b');
  nurseA = await w.signIn('nurse', 'a');
  technicianB = await w.signIn('pharmacy_technician', 'b');
});
afterAll(() => t.app.close());

const P = (id: string) => `/api/v1/pharmacy/compounding/preparations/${id}`;

interface Draw {
  presentationId: string;
  vialCount: number;
  volumeMl: number;
  lot: string | null;
  source: string;
}

async function started(id: string) {
  const res = await technician.agent.post(`${P(id)}/start`, { isolatorId: w.isolatorId });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().status).toBe('in_compounding');
  return res.json();
}

/** Scans every vial the plan needs, weighs every draw and the finished product with the simulated balance. */
async function compound(id: string, actor = technician) {
  const sheet = (await actor.agent.get(`${P(id)}/fabrication-sheet`)).json();
  const draws = sheet.plan.draws as Draw[];
  const lots = await t.database.db
    .selectFrom('drug_lots')
    .select(['presentation_id', 'lot', 'expiry', 'gtin'])
    .where('cooperation_id', '=', w.coop.cooperationId)
    .execute();
  for (const draw of draws) {
    const lot = lots.find((l) => l.presentation_id === draw.presentationId)!;
    for (let v = 0; v < draw.vialCount; v += 1) {
      const res = await actor.agent.post(`${P(id)}/scans`, { barcode: vialBarcode(lot.gtin, lot.expiry, lot.lot) });
      expect(res.statusCode, res.body).toBe(201);
    }
  }
  for (let i = 0; i < draws.length; i += 1) {
    const res = await actor.agent.post(`${P(id)}/weighings`, { step: 'draw', drawIndex: i, source: 'balance' });
    expect(res.statusCode, res.body).toBe(201);
  }
  const fin = await actor.agent.post(`${P(id)}/weighings`, { step: 'finished_product', source: 'balance' });
  expect(fin.statusCode, fin.body).toBe(201);
  const done = await actor.agent.post(`${P(id)}/complete`, {});
  expect(done.statusCode, done.body).toBe(200);
  return { sheet, draws };
}

async function auditActions(preparationId: string) {
  return t.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details'])
    .where('cooperation_id', '=', w.coop.cooperationId)
    .where('resource_id', '=', preparationId)
    .orderBy('occurred_at')
    .execute();
}

describe('a preparation from validation to the patient’s arm', () => {
  it('walks start → sheet → scans (bad ones blocked and recorded) → weighings (one redone) → label → check → release → dispatch → reception → administration, then recall finds the patient', async () => {
    const { patientId, preparations } = await w.readyPreparations({
      regimen: 'DOCE75',
      at: 'b',
      patientName: 'PARCOURS',
    });
    const prep = preparations[0]!;

    // The fabrication sheet is available before start (a preview), as JSON and printable PDF.
    const preview = await technician.agent.get(`${P(prep.id)}/fabrication-sheet`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ stored: false, preparationId: prep.id });
    const pdf = await technician.agent.get(`${P(prep.id)}/fabrication-sheet.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // A label before compounding is complete is refused, and the refusal recorded.
    expectCode(await technician.agent.post(`${P(prep.id)}/labels`, { format: 'pdf' }), 409, 'LABEL_BEFORE_COMPLETION');

    const detail = await started(prep.id);
    expect(detail.compounding).toMatchObject({ isolator: { id: w.isolatorId }, operatorId: technician.id });
    expect(detail.progress.complete).toBe(false);
    // Starting twice is an invalid transition.
    expectCode(
      await technician.agent.post(`${P(prep.id)}/start`, { isolatorId: w.isolatorId }),
      409,
      'PREPARATION_INVALID_TRANSITION',
    );

    const sheet = (await technician.agent.get(`${P(prep.id)}/fabrication-sheet`)).json();
    expect(sheet.stored).toBe(true);
    const draws = sheet.plan.draws as Draw[];
    expect(draws.length).toBeGreaterThan(0);
    const presentationId = draws[0]!.presentationId;
    const gtin = sheet.presentationGtins[presentationId] as string;
    expect(gtin).toMatch(/^03400/);
    const lot = await t.database.db
      .selectFrom('drug_lots')
      .select(['lot', 'expiry'])
      .where('presentation_id', '=', presentationId)
      .executeTakeFirstOrThrow();

    // Bad scans: each blocked with its own code, each attempt kept.
    const bad: [string, number, string][] = [
      [vialBarcode(gtin, lot.expiry, lot.lot).slice(0, 12), 400, 'GS1_TRUNCATED'],
      [
        `]d201${gtin.slice(0, 13)}${(Number(gtin[13]) + 1) % 10}17${lot.expiry.slice(2).replaceAll('-', '')}10${lot.lot}`,
        400,
        'GS1_BAD_CHECK_DIGIT',
      ],
      [vialBarcode(w.gtin('oxaliplatin-100'), lot.expiry, 'OXA1'), 422, 'VIAL_WRONG_DRUG'],
      [vialBarcode(`0340099988877${gs1CheckDigit('0340099988877')}`, lot.expiry, 'ZZZ1'), 422, 'VIAL_UNKNOWN_GTIN'],
      [vialBarcode(gtin, '2020-01-31', 'OLD1'), 422, 'VIAL_LOT_EXPIRED'],
    ];
    for (const [barcode, status, code] of bad) {
      expectCode(await technician.agent.post(`${P(prep.id)}/scans`, { barcode }), status, code);
    }
    // Scans with the textual separators scanners and keyboard wedges produce are accepted.
    for (const draw of draws) {
      const g = sheet.presentationGtins[draw.presentationId] as string;
      const l = await t.database.db
        .selectFrom('drug_lots')
        .select(['lot', 'expiry'])
        .where('presentation_id', '=', draw.presentationId)
        .executeTakeFirstOrThrow();
      for (let v = 0; v < draw.vialCount; v += 1) {
        const barcode = `(01)${g}(17)${l.expiry.slice(2).replaceAll('-', '')}(10)${l.lot}(21)SN${v}${randomUUID().slice(0, 6)}`;
        const ok = await technician.agent.post(`${P(prep.id)}/scans`, { barcode });
        expect(ok.statusCode, ok.body).toBe(201);
        expect(ok.json()).toMatchObject({
          result: 'accepted',
          lot: l.lot,
          gtin: g,
          presentationId: draw.presentationId,
        });
      }
    }
    // One vial too many is refused.
    expectCode(
      await technician.agent.post(`${P(prep.id)}/scans`, { barcode: vialBarcode(gtin, lot.expiry, lot.lot) }),
      422,
      'VIAL_ALREADY_SCANNED',
    );

    // Completing before the weighings is refused.
    expectCode(await technician.agent.post(`${P(prep.id)}/complete`, {}), 409, 'COMPOUNDING_INCOMPLETE');

    // Weighings: one typed far off tolerance (recorded, refused), redone; the rest read from the balance.
    const far = await technician.agent.post(`${P(prep.id)}/weighings`, {
      step: 'draw',
      drawIndex: 0,
      source: 'manual',
      measuredG: draws[0]!.volumeMl * 1.3,
    });
    expectCode(far, 422, 'GRAVIMETRIC_OUT_OF_TOLERANCE');
    const offBalance = await technician.agent.post(`${P(prep.id)}/weighings`, {
      step: 'draw',
      drawIndex: 0,
      source: 'balance',
      simulateOffsetPercent: 12,
    });
    expectCode(offBalance, 422, 'GRAVIMETRIC_OUT_OF_TOLERANCE');
    for (let i = 0; i < draws.length; i += 1) {
      const ok = await technician.agent.post(`${P(prep.id)}/weighings`, {
        step: 'draw',
        drawIndex: i,
        source: 'balance',
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ result: 'accepted', source: 'balance' });
    }
    const missing = await technician.agent.post(`${P(prep.id)}/weighings`, {
      step: 'finished_product',
      source: 'manual',
    });
    expectCode(missing, 400, 'VALIDATION_FAILED');
    const finished = await technician.agent.post(`${P(prep.id)}/weighings`, {
      step: 'finished_product',
      source: 'balance',
    });
    expect(finished.statusCode, finished.body).toBe(201);
    expect(Math.abs(finished.json().deviationPercent)).toBeLessThanOrEqual(finished.json().limitPercent);

    const completed = await technician.agent.post(`${P(prep.id)}/complete`, {});
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().status).toBe('compounded');
    const record = completed.json();
    expect(record.weighings.filter((x: { result: string }) => x.result === 'rejected')).toHaveLength(2);
    expect(
      record.scans.filter((x: { result: string }) => x.result === 'blocked').map((x: { code: string }) => x.code),
    ).toEqual([
      'GS1_TRUNCATED',
      'GS1_BAD_CHECK_DIGIT',
      'VIAL_WRONG_DRUG',
      'VIAL_UNKNOWN_GTIN',
      'VIAL_LOT_EXPIRED',
      'VIAL_ALREADY_SCANNED',
    ]);

    // Labels: PDF and ZPL once complete; each print recorded.
    const labelPdf = await technician.agent.post(`${P(prep.id)}/labels`, { format: 'pdf' });
    expect(labelPdf.statusCode, labelPdf.body).toBe(200);
    expect(labelPdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const zpl = await technician.agent.post(`${P(prep.id)}/labels`, { format: 'zpl', copies: 2 });
    expect(zpl.statusCode).toBe(200);
    expect(zpl.body.match(/\^XA/g)).toHaveLength(2);
    expect(zpl.body).toContain('^BX');

    // Release: not by a technician (403), not before the second check (409, recorded).
    expectCode(await technician.agent.post(`${P(prep.id)}/release`, {}), 403, 'FORBIDDEN');
    expectCode(await pharmacist.agent.post(`${P(prep.id)}/release`, {}), 409, 'PREPARATION_NOT_CHECKED');
    // The operator cannot check their own work; a colleague can.
    expectCode(await technician.agent.post(`${P(prep.id)}/check`, {}), 409, 'SECOND_CHECK_SAME_PERSON');
    const checked = await colleague.agent.post(`${P(prep.id)}/check`, { comment: 'Contrôle visuel conforme' });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json().compounding.checkedBy).toBe(colleague.id);
    const released = await pharmacist.agent.post(`${P(prep.id)}/release`, {});
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json().status).toBe('released');

    // Dispatch: a delivery note for the destination unit; another destination is refused.
    expectCode(
      await technician.agent.post('/api/v1/pharmacy/compounding/dispatches', {
        destinationKind: 'unit',
        destinationUnitId: w.coop.units.aDayHospital,
        carrier: 'Navette',
        preparationIds: [prep.id],
      }),
      409,
      'DISPATCH_DESTINATION_MISMATCH',
    );
    const note = await technician.agent.post('/api/v1/pharmacy/compounding/dispatches', {
      destinationKind: 'unit',
      destinationUnitId: w.coop.units.bWard,
      carrier: 'Navette GCS',
      preparationIds: [prep.id],
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json()).toMatchObject({ number: expect.stringMatching(/^BL-\d{8}-\d{3}$/), carrier: 'Navette GCS' });
    expect(note.json().items.map((i: { preparationId: string }) => i.preparationId)).toEqual([prep.id]);
    const noteRead = await nurseB.agent.get(`/api/v1/pharmacy/compounding/delivery-notes/${note.json().id}`);
    expect(noteRead.statusCode, noteRead.body).toBe(200);

    // The destination's unit sees it coming, with its delivery note; another establishment does not.
    const incoming = async (agent: typeof nurseB.agent) => {
      const res = await agent.get('/api/v1/pharmacy/compounding/incoming');
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: { id: string; status: string; deliveryNote: { number: string } | null }[] }).items;
    };
    expect((await incoming(nurseB.agent)).find((i) => i.id === prep.id)).toMatchObject({
      status: 'dispatched',
      deliveryNote: { number: note.json().number },
    });
    expect((await incoming(nurseA.agent)).some((i) => i.id === prep.id)).toBe(false);
    expectCode(await technician.agent.get('/api/v1/pharmacy/compounding/incoming'), 403, 'FORBIDDEN');

    // Reception: scanned by the destination's unit; another establishment's nurse finds nothing.
    const payload = labelPayload(prep.id);
    expectCode(await nurseA.agent.post('/api/v1/pharmacy/compounding/receptions', { payload }), 404, 'NOT_FOUND');
    expectCode(
      await nurseB.agent.post('/api/v1/pharmacy/compounding/receptions', { payload: 'not a label' }),
      400,
      'LABEL_PAYLOAD_INVALID',
    );
    const received = await nurseB.agent.post('/api/v1/pharmacy/compounding/receptions', { payload });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json().status).toBe('received');
    expect((await incoming(nurseB.agent)).find((i) => i.id === prep.id)?.status).toBe('received');

    // Administration: refused in another unit, confirmed at the destination.
    const otherUnit = randomUUID();
    await t.database.db
      .insertInto('units')
      .values({
        id: otherUnit,
        cooperation_id: w.coop.cooperationId,
        establishment_id: w.coop.establishments.b,
        name: 'Autre',
        kind: 'ward',
      })
      .execute();
    expectCode(
      await nurseB.agent.post(`${P(prep.id)}/administer`, { payload, unitId: otherUnit }),
      409,
      'ADMINISTRATION_WRONG_UNIT',
    );
    const given = await nurseB.agent.post(`${P(prep.id)}/administer`, { payload, unitId: w.coop.units.bWard });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json().status).toBe('administered');
    expect((await incoming(nurseB.agent)).some((i) => i.id === prep.id)).toBe(false);
    expect(given.json().transitions.map((x: { to: string }) => x.to)).toEqual([
      'in_compounding',
      'compounded',
      'released',
      'dispatched',
      'received',
      'administered',
    ]);
    // After administration nothing moves it any more.
    expectCode(
      await technician.agent.post(`${P(prep.id)}/disposal`, { kind: 'destroyed', reason: 'Erreur de test' }),
      409,
      'PREPARATION_INVALID_TRANSITION',
    );

    // Refused attempts are in the audit chain.
    const events = await auditActions(prep.id);
    const denied = events
      .filter((e) => e.outcome === 'denied')
      .map((e) => [e.action, (e.details as { code?: string }).code]);
    expect(denied).toEqual(
      expect.arrayContaining([
        ['preparation.label', 'LABEL_BEFORE_COMPLETION'],
        ['preparation.compounding_start', 'PREPARATION_INVALID_TRANSITION'],
        ['preparation.compounding_complete', 'COMPOUNDING_INCOMPLETE'],
        ['preparation.release', 'PREPARATION_NOT_CHECKED'],
        ['preparation.second_check', 'SECOND_CHECK_SAME_PERSON'],
        ['preparation.administration', 'ADMINISTRATION_WRONG_UNIT'],
        ['preparation.destruction', 'PREPARATION_INVALID_TRANSITION'],
      ]),
    );

    // Recall of the lot finds the patient and destination; exportable as CSV.
    const recall = await pharmacist.agent.get(`/api/v1/pharmacy/traceability/lots?lot=${encodeURIComponent(lot.lot)}`);
    expect(recall.statusCode, recall.body).toBe(200);
    const item = recall.json().items.find((i: { preparationId: string }) => i.preparationId === prep.id);
    expect(item).toMatchObject({
      patient: { id: patientId, birthName: 'PARCOURS' },
      status: 'administered',
      destinationUnit: { id: w.coop.units.bWard },
      lot: lot.lot,
    });
    const csv = await pharmacist.agent.get(
      `/api/v1/pharmacy/traceability/lots?lot=${encodeURIComponent(lot.lot)}&gtin=${gtin}&format=csv`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')[0]).toMatch(/^preparation_id,lot,gtin,status,patient_birth_name/);
    expect(csv.body).toContain(prep.id);
    expect(csv.body).toContain('PARCOURS');

    // Patient history lists the preparation with its lots.
    const history = await pharmacist.agent.get(`/api/v1/pharmacy/traceability/patients/${patientId}`);
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().items[0]).toMatchObject({ preparationId: prep.id, status: 'administered' });
    expect(history.json().items[0].lots.map((l: { lot: string }) => l.lot)).toContain(lot.lot);
    const historyCsv = await pharmacist.agent.get(`/api/v1/pharmacy/traceability/patients/${patientId}?format=csv`);
    expect(historyCsv.headers['content-type']).toMatch(/^text\/csv/);
    expect(historyCsv.body).toContain(lot.lot);
    // Another cooperation's pharmacist: the patient does not exist for them.
    const stranger = await (await compoundingWorld(t)).signIn('pharmacist', 'a');
    expectCode(await stranger.agent.get(`/api/v1/pharmacy/traceability/patients/${patientId}`), 404, 'NOT_FOUND');

    // Activity: the month counts it for client b with its drug cost.
    const month = w.today.slice(0, 7);
    const activity = await pharmacist.agent.get(`/api/v1/pharmacy/activity?from=${month}&to=${month}`);
    expect(activity.statusCode, activity.body).toBe(200);
    const row = activity.json().rows.find((r: { client: { id: string } }) => r.client.id === w.coop.establishments.b);
    expect(row.preparations).toBeGreaterThanOrEqual(1);
    expect(row.drugCostEur).toBeGreaterThan(0);
    const activityCsv = await pharmacist.agent.get(`/api/v1/pharmacy/activity?from=${month}&to=${month}&format=csv`);
    expect(activityCsv.body.split('\r\n')[0]).toBe('month,pharmacy,client,preparations,drug_cost_eur');
  });
});

describe('scope and roles', () => {
  it('the producing pharmacy serves its client; the client sees its own preparation but cannot compound it; another cooperation finds nothing', async () => {
    const { preparations } = await w.readyPreparations({ regimen: 'DOCE75', at: 'b' });
    const id = preparations[0]!.id;
    // The client's technician (establishment b) does not produce: 404 like a missing one.
    const missing = await technicianB.agent.post(`${P(randomUUID())}/start`, { isolatorId: w.isolatorId });
    const hidden = await technicianB.agent.post(`${P(id)}/start`, { isolatorId: w.isolatorId });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe(missing.json().code);
    // The client's nurse reads it; the pharmacy's technician too.
    expect((await nurseB.agent.get(P(id))).statusCode).toBe(200);
    expect((await technician.agent.get(P(id))).statusCode).toBe(200);
    // An establishment that neither prescribed nor produces it: 404.
    const c = randomUUID();
    await t.database.db
      .insertInto('establishments')
      .values({
        id: c,
        cooperation_id: w.coop.cooperationId,
        name: 'Clinique Gamma',
        short_name: 'Gamma',
        finess: `75${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`,
        legal_status: 'private_clinic',
        cooperation_role: 'member',
      })
      .execute();
    const nurseC = await w.signIn('nurse', c as 'a');
    expectCode(await nurseC.agent.get(P(id)), 404, 'NOT_FOUND');
    // Another cooperation's pharmacist: 404.
    const other = await compoundingWorld(t);
    const outsider = await other.signIn('pharmacist', 'a');
    expectCode(await outsider.agent.get(P(id)), 404, 'NOT_FOUND');
    expectCode(await outsider.agent.post(`${P(id)}/start`, { isolatorId: w.isolatorId }), 404, 'NOT_FOUND');
    // The board of the client shows nothing of the pharmacy's production; the pharmacy's shows it.
    const board = (await technician.agent.get('/api/v1/pharmacy/compounding/board')).json();
    expect(board.items.map((i: { id: string }) => i.id)).toContain(id);
    expect(board.counts.ready_to_compound).toBeGreaterThanOrEqual(1);
    expect(board.byIsolator.every((i: { code: string }) => i.code === 'ISO-T1')).toBe(true);
    const filtered = (
      await technician.agent.get(`/api/v1/pharmacy/compounding/board?establishmentId=${w.coop.establishments.a}`)
    ).json();
    expect(filtered.items.map((i: { id: string }) => i.id)).not.toContain(id);
  });

  it('refuses a nurse the production steps and a technician the unit’s steps (403)', async () => {
    const { preparations } = await w.readyPreparations({ regimen: 'DOCE75', at: 'b' });
    const id = preparations[0]!.id;
    expectCode(await nurseB.agent.post(`${P(id)}/start`, { isolatorId: w.isolatorId }), 403, 'FORBIDDEN');
    expectCode(await nurseB.agent.post(`${P(id)}/release`, {}), 403, 'FORBIDDEN');
    expectCode(
      await technician.agent.post('/api/v1/pharmacy/compounding/receptions', { payload: labelPayload(id) }),
      403,
      'FORBIDDEN',
    );
    expectCode(await technician.agent.post(`${P(id)}/administer`, {}), 403, 'FORBIDDEN');
    expectCode(await technician.agent.get('/api/v1/pharmacy/traceability/lots?lot=X'), 403, 'FORBIDDEN');
    expectCode(await nurseB.agent.get('/api/v1/pharmacy/activity?from=2026-01&to=2026-02'), 403, 'FORBIDDEN');
  });

  it('a destroyed preparation records its reason and cost; a pharmacist may check what they compounded', async () => {
    const { preparations } = await w.readyPreparations({ regimen: 'DOCE75', at: 'a' });
    const id = preparations[0]!.id;
    const start = await pharmacist.agent.post(`${P(id)}/start`, { isolatorId: w.isolatorId });
    expect(start.statusCode, start.body).toBe(200);
    await compound(id, pharmacist);
    const check = await pharmacist.agent.post(`${P(id)}/check`, {});
    expect(check.statusCode, check.body).toBe(200);
    const destroyed = await pharmacist.agent.post(`${P(id)}/disposal`, {
      kind: 'destroyed',
      reason: 'Poche percée au contrôle',
    });
    expect(destroyed.statusCode, destroyed.body).toBe(200);
    expect(destroyed.json().status).toBe('destroyed');
    expect(destroyed.json().disposal).toMatchObject({ kind: 'destroyed', reason: 'Poche percée au contrôle' });
    expect(destroyed.json().disposal.costEur).toBeGreaterThan(0);
    expectCode(
      await pharmacist.agent.post(`${P(id)}/disposal`, { kind: 'returned', reason: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses an unknown isolator without changing anything', async () => {
    const { preparations } = await w.readyPreparations({ regimen: 'DOCE75', at: 'a' });
    const id = preparations[0]!.id;
    expectCode(await technician.agent.post(`${P(id)}/start`, { isolatorId: randomUUID() }), 400, 'VALIDATION_FAILED');
    const detail = (await technician.agent.get(P(id))).json();
    expect(detail.status).toBe('ready_to_compound');
    expect(detail.compounding).toBeNull();
  });
});
