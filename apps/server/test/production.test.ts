import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/core/access.ts';
import { ManualClock, parisDate } from '../src/core/clock.ts';
import { productionJobs } from '../src/modules/pharmacy/index.ts';
import { testApp, type TestApp } from './harness.ts';
import { createCooperation, type TestCooperation } from './factories.ts';
import { setupPharmacy, type TestPharmacy } from './pharmacy-factories.ts';
import { expectCode, reauthenticate as reauth, signIn as signInAs, type Actor } from './support/actors.ts';

/**
 * Production planning through the real HTTP stack and database: the day's plan per isolator, the
 * technicians' shifts, the chair times, pins with their cost, the anticipation proposal and its nightly job.
 */

let t: TestApp;
let coop: TestCooperation;
let pharmacy: TestPharmacy;
let today: string;
let tomorrow: string;
const isolators = { general: randomUUID(), mab: randomUUID() };

beforeAll(async () => {
  // 07:30 UTC: the morning in Paris, winter or summer, on today's date.
  const day = parisDate(new Date());
  t = await testApp({ clock: new ManualClock(new Date(`${day}T07:30:00Z`)) });
  coop = await createCooperation(t.database);
  pharmacy = await setupPharmacy(coop, t.database);
  today = parisDate(t.clock.now());
  tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  await t.database.db
    .insertInto('isolators')
    .values([
      {
        id: isolators.general,
        cooperation_id: coop.cooperationId,
        establishment_id: pharmacy.pharmacyEstablishmentId,
        code: `ISO-G-${isolators.general.slice(0, 4)}`,
        label: 'Isolateur 1',
        dedicated_family: null,
      },
      {
        id: isolators.mab,
        cooperation_id: coop.cooperationId,
        establishment_id: pharmacy.pharmacyEstablishmentId,
        code: `ISO-M-${isolators.mab.slice(0, 4)}`,
        label: 'Isolateur anticorps',
        dedicated_family: 'monoclonal_antibody',
      },
    ])
    .execute();
});
afterAll(() => t.app.close());

const signIn = (roles: Role[] | Role, establishment: 'a' | 'b' = 'a') => signInAs(t, coop, roles, establishment);
const reauthenticate = (actor: Actor) => reauth(t, actor);

type Team = Record<'prescriber' | 'nurse' | 'pharmacist' | 'technician' | 'pharmacistB' | 'manager', Actor>;
let teamPromise: Promise<Team> | undefined;
const team = () =>
  (teamPromise ??= (async () => ({
    prescriber: await signIn('prescriber'),
    nurse: await signIn('nurse'),
    pharmacist: await signIn('pharmacist'),
    technician: await signIn('pharmacy_technician'),
    pharmacistB: await signIn('pharmacist', 'b'),
    manager: await signIn('cooperation_manager'),
  }))());

/** A validated mFOLFOX6 (oxaliplatin, folinate, 5-FU bolus and 46-hour pump) for a new patient on `day1`. */
async function validatedFolfox(day1: string): Promise<{ id: string; patientId: string }> {
  const { prescriber, pharmacist } = await team();
  const patientId = await coop.patient({
    birthName: `PLAN-${randomUUID().slice(0, 6)}`,
    birthDate: '1958-02-03',
    sex: 'M',
  });
  const created = await prescriber.agent.post('/api/v1/pharmacy/prescriptions', {
    patientId,
    regimenId: pharmacy.regimenIds.MFOLFOX6!,
    cycleNumber: 1,
    day1Date: day1,
    heightCm: 175,
    weightKg: 72,
    creatinine: { value: 80, unit: 'umol/L', date: today },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  await reauthenticate(prescriber);
  const signed = await prescriber.agent.post(`/api/v1/pharmacy/prescriptions/${id}/sign`, {});
  expect(signed.statusCode, signed.body).toBe(200);
  await reauthenticate(pharmacist);
  const validated = await pharmacist.agent.post(`/api/v1/pharmacy/prescriptions/${id}/validate`, {});
  expect(validated.statusCode, validated.body).toBe(200);
  return { id, patientId };
}

async function greenLight(rxId: string) {
  const { nurse } = await team();
  const res = await nurse.agent.post(`/api/v1/pharmacy/prescriptions/${rxId}/fit-to-treat`, {
    administrationDate: today,
    decision: 'go',
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function appointment(rxId: string, day: string, time: string) {
  const { nurse } = await team();
  const res = await nurse.agent.request('PUT', '/api/v1/pharmacy/production/appointments', {
    prescriptionId: rxId,
    administrationDate: day,
    time,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

interface PlanItem {
  preparationId: string;
  molecule: string;
  startMin: number;
  readyMin: number;
  dueMin: number;
  dueAt: string;
  latenessMin: number;
  waitReason: string | null;
  pinned: boolean;
  greenLight: boolean;
  position: number | null;
  technicianId: string | null;
  patient: { id: string; name: string };
}
interface PlanBody {
  day: string;
  nowMin: number;
  method: string;
  isolators: { isolator: { id: string }; items: PlanItem[] }[];
  unassigned: unknown[];
  assumptions: { kind: string }[];
  objective: { total: number };
}

async function plan(actor: Actor, day = today): Promise<PlanBody> {
  const res = await actor.agent.get(`/api/v1/pharmacy/production/plan?day=${day}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const items = (p: PlanBody) => p.isolators.flatMap((i) => i.items);

describe('the day’s plan', () => {
  let rxs: { id: string; patientId: string }[] = [];

  beforeAll(async () => {
    rxs = [];
    for (const time of ['09:00', '09:30', '10:00', '11:00']) {
      const rx = await validatedFolfox(today);
      await greenLight(rx.id);
      const set = await appointment(rx.id, today, time);
      expect(set.preparations).toBe(4);
      rxs.push(rx);
    }
  });

  it('places every preparation of the day once, on an isolator that takes it, with its due time and reason', async () => {
    const { technician } = await team();
    const body = await plan(technician);
    const all = items(body);
    expect(all).toHaveLength(16);
    expect(new Set(all.map((i) => i.preparationId)).size).toBe(16);
    // No antibody in FOLFOX: the dedicated isolator stays empty.
    expect(body.isolators.find((i) => i.isolator.id === isolators.mab)!.items).toEqual([]);
    for (const item of all) {
      expect(item.readyMin).toBeGreaterThanOrEqual(item.startMin);
      expect(Date.parse(item.dueAt)).not.toBeNaN();
    }
    // 09:00 chair time, 20 minutes of transport: due 08:40.
    const first = all.filter((i) => i.patient.id === rxs[0]!.patientId);
    expect(first.map((i) => i.dueMin)).toEqual([520, 520, 520, 520]);
    expect(body.assumptions.map((a) => a.kind)).toContain('no_shifts');
    expect(body.unassigned).toEqual([]);
  });

  it('re-plans from the last plan, and plans against the recorded shifts', async () => {
    const { pharmacist, technician } = await team();
    const shifts = await pharmacist.agent.request('PUT', '/api/v1/pharmacy/production/shifts', {
      day: today,
      shifts: [{ userId: technician.id, startMin: 480, endMin: 960 }],
    });
    expect(shifts.statusCode, shifts.body).toBe(200);
    expect(shifts.json().shifts).toMatchObject([{ userId: technician.id, startMin: 480, endMin: 960 }]);
    const body = await plan(pharmacist);
    expect(body.method).toBe('replan');
    expect(body.assumptions.map((a) => a.kind)).not.toContain('no_shifts');
    // One technician: every preparation is made by them, one after the other.
    const all = items(body).sort((a, b) => a.startMin - b.startMin);
    expect(new Set(all.map((i) => i.technicianId))).toEqual(new Set([technician.id]));
    for (let k = 1; k < all.length; k++) expect(all[k]!.startMin).toBeGreaterThanOrEqual(all[k - 1]!.startMin);
  });

  it('refuses inconsistent shifts with the field at fault, and keeps the recorded ones', async () => {
    const { pharmacist, technician, nurse } = await team();
    const overlap = await pharmacist.agent.request('PUT', '/api/v1/pharmacy/production/shifts', {
      day: today,
      shifts: [
        { userId: technician.id, startMin: 480, endMin: 720 },
        { userId: technician.id, startMin: 700, endMin: 900 },
        { userId: nurse.id, startMin: 480, endMin: 900 },
      ],
    });
    const problem = expectCode(overlap, 400, 'VALIDATION_FAILED');
    expect(problem.errors ?? problem.fields ?? problem).toBeTruthy();
    expect(JSON.stringify(problem)).toContain('body.shifts.1.startMin');
    expect(JSON.stringify(problem)).toContain('body.shifts.2.userId');
    const kept = await pharmacist.agent.get(`/api/v1/pharmacy/production/shifts?day=${today}`);
    expect(kept.json().shifts).toHaveLength(1);
  });

  it('says what a pin costs before saving it, honours it, and releases it', async () => {
    const { pharmacist } = await team();
    const before = await plan(pharmacist);
    const last = items(before).sort((a, b) => b.startMin - a.startMin)[0]!;
    const body = {
      preparationId: last.preparationId,
      isolatorId: isolators.general,
      position: 0,
      reason: 'Patient en fauteuil',
    };
    const preview = await pharmacist.agent.post('/api/v1/pharmacy/production/pins', { ...body, dryRun: true });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().saved).toBe(false);
    expect(preview.json().costDelta).toBeGreaterThanOrEqual(0);
    expect(items(await plan(pharmacist)).find((i) => i.preparationId === last.preparationId)!.pinned).toBe(false);

    const saved = await pharmacist.agent.post('/api/v1/pharmacy/production/pins', body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ saved: true });
    const after = await plan(pharmacist);
    const general = after.isolators.find((i) => i.isolator.id === isolators.general)!.items;
    expect(general.find((i) => i.position === 0)).toMatchObject({ preparationId: last.preparationId, pinned: true });

    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('resource_id', '=', last.preparationId)
      .where('action', '=', 'production.pin')
      .execute();
    expect(audit).toHaveLength(1);

    const released = await pharmacist.agent.delete(`/api/v1/pharmacy/production/pins/${last.preparationId}`);
    expect(released.statusCode).toBe(204);
    expectCode(
      await pharmacist.agent.delete(`/api/v1/pharmacy/production/pins/${last.preparationId}`),
      404,
      'NOT_FOUND',
    );
  });

  it('refuses a pin on an isolator that does not take the drug, or of an unknown preparation', async () => {
    const { pharmacist } = await team();
    const any = items(await plan(pharmacist))[0]!;
    expectCode(
      await pharmacist.agent.post('/api/v1/pharmacy/production/pins', {
        preparationId: any.preparationId,
        isolatorId: isolators.mab,
        reason: 'Essai',
      }),
      409,
      'PLANNER_PIN_WRONG_ISOLATOR',
    );
    expectCode(
      await pharmacist.agent.post('/api/v1/pharmacy/production/pins', {
        preparationId: randomUUID(),
        isolatorId: isolators.general,
        reason: 'Essai',
      }),
      404,
      'NOT_FOUND',
    );
    expectCode(
      await pharmacist.agent.post('/api/v1/pharmacy/production/pins', {
        preparationId: any.preparationId,
        isolatorId: isolators.general,
        reason: 'x',
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('lets only the pharmacy’s staff see the plan, and only pharmacists change it', async () => {
    const { technician, nurse, pharmacistB, manager } = await team();
    expectCode(await nurse.agent.get('/api/v1/pharmacy/production/plan'), 403, 'FORBIDDEN');
    // A pharmacist of a client establishment: the shared pharmacy's plan does not exist for them.
    expectCode(await pharmacistB.agent.get('/api/v1/pharmacy/production/plan'), 404, 'NOT_FOUND');
    expect((await manager.agent.get('/api/v1/pharmacy/production/plan')).statusCode).toBe(200);
    const any = items(await plan(technician))[0]!;
    expectCode(
      await technician.agent.post('/api/v1/pharmacy/production/pins', {
        preparationId: any.preparationId,
        isolatorId: isolators.general,
        reason: 'Je préfère',
      }),
      403,
      'FORBIDDEN',
    );
    expectCode(
      await technician.agent.request('PUT', '/api/v1/pharmacy/production/shifts', { day: today, shifts: [] }),
      403,
      'FORBIDDEN',
    );
  });

  it('lets the day hospital set a chair time only for its own prescriptions', async () => {
    const nurseB = await signIn('nurse', 'b');
    expectCode(
      await nurseB.agent.request('PUT', '/api/v1/pharmacy/production/appointments', {
        prescriptionId: rxs[0]!.id,
        administrationDate: today,
        time: '12:00',
      }),
      404,
      'NOT_FOUND',
    );
    const { nurse } = await team();
    expectCode(
      await nurse.agent.request('PUT', '/api/v1/pharmacy/production/appointments', {
        prescriptionId: rxs[0]!.id,
        administrationDate: today,
        time: '25:00',
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('changes the settings the planner uses, and refuses a day that ends before it starts', async () => {
    const { pharmacist, technician } = await team();
    const current = (await pharmacist.agent.get('/api/v1/pharmacy/production/settings')).json();
    expectCode(
      await pharmacist.agent.request('PUT', '/api/v1/pharmacy/production/settings', {
        ...current,
        dayStartMin: 900,
        dayEndMin: 600,
      }),
      400,
      'VALIDATION_FAILED',
    );
    const res = await pharmacist.agent.request('PUT', '/api/v1/pharmacy/production/settings', {
      ...current,
      transportMin: 30,
    });
    expect(res.statusCode, res.body).toBe(200);
    const first = items(await plan(technician)).filter((i) => i.patient.id === rxs[0]!.patientId);
    expect(first.map((i) => i.dueMin)).toEqual([510, 510, 510, 510]);
  });
});

describe('the anticipation proposal', () => {
  it('proposes tomorrow’s anticipable preparations with their expected waste, on demand and every night', async () => {
    const { pharmacist } = await team();
    for (const time of ['08:30', '08:45', '09:00']) {
      const rx = await validatedFolfox(tomorrow);
      await appointment(rx.id, tomorrow, time);
    }
    expectCode(
      await pharmacist.agent.get(`/api/v1/pharmacy/production/anticipation?day=${tomorrow}`),
      404,
      'NOT_FOUND',
    );
    const res = await pharmacist.agent.post(`/api/v1/pharmacy/production/anticipation?day=${tomorrow}`, {});
    expect(res.statusCode, res.body).toBe(201);
    const proposal = res.json();
    // 5-FU (bolus and pump) may be anticipated in the demo referential: two candidates per patient.
    expect(proposal.candidates).toBe(6);
    // Three patients at the opening: making their 5-FU the day before saves them waiting.
    expect(proposal.items.length).toBeGreaterThan(0);
    for (const item of proposal.items) {
      expect(item.molecule).toMatch(/fluorouracile/i);
      expect(item.expectedWasteEur).toBeCloseTo(item.cancellationProbability * item.costEur, 1);
    }
    const sum = proposal.items.reduce((s: number, i: { expectedWasteEur: number }) => s + i.expectedWasteEur, 0);
    expect(proposal.expectedWasteEur).toBeCloseTo(sum, 1);
    expect(proposal.weightedTardinessWith).toBeLessThanOrEqual(proposal.weightedTardinessWithout);
    const read = await pharmacist.agent.get(`/api/v1/pharmacy/production/anticipation?day=${tomorrow}`);
    expect(read.json().createdAt).toBe(proposal.createdAt);

    const [job] = productionJobs({ db: t.database.db, ids: { uuid: randomUUID }, clock: t.clock });
    expect(job!.schedule).toMatchObject({ cron: '0 16 * * *' });
    const result = await job!.handler({
      id: randomUUID(),
      queue: job!.queue,
      payload: {},
      cooperationId: null,
      attempt: 1,
      maxAttempts: 3,
    });
    expect(result).toMatchObject({ proposals: expect.any(Number) });
    const stored = await t.database.db
      .selectFrom('anticipation_proposals')
      .select('id')
      .where('cooperation_id', '=', coop.cooperationId)
      .where('for_day', '=', tomorrow)
      .execute();
    expect(stored.length).toBe(2);
  });
});

// Last: the clock moves on by an hour, past the idle limit of the sessions opened above.
describe('a morning of green lights', () => {
  it('plans the day before the green lights, then follows each one as it arrives through the API', async () => {
    const { pharmacist, nurse } = await team();
    const day = today;
    const rxs: { id: string; patientId: string }[] = [];
    for (const time of ['11:30', '11:45', '12:00']) {
      const rx = await validatedFolfox(day);
      await appointment(rx.id, day, time);
      rxs.push(rx);
    }
    const ours = (p: PlanBody, patientId: string) => items(p).filter((i) => i.patient.id === patientId);
    const before = await plan(pharmacist);
    // No green light yet: oxaliplatin and folinate wait for it, the 5-FU may be anticipated.
    for (const rx of rxs) {
      const waiting = ours(before, rx.patientId).filter((i) => !/fluorouracile/i.test(i.molecule));
      expect(waiting.length).toBe(2);
      for (const i of waiting) expect(i).toMatchObject({ greenLight: false });
    }

    // The morning goes by: each patient is seen and given the green light, one every 20 minutes.
    for (const rx of rxs) {
      t.clock.advance(20 * 60_000);
      const go = await nurse.agent.post(`/api/v1/pharmacy/prescriptions/${rx.id}/fit-to-treat`, {
        administrationDate: day,
        decision: 'go',
      });
      expect(go.statusCode, go.body).toBe(200);
      const after = await plan(pharmacist);
      expect(after.method).toBe('replan');
      const mine = ours(after, rx.patientId);
      expect(mine).toHaveLength(4);
      for (const i of mine) {
        expect(i.greenLight).toBe(true);
        // Nothing starts in the past: the plan moved with the clock.
        expect(i.startMin).toBeGreaterThanOrEqual(after.nowMin - 1);
      }
    }
  });
});
