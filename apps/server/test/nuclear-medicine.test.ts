import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/core/access.ts';
import { parisDate } from '../src/core/clock.ts';
import { HALF_LIFE_MIN } from '../src/modules/nuclear-medicine/decay.ts';
import { Agent, testApp, type TestApp } from './harness.ts';
import { createCooperation, TEST_PASSWORD, type TestCooperation } from './factories.ts';
import { setupNuclearMedicine, type TestNuclearMedicine } from './nm-factories.ts';

let t: TestApp;
let coop: TestCooperation;
let other: TestCooperation;
let nm: TestNuclearMedicine;
let today: string;

const DAY_MS = 86_400_000;
const addDays = (iso: string, n: number) =>
  new Date(Date.parse(`${iso}T12:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const weekday = (iso: string) => new Date(Date.parse(`${iso}T12:00:00Z`)).getUTCDay();
/** The first Monday at least `days` ahead: beyond the seeded sessions, free for the tests. */
const mondayAfter = (days: number) => {
  let d = addDays(today, days);
  while (weekday(d) !== 1) d = addDays(d, 1);
  return d;
};
const nextMonth = () => {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
};

beforeAll(async () => {
  t = await testApp();
  coop = await createCooperation(t.database);
  other = await createCooperation(t.database);
  nm = await setupNuclearMedicine(coop, t.database);
  await setupNuclearMedicine(other, t.database);
  today = parisDate(t.clock.now());
});
afterAll(() => t.app.close());

let address = 0;
const nextAddress = () => `10.66.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

async function signIn(roles: Role[] | Role, establishment: 'a' | 'b' = 'a', c: TestCooperation = coop) {
  const user = await c.user(roles, { establishment });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: user.username, password: TEST_PASSWORD },
    remoteAddress: nextAddress(),
  });
  expect(res.statusCode, res.body).toBe(200);
  const agent = new Agent(t.app);
  agent.cookie = res.cookies.find((x) => x.name === 'passerelle_session')!.value;
  agent.csrf = res.json().csrfToken;
  return { agent, id: user.id };
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json().code).toBe(code);
}

const API = '/api/v1/nuclear-medicine';
const publicPhysician = () => nm.physicians.find((p) => p.sectorId === nm.sectors.public)!;
const privatePhysician = () => nm.physicians.find((p) => p.sectorId === nm.sectors.private)!;

async function countRows(table: 'nm_sessions' | 'nm_bookings' | 'nm_acts' | 'nm_deliveries') {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('cooperation_id', '=', coop.cooperationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function createSession(
  agent: Agent,
  body: { equipment: string; date: string; halfDay: 'am' | 'pm'; physician: { id: string; sectorId: string } },
) {
  const res = await agent.post(`${API}/sessions`, {
    equipmentId: nm.equipment[body.equipment]!.id,
    date: body.date,
    halfDay: body.halfDay,
    sectorId: body.physician.sectorId,
    physicianId: body.physician.id,
    reason: 'Vacation ajoutée pour les tests',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

describe('who may call what', () => {
  it('refuses roles without the nuclear-medicine permissions', async () => {
    const nurse = await signIn('nurse');
    expectProblem(await nurse.agent.get(`${API}/department`), 403, 'FORBIDDEN');
    const secretary = await signIn('medical_secretary');
    expectProblem(
      await secretary.agent.post(`${API}/planning/proposal/accept`, { month: nextMonth() }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await secretary.agent.post(`${API}/bookings/${nm.physicians[0]!.id}/perform`, {}), 403, 'FORBIDDEN');
    const manager = await signIn('cooperation_manager');
    expectProblem(await manager.agent.get(`${API}/day?date=${today}`), 403, 'FORBIDDEN');
    const physician = await signIn('nuclear_medicine_physician');
    expectProblem(
      await physician.agent.post(`${API}/tariffs`, { ccamCode: 'ZZQL016', label: 'TEP', tariffEur: 1 }),
      403,
      'FORBIDDEN',
    );
  });

  it('shows the department to its staff and the manager, and another cooperation’s session is missing', async () => {
    const physician = await signIn('nuclear_medicine_physician');
    const dep = (await physician.agent.get(`${API}/department`)).json();
    expect(dep.equipment).toHaveLength(6);
    expect(dep.equipment.filter((e: { type: string }) => e.type === 'pet_ct')).toHaveLength(2);
    expect(dep.staff.filter((s: { kind: string }) => s.kind === 'physician')).toHaveLength(9);
    expect(dep.sectors.map((s: { code: string }) => s.code)).toEqual(['public', 'private']);
    expect(dep.mySectorId).toBe(nm.sectors.public);
    expect(dep.tariffs.every((x: { demoValue: boolean }) => x.demoValue)).toBe(true);

    const foreign = await t.database.db
      .selectFrom('nm_sessions')
      .select('id')
      .where('cooperation_id', '=', other.cooperationId)
      .executeTakeFirstOrThrow();
    const manager = await signIn('cooperation_manager');
    const res = await manager.agent.post(`${API}/sessions/${foreign.id}/change`, {
      sectorId: nm.sectors.public,
      physicianId: publicPhysician().id,
      reason: 'Tentative hors coopération',
    });
    expectProblem(res, 404, 'NOT_FOUND');
  });
});

describe('sessions planning', () => {
  it('proposes next month within the fair-share bound, saves it once, and the counter sees it', async () => {
    const manager = await signIn('cooperation_manager');
    const month = nextMonth();
    const proposal = (await manager.agent.get(`${API}/planning/proposal?month=${month}`)).json();
    expect(proposal.groups.map((g: { equipmentType: string }) => g.equipmentType)).toEqual(['gamma_camera', 'pet_ct']);
    for (const g of proposal.groups) {
      expect(g.sessions.length).toBeGreaterThan(20);
      expect(g.bound).toBeGreaterThanOrEqual(0.5);
      // Whatever the seeded history, the month ends within half a session of the agreed share.
      for (const d of Object.values(g.finalDeviation) as number[]) expect(Math.abs(d)).toBeLessThanOrEqual(0.5 + 1e-9);
      for (const s of g.sessions) {
        const physician = nm.physicians.find((p) => p.id === s.physicianId)!;
        expect(physician.sectorId).toBe(s.sectorId);
      }
    }
    const before = await countRows('nm_sessions');
    const accepted = await manager.agent.post(`${API}/planning/proposal/accept`, { month });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const created = accepted.json().created as number;
    expect(created).toBe(proposal.groups.reduce((s: number, g: { sessions: unknown[] }) => s + g.sessions.length, 0));
    expect(await countRows('nm_sessions')).toBe(before + created);
    expect((await manager.agent.post(`${API}/planning/proposal/accept`, { month })).json().created).toBe(0);

    const counter = (await manager.agent.get(`${API}/counter?from=${month}&to=${month}`)).json();
    const all = counter.months[0].bySector.all;
    expect(all[nm.sectors.public].sessions + all[nm.sectors.private].sessions).toBe(created);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('cooperation_id', '=', coop.cooperationId)
      .where('action', '=', 'nm.planning.accept')
      .execute();
    expect(audit[0]!.details).toMatchObject({ month, created });
  });

  it('refuses a physician of the wrong sector, a closed machine and a missing reason, saving nothing', async () => {
    const manager = await signIn('cooperation_manager');
    const date = mondayAfter(100);
    const before = await countRows('nm_sessions');
    const base = {
      equipmentId: nm.equipment.GC1!.id,
      date,
      halfDay: 'am',
      sectorId: nm.sectors.public,
      physicianId: privatePhysician().id,
      reason: 'Vacation supplémentaire',
    };
    expectProblem(await manager.agent.post(`${API}/sessions`, base), 400, 'PHYSICIAN_WRONG_SECTOR');
    expectProblem(
      await manager.agent.post(`${API}/sessions`, { ...base, physicianId: publicPhysician().id, reason: '' }),
      400,
      'VALIDATION_FAILED',
    );
    const closure = await manager.agent.post(`${API}/closures`, {
      equipmentId: nm.equipment.GC2!.id,
      startsOn: date,
      endsOn: date,
      reason: 'Panne du détecteur',
    });
    expect(closure.statusCode, closure.body).toBe(201);
    expectProblem(
      await manager.agent.post(`${API}/sessions`, {
        ...base,
        equipmentId: nm.equipment.GC2!.id,
        physicianId: publicPhysician().id,
      }),
      409,
      'EQUIPMENT_CLOSED',
    );
    expectProblem(
      await manager.agent.post(`${API}/sessions`, {
        ...base,
        date: addDays(date, 5),
        physicianId: publicPhysician().id,
      }),
      400,
      'OUTSIDE_OPENING_HOURS',
    );
    const absence = await manager.agent.post(`${API}/absences`, {
      staffId: publicPhysician().id,
      startsOn: addDays(date, 1),
      endsOn: addDays(date, 1),
      reason: 'Formation',
    });
    expect(absence.statusCode, absence.body).toBe(201);
    expectProblem(
      await manager.agent.post(`${API}/sessions`, {
        ...base,
        date: addDays(date, 1),
        physicianId: publicPhysician().id,
      }),
      409,
      'PHYSICIAN_ABSENT',
    );
    expect(await countRows('nm_sessions')).toBe(before);
  });

  it('changes a session’s sector with a mandatory reason, audited with before and after', async () => {
    const manager = await signIn('cooperation_manager');
    const session = await createSession(manager.agent, {
      equipment: 'GC3',
      date: mondayAfter(100),
      halfDay: 'pm',
      physician: publicPhysician(),
    });
    expectProblem(
      await manager.agent.post(`${API}/sessions/${session.id}/change`, {
        sectorId: nm.sectors.private,
        physicianId: privatePhysician().id,
      }),
      400,
      'VALIDATION_FAILED',
    );
    const changed = await manager.agent.post(`${API}/sessions/${session.id}/change`, {
      sectorId: nm.sectors.private,
      physicianId: privatePhysician().id,
      reason: 'Échange de vacations entre secteurs',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ sectorId: nm.sectors.private, origin: 'manual' });
    const event = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('resource_id', '=', session.id)
      .where('action', '=', 'nm.session.change')
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({
      reason: 'Échange de vacations entre secteurs',
      before: { sectorId: nm.sectors.public },
      after: { sectorId: nm.sectors.private },
    });
  });
});

describe('booking, recording and the counter', () => {
  let petSession: string;
  let date: string;

  beforeAll(async () => {
    const manager = await signIn('cooperation_manager');
    date = mondayAfter(130);
    petSession = (
      await createSession(manager.agent, { equipment: 'TEP1', date, halfDay: 'am', physician: publicPhysician() })
    ).id;
  });

  const booking = (overrides: Record<string, unknown> = {}) => ({
    sessionId: petSession,
    patientId: nm.patients.a[0]!,
    examTypeId: nm.examTypes.fdg_pet!,
    startMin: 480,
    weightKg: 80,
    diabetic: false,
    ...overrides,
  });

  it('books with the exam’s rule, and refuses bad input with specific codes, saving nothing', async () => {
    const { agent } = await signIn('medical_secretary');
    const before = await countRows('nm_bookings');
    expectProblem(await agent.post(`${API}/bookings`, booking({ startMin: 420 })), 400, 'OUTSIDE_OPENING_HOURS');
    // 11:50 + 60 min uptake + 20 min on the camera ends at 13:10, after the morning’s 13:00.
    expectProblem(await agent.post(`${API}/bookings`, booking({ startMin: 710 })), 400, 'OUTSIDE_OPENING_HOURS');
    expectProblem(await agent.post(`${API}/bookings`, booking({ prescribedMBq: 600 })), 400, 'ACTIVITY_OUTSIDE_LIMITS');
    expectProblem(
      await agent.post(`${API}/bookings`, booking({ examTypeId: nm.examTypes.bone_scan })),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await agent.post(`${API}/bookings`, booking({ patientId: nm.patients.b[0] })), 404, 'NOT_FOUND');
    expect(await countRows('nm_bookings')).toBe(before);

    const ok = await agent.post(`${API}/bookings`, booking());
    expect(ok.statusCode, ok.body).toBe(201);
    // 3 MBq/kg × 80 kg = 240 MBq, within 150–370.
    expect(ok.json().prescribedMBq).toBe(240);
    expectProblem(await agent.post(`${API}/bookings`, booking({ startMin: 490 })), 409, 'SLOT_TAKEN');
    const second = await agent.post(`${API}/bookings`, booking({ startMin: 505, weightKg: 130, diabetic: true }));
    expect(second.json().prescribedMBq).toBe(370);
    expect(await countRows('nm_bookings')).toBe(before + 2);
  });

  it('refuses a booking on a machine closed that day', async () => {
    const manager = await signIn('cooperation_manager');
    const session = await createSession(manager.agent, {
      equipment: 'TEP2',
      date: addDays(date, 1),
      halfDay: 'am',
      physician: publicPhysician(),
    });
    await manager.agent.post(`${API}/closures`, {
      equipmentId: nm.equipment.TEP2!.id,
      startsOn: addDays(date, 1),
      endsOn: addDays(date, 1),
      reason: 'Panne du scanner',
    });
    const { agent } = await signIn('medical_secretary');
    expectProblem(await agent.post(`${API}/bookings`, booking({ sessionId: session.id })), 409, 'EQUIPMENT_CLOSED');
  });

  it('shows another sector’s bookings as busy slots only, and refuses to book into them', async () => {
    const privateSecretary = await signIn('medical_secretary', 'b');
    const day = (await privateSecretary.agent.get(`${API}/day?date=${date}`)).json();
    const session = day.sessions.find((s: { id: string }) => s.id === petSession);
    expect(session.bookingList.length).toBe(2);
    for (const b of session.bookingList) {
      expect(b).toMatchObject({ detailed: false, patient: null, prescribedMBq: null, diabetic: null });
    }
    expectProblem(
      await privateSecretary.agent.post(`${API}/bookings`, booking({ patientId: nm.patients.b[0], startMin: 530 })),
      403,
      'FORBIDDEN',
    );
    const publicSecretary = await signIn('medical_secretary', 'a');
    const full = (await publicSecretary.agent.get(`${API}/day?date=${date}`)).json();
    const mine = full.sessions.find((s: { id: string }) => s.id === petSession).bookingList;
    expect(mine.map((b: { patient: { displayName: string } }) => b.patient.displayName)).toEqual([
      'SCINTI Marie Anne',
      'SCINTI Marie Anne',
    ]);
  });

  it('orders FDG for the day with decay, refuses a delivery calibrated after an injection, and reorders', async () => {
    const physician = await signIn('nuclear_medicine_physician');
    expectProblem(
      await physician.agent.post(`${API}/pet-day/deliveries`, { date, calibrationMins: [495] }),
      400,
      'DELIVERY_AFTER_INJECTION',
    );
    const saved = await physician.agent.post(`${API}/pet-day/deliveries`, { date, calibrationMins: [465] });
    expect(saved.statusCode, saved.body).toBe(200);
    const sheet = saved.json();
    // 240 MBq at 08:00 and 370 MBq at 08:25, from a 07:45 calibration: 240·2^(15/T) + 370·2^(40/T), + 10 %.
    const T = HALF_LIFE_MIN.F18;
    const expected = (240 * 2 ** (15 / T) + 370 * 2 ** (40 / T)) * 1.1;
    expect(sheet.totalOrderMBq).toBeCloseTo(expected, 0);
    expect(sheet.deliveriesSaved).toBe(true);
    // The diabetic patient (370 MBq) goes first, which is also the cheaper order here.
    expect(sheet.optimised.totalOrderMBq).toBeLessThan(sheet.totalOrderMBq);
    const applied = await physician.agent.post(`${API}/pet-day/apply-order`, { date });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().totalOrderMBq).toBeCloseTo(sheet.optimised.totalOrderMBq, 1);
    const deliveryId = applied.json().deliveries[0].id;
    const measured = await physician.agent.post(`${API}/deliveries/${deliveryId}/measure`, {
      measuredMBq: 700,
      wasteMBq: 35,
    });
    expect(measured.statusCode, measured.body).toBe(200);
    expect(measured.json().deliveries[0]).toMatchObject({ measuredMBq: 700, wasteMBq: 35 });
  });

  it('records the exam performed as an act that moves the counter, refusing an activity outside limits', async () => {
    const physician = await signIn('nuclear_medicine_physician');
    const day = (await physician.agent.get(`${API}/day?date=${date}`)).json();
    const target = day.sessions.find((s: { id: string }) => s.id === petSession).bookingList[0];
    const month = date.slice(0, 7);
    const before = (await physician.agent.get(`${API}/counter?from=${month}&to=${month}`)).json();
    const cell = (c: typeof before) => c.months[0].bySector.pet_ct[nm.sectors.public];

    expectProblem(
      await physician.agent.post(`${API}/bookings/${target.id}/perform`, { injectedMBq: 50 }),
      400,
      'ACTIVITY_OUTSIDE_LIMITS',
    );
    const done = await physician.agent.post(`${API}/bookings/${target.id}/perform`, {
      injectedMBq: 238,
      measuredMBq: 240,
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().valueEur).toBe(400);
    expectProblem(
      await physician.agent.post(`${API}/bookings/${target.id}/perform`, { injectedMBq: 238 }),
      409,
      'CONFLICT',
    );
    const after = (await physician.agent.get(`${API}/counter?from=${month}&to=${month}`)).json();
    expect(cell(after).acts).toBe(cell(before).acts + 1);
    expect(cell(after).valueEur).toBe(cell(before).valueEur + 400);

    const csv = await physician.agent.get(`${API}/counter/export?month=${month}&sectorId=${nm.sectors.public}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('date;half_day;equipment;equipment_type;physician;acts;value_eur;ccam_codes');
    expect(lines.some((l) => l.startsWith(`${date};am;TEP1;pet_ct;`) && l.includes(';1;400.00;ZZQL016'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^total;/);
  });

  it('cancels a booking with a reason (audited), once', async () => {
    const { agent } = await signIn('medical_secretary');
    const day = (await agent.get(`${API}/day?date=${date}`)).json();
    const booked = day.sessions
      .find((s: { id: string }) => s.id === petSession)
      .bookingList.find((b: { status: string }) => b.status === 'booked');
    expectProblem(await agent.post(`${API}/bookings/${booked.id}/cancel`, {}), 400, 'VALIDATION_FAILED');
    const cancelled = await agent.post(`${API}/bookings/${booked.id}/cancel`, { reason: 'Patient hospitalisé' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expectProblem(await agent.post(`${API}/bookings/${booked.id}/cancel`, { reason: 'Encore' }), 409, 'CONFLICT');
    const event = await t.database.db
      .selectFrom('audit_events')
      .select(['patient_id', 'details'])
      .where('resource_id', '=', booked.id)
      .where('action', '=', 'nm.booking.cancel')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ patient_id: nm.patients.a[0], details: { reason: 'Patient hospitalisé' } });
  });
});

describe('configuration', () => {
  it('sets agreed shares per equipment type from a date, refusing unknown sectors, and tariffs', async () => {
    const manager = await signIn('cooperation_manager');
    const [y, m] = today.split('-').map(Number) as [number, number];
    // Six months ahead: beyond every session the other tests create.
    const later = new Date(Date.UTC(y, m + 5, 1)).toISOString().slice(0, 7);
    const refused = await manager.agent.post(`${API}/share-agreements`, {
      equipmentType: 'pet_ct',
      validFrom: `${later}-01`,
      shares: [{ sectorId: nm.physicians[0]!.id, share: 60 }],
      reason: 'Avenant à la convention',
    });
    expectProblem(refused, 400, 'VALIDATION_FAILED');
    const partial = await manager.agent.post(`${API}/share-agreements`, {
      equipmentType: 'pet_ct',
      validFrom: `${later}-01`,
      shares: [{ sectorId: nm.sectors.public, share: 100 }],
      reason: 'Avenant oubliant le secteur libéral',
    });
    expectProblem(partial, 400, 'VALIDATION_FAILED');
    expect(partial.json().fields[0].message).toMatch(/^Every sector appears/);
    const agreed = await manager.agent.post(`${API}/share-agreements`, {
      equipmentType: 'pet_ct',
      validFrom: `${later}-01`,
      shares: [
        { sectorId: nm.sectors.public, share: 60 },
        { sectorId: nm.sectors.private, share: 40 },
      ],
      reason: 'Avenant à la convention : TEP 60/40',
    });
    expect(agreed.statusCode, agreed.body).toBe(201);
    const proposal = (await manager.agent.get(`${API}/planning/proposal?month=${later}`)).json();
    const pet = proposal.groups.find((g: { equipmentType: string }) => g.equipmentType === 'pet_ct');
    const gamma = proposal.groups.find((g: { equipmentType: string }) => g.equipmentType === 'gamma_camera');
    expect(pet.shares).toEqual([
      { sectorId: nm.sectors.public, share: 0.6 },
      { sectorId: nm.sectors.private, share: 0.4 },
    ]);
    expect(pet.history).toEqual({});
    const publicShare = pet.sessions.filter((s: { sectorId: string }) => s.sectorId === nm.sectors.public).length;
    expect(Math.abs(publicShare - 0.6 * pet.sessions.length)).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(gamma.shares[0].share).toBe(0.5);

    const tariff = await manager.agent.post(`${API}/tariffs`, {
      ccamCode: 'ZZQL016',
      label: 'TEP corps entier (tarif de la coopération)',
      tariffEur: 420.5,
    });
    expect(tariff.statusCode, tariff.body).toBe(200);
    expect(tariff.json()).toEqual({
      ccamCode: 'ZZQL016',
      label: 'TEP corps entier (tarif de la coopération)',
      tariffEur: 420.5,
      demoValue: false,
    });
    expectProblem(
      await manager.agent.post(`${API}/tariffs`, { ccamCode: 'TEP', label: 'x', tariffEur: 1 }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('a department configured from scratch, with three partners', () => {
  it('adds sectors, a machine, physicians and an exam type, refusing bad input, then plans 40/30/30', async () => {
    const fresh = await createCooperation(t.database);
    const manager = await signIn('cooperation_manager', 'a', fresh);
    const sectors: string[] = [];
    for (const [code, name, establishmentId] of [
      ['chu', 'Centre hospitalier', fresh.establishments.a],
      ['clinique', 'Clinique', fresh.establishments.b],
      ['cabinet', 'Cabinet libéral', null],
    ] as const) {
      const res = await manager.agent.post(`${API}/sectors`, { code, name, establishmentId });
      expect(res.statusCode, res.body).toBe(201);
      sectors.push(res.json().id);
    }
    expectProblem(
      await manager.agent.post(`${API}/sectors`, { code: 'chu', name: 'Doublon', establishmentId: null }),
      409,
      'CONFLICT',
    );
    const opening = { weekdays: [1, 2, 3, 4, 5], am: [480, 780], pm: [810, 1110] };
    const machine = await manager.agent.post(`${API}/equipment`, {
      code: 'GC1',
      name: 'Gamma-caméra',
      type: 'gamma_camera',
      opening,
    });
    expect(machine.statusCode, machine.body).toBe(201);
    expectProblem(
      await manager.agent.post(`${API}/equipment`, {
        code: 'GC2',
        name: 'Gamma-caméra 2',
        type: 'gamma_camera',
        opening: { ...opening, am: [780, 480] },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await manager.agent.post(`${API}/staff`, {
        kind: 'physician',
        sectorId: null,
        displayName: 'Dr Sans',
        userId: null,
      }),
      400,
      'VALIDATION_FAILED',
    );
    // A physician is linked to the account they sign in with, chosen from the cooperation's accounts.
    const physician = await signIn('nuclear_medicine_physician', 'a', fresh);
    expectProblem(await physician.agent.get(`${API}/accounts`), 403, 'FORBIDDEN');
    const accounts = (await manager.agent.get(`${API}/accounts`)).json().items as {
      id: string;
      roles: string[];
    }[];
    expect(accounts.find((a) => a.id === physician.id)?.roles).toEqual(['nuclear_medicine_physician']);
    const linked = await manager.agent.post(`${API}/staff`, {
      kind: 'physician',
      sectorId: sectors[0],
      displayName: 'Dr Lié',
      userId: physician.id,
    });
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json().userId).toBe(physician.id);
    const twice = await manager.agent.post(`${API}/staff`, {
      kind: 'physician',
      sectorId: sectors[1],
      displayName: 'Dr Lié bis',
      userId: physician.id,
    });
    expectProblem(twice, 409, 'CONFLICT');
    expect(twice.json().detail).toBe('This account is already linked to Dr Lié');
    expectProblem(
      await manager.agent.post(`${API}/staff`, {
        kind: 'physician',
        sectorId: sectors[0],
        displayName: 'Dr Ailleurs',
        userId: (await signIn('nuclear_medicine_physician')).id,
      }),
      400,
      'VALIDATION_FAILED',
    );
    for (const sectorId of sectors) {
      for (const n of [1, 2]) {
        const res = await manager.agent.post(`${API}/staff`, {
          kind: 'physician',
          sectorId,
          displayName: `Dr ${sectorId.slice(0, 4)} ${n}`,
          userId: null,
        });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    const exam = {
      code: 'bone_scan',
      nameFr: 'Scintigraphie osseuse',
      nameEn: 'Bone scan',
      equipmentType: 'gamma_camera',
      durationMin: 30,
      preparationFr: 'Boire',
      preparationEn: 'Drink',
      radiopharmaceutical: '99mTc-HDP',
      nuclide: 'Tc99m',
      mbqPerKg: null,
      minMBq: 925,
      maxMBq: 740,
      uptakeMin: 150,
      ccamCode: 'PAQL002',
    };
    expectProblem(await manager.agent.post(`${API}/exam-types`, exam), 400, 'VALIDATION_FAILED');
    const created = await manager.agent.post(`${API}/exam-types`, { ...exam, minMBq: 740, maxMBq: 925 });
    expect(created.statusCode, created.body).toBe(201);

    const month = nextMonth();
    const agreed = await manager.agent.post(`${API}/share-agreements`, {
      equipmentType: null,
      validFrom: `${month}-01`,
      shares: sectors.map((sectorId, i) => ({ sectorId, share: [40, 30, 30][i]! })),
      reason: 'Convention à trois partenaires',
    });
    expect(agreed.statusCode, agreed.body).toBe(201);
    const proposal = (await manager.agent.get(`${API}/planning/proposal?month=${month}`)).json();
    const group = proposal.groups[0];
    expect(group.constrained).toBe(0);
    // k = 3: no partner more than 1 − 1/3 ahead, nor (k − 1)²/k = 4/3 behind.
    expect(group.bound).toBeCloseTo(4 / 3, 9);
    expect(group.maxDeviation).toBeLessThanOrEqual(group.bound);
    const counts = sectors.map((id) => group.sessions.filter((x: { sectorId: string }) => x.sectorId === id).length);
    const total = counts.reduce((a, b) => a + b, 0);
    counts.forEach((c, i) => expect(Math.abs(c - [0.4, 0.3, 0.3][i]! * total)).toBeLessThanOrEqual(4 / 3));
    const dep = (await manager.agent.get(`${API}/department`)).json();
    expect(dep.sectors.map((x: { code: string }) => x.code)).toEqual(['chu', 'clinique', 'cabinet']);
  });
});

describe('the counter over the seeded months', () => {
  it('shows sessions, acts, value and a running deviation per equipment type and overall', async () => {
    const manager = await signIn('cooperation_manager');
    const to = today.slice(0, 7);
    const [y, m] = to.split('-').map(Number) as [number, number];
    const from = new Date(Date.UTC(y, m - 4, 1)).toISOString().slice(0, 7);
    const counter = (await manager.agent.get(`${API}/counter?from=${from}&to=${to}`)).json();
    expect(counter.months).toHaveLength(4);
    const first = counter.months[1];
    expect(first.bySector.all[nm.sectors.public].sessions).toBeGreaterThan(50);
    expect(first.bySector.all[nm.sectors.public].acts).toBeGreaterThan(100);
    // Deviations of the two sectors always sum to zero.
    for (const month of counter.months) {
      for (const group of ['gamma_camera', 'pet_ct', 'all']) {
        const d = month.cumulativeDeviation[group];
        expect(d[nm.sectors.public] + d[nm.sectors.private]).toBeCloseTo(0, 6);
      }
    }
    expectProblem(await manager.agent.get(`${API}/counter?from=${to}&to=${from}`), 400, 'VALIDATION_FAILED');
  });
});
