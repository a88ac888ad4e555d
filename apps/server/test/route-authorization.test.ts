import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES, type Role } from '../src/core/access.ts';
import { Agent, testApp } from './harness.ts';
import { createCooperation, TEST_PASSWORD, type TestCooperation } from './factories.ts';
import {
  ALL_PERMISSION_ROLES,
  apiRoutes,
  fillPath,
  isPublic,
  permissionOf,
  roleLacking,
  takesBody,
  tokenScopeOf,
  type ApiRoute,
} from './support/routes.ts';

/**
 * Route-level authorization, for EVERY route registered under /api/v1. The routes are collected as
 * Fastify registers them, so a route added later is enumerated here without anyone touching this
 * file; where a check needs data (a valid body, an id of some resource), the tables below must name
 * the route, and the suite fails until they do.
 */

const collected: RouteOptions[] = [];
const t = await testApp({ onRoute: (route) => collected.push(route) });
afterAll(() => t.app.close());

const routes = apiRoutes(collected);
const protectedRoutes = routes.filter((r) => r.access && !isPublic(r));

/** An anonymous request (or one with a forged cookie or a bearer token), with `{}` as body where one is taken. */
function inject(route: ApiRoute, options: { cookie?: string; headers?: Record<string, string> } = {}) {
  const payload = takesBody(route.method) ? {} : undefined;
  return t.app.inject({
    method: route.method,
    url: fillPath(route.url),
    headers: options.headers ?? {},
    ...(options.cookie ? { cookies: { passerelle_session: options.cookie } } : {}),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

function send(agent: Agent, route: ApiRoute, url: string, payload?: unknown) {
  const body = payload ?? (takesBody(route.method) ? {} : undefined);
  return agent.request(route.method as 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url, body);
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
  expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  expect(res.json().code, what).toBe(code);
}

/** A problem body without what legitimately differs between two requests. */
function comparable(res: LightMyRequestResponse) {
  const { requestId: _requestId, instance: _instance, ...rest } = res.json();
  return { status: res.statusCode, contentType: res.headers['content-type'], body: rest };
}

// --- actors, built lazily and shared: logins are rate limited per address ---------------------------

const coopPromise = createCooperation(t.database);
const otherCoopPromise = createCooperation(t.database);
const agents = new Map<string, Promise<Agent>>();

function signedIn(
  cooperation: Promise<TestCooperation>,
  roles: Role[],
  establishment: 'a' | 'b',
  tag = '',
): Promise<Agent> {
  const key = `${tag}|${roles.join(',')}|${establishment}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = (async () => {
      const coop = await cooperation;
      const user = await coop.user(roles, { establishment });
      const a = new Agent(t.app);
      const res = await a.login(user.username, TEST_PASSWORD);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().stage).toBe('active');
      return a;
    })();
    agents.set(key, agent);
  }
  return agent;
}

/** Someone who may do anything, acting at establishment a, where the fixtures' patients are cared for. */
const insider = () => signedIn(coopPromise, ALL_PERMISSION_ROLES, 'a', 'insider');
/** The same powers at establishment b, which has no care relationship with those patients. */
const outsider = () => signedIn(coopPromise, ALL_PERMISSION_ROLES, 'b', 'outsider');

// --- the checks every route goes through ------------------------------------------------------------

describe('every route under /api/v1', () => {
  it('is enumerated (the collector sees the application’s routes)', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => r.key)).toContain('GET /api/v1/patients/:id');
  });

  it.each(routes.map((r) => [r.key, r] as const))('%s declares config.access', (key, route) => {
    expect(route.access, `${key} must declare config: { access: … } (see core/http/auth-plugin.ts)`).toBeDefined();
  });

  it.each(protectedRoutes.map((r) => [r.key, r] as const))(
    '%s: no session, or an unknown one → 401 AUTHENTICATION_REQUIRED',
    async (key, route) => {
      expectProblem(await inject(route), 401, 'AUTHENTICATION_REQUIRED', key);
      expectProblem(await inject(route, { cookie: 'forged-session-value' }), 401, 'AUTHENTICATION_REQUIRED', key);
      const problem = (await inject(route)).json();
      expect(problem.requestId, key).toEqual(expect.any(String));
    },
  );

  const withPermission = protectedRoutes.filter((r) => permissionOf(r));
  const refusable = withPermission.filter((r) => roleLacking(permissionOf(r)!));
  it.each(refusable.map((r) => [r.key, permissionOf(r)!, r] as const))(
    '%s: a role without %s → 403 FORBIDDEN, before the body is validated',
    async (key, permission, route) => {
      const role = roleLacking(permission)!;
      const agent = await signedIn(coopPromise, [role], 'a');
      expectProblem(await send(agent, route, fillPath(route.url)), 403, 'FORBIDDEN', `${key} as ${role}`);
    },
  );

  // A permission every role holds (organisation:read) is still refused to an account holding no role.
  const universal = withPermission.filter((r) => !roleLacking(permissionOf(r)!));
  it.each(universal.map((r) => [r.key, permissionOf(r)!, r] as const))(
    '%s: %s is held by every role, so an account without any role → 403',
    async (key, _permission, route) => {
      const agent = await signedIn(coopPromise, [], 'a');
      const res = await send(agent, route, fillPath(route.url));
      expect(res.statusCode, `${key}: ${res.body}`).toBe(403);
      expect(['FORBIDDEN', 'NO_ESTABLISHMENT_SELECTED'], key).toContain(res.json().code);
    },
  );

  describe('API tokens', () => {
    // One token holding every scope, one holding a single scope, both owned by an all-powerful user.
    let tokens: Promise<{ all: string; narrow: string; narrowScope: string }> | undefined;
    const getTokens = () =>
      (tokens ??= (async () => {
        const agent = await insider();
        const all = await agent.post('/api/v1/auth/tokens', { name: 'all scopes', scopes: [...TOKEN_SCOPES] });
        expect(all.statusCode, all.body).toBe(201);
        const narrowScope = 'audit:read';
        const narrow = await agent.post('/api/v1/auth/tokens', { name: 'one scope', scopes: [narrowScope] });
        expect(narrow.statusCode, narrow.body).toBe(201);
        return { all: all.json().token as string, narrow: narrow.json().token as string, narrowScope };
      })());
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    const sessionOnly = protectedRoutes.filter((r) => !tokenScopeOf(r));
    it.each(sessionOnly.map((r) => [r.key, r] as const))('%s refuses API tokens → 401', async (key, route) => {
      const { all } = await getTokens();
      expectProblem(await inject(route, { headers: bearer(all) }), 401, 'AUTHENTICATION_REQUIRED', key);
    });

    const tokenRoutes = protectedRoutes.filter((r) => tokenScopeOf(r));
    it.each(tokenRoutes.map((r) => [r.key, tokenScopeOf(r)!, r] as const))(
      '%s accepts a token scoped %s, and refuses one without that scope',
      async (key, scope, route) => {
        const { all, narrow, narrowScope } = await getTokens();
        const accepted = await inject(route, { headers: bearer(all) });
        expect([401, 403], `${key}: ${accepted.body}`).not.toContain(accepted.statusCode);
        const permission = permissionOf(route);
        if (permission && permission !== narrowScope && scope !== narrowScope) {
          expectProblem(await inject(route, { headers: bearer(narrow) }), 403, 'TOKEN_SCOPE_INSUFFICIENT', key);
        }
        expectProblem(
          await inject(route, { headers: bearer('pst_forged_value') }),
          401,
          'AUTHENTICATION_REQUIRED',
          key,
        );
      },
    );
  });
});

// --- patients outside the actor's care answer exactly like missing ones -----------------------------

interface PatientFixture {
  cooperation: TestCooperation;
  patientId: string;
  careRelationshipId: string;
  /** A second patient cared for at both establishments (a merge target everyone may see). */
  sharedPatientId: string;
}

interface PatientRouteCase {
  /** A request body that succeeds for someone who may see the patient. */
  body?: (f: PatientFixture) => unknown;
  /** Path parameters other than `:id`. */
  params?: (f: PatientFixture) => Record<string, string>;
  /**
   * The route exists to reach patients outside the actor's care (emergency access): within the
   * cooperation it succeeds, so only another cooperation's patient must answer 404.
   */
  reachesOutsideCare?: true;
}

let ippCounter = 0;
/** Every route under /patients/:id, with what it takes to succeed. A new route must be added here. */
const PATIENT_ROUTES: Record<string, PatientRouteCase> = {
  'GET /api/v1/patients/:id': {},
  'PATCH /api/v1/patients/:id': { body: () => ({ usedName: 'Martin', version: 1 }) },
  'POST /api/v1/patients/:id/identifiers': { body: () => ({ ipp: `AUTHZ-${Date.now()}-${++ippCounter}` }) },
  'POST /api/v1/patients/:id/care-relationships': {
    body: (f) => ({
      establishmentId: f.cooperation.establishments.b,
      startsOn: '2024-01-01',
      reason: 'Chimiothérapie',
    }),
  },
  'POST /api/v1/patients/:id/care-relationships/:relationshipId/end': {
    body: () => ({ endsOn: '2030-01-01' }),
    params: (f) => ({ relationshipId: f.careRelationshipId }),
  },
  'GET /api/v1/patients/:id/access-log': {},
  'POST /api/v1/patients/:id/emergency-access': {
    body: () => ({ reason: 'Patient admis aux urgences, inconscient' }),
    reachesOutsideCare: true,
  },
  'POST /api/v1/patients/:id/merge': {
    body: (f) => ({ intoPatientId: f.sharedPatientId, reason: 'Même personne, doublon de saisie' }),
  },
  'GET /api/v1/patients/:id/prescriptions': {},
  'GET /api/v1/patients/:id/allergies': {},
  'POST /api/v1/patients/:id/allergies': { body: () => ({ substance: 'Produit de contraste iodé', severity: 'mild' }) },
};

async function patientFixture(cooperation: Promise<TestCooperation>): Promise<PatientFixture> {
  const coop = await cooperation;
  const suffix = randomUUID().slice(0, 6).toUpperCase();
  const patientId = await coop.patient({ birthName: `HORS-CHAMP-${suffix}`, careAt: ['a'] });
  const sharedPatientId = await coop.patient({ birthName: `PARTAGE-${suffix}`, careAt: ['a', 'b'] });
  const rel = await t.database.db
    .selectFrom('care_relationships')
    .select('id')
    .where('patient_id', '=', patientId)
    .executeTakeFirstOrThrow();
  return { cooperation: coop, patientId, careRelationshipId: rel.id, sharedPatientId };
}

/** Everything stored about a patient, to prove a refused request changed nothing. */
async function snapshot(patientId: string) {
  const db = t.database.db;
  const [patient, identifiers, care, emergency, audit] = await Promise.all([
    db.selectFrom('patients').selectAll().where('id', '=', patientId).executeTakeFirst(),
    db.selectFrom('patient_identifiers').selectAll().where('patient_id', '=', patientId).orderBy('id').execute(),
    db.selectFrom('care_relationships').selectAll().where('patient_id', '=', patientId).orderBy('id').execute(),
    db.selectFrom('emergency_accesses').selectAll().where('patient_id', '=', patientId).orderBy('id').execute(),
    db.selectFrom('audit_events').select('id').where('patient_id', '=', patientId).orderBy('id').execute(),
  ]);
  return { patient, identifiers, care, emergency, audit };
}

describe('patients outside the actor’s care', () => {
  const patientRoutes = protectedRoutes.filter((r) => r.url.startsWith('/api/v1/patients/:id'));

  it('every /patients/:id route is listed with a valid request', () => {
    const missing = patientRoutes.map((r) => r.key).filter((key) => !(key in PATIENT_ROUTES));
    expect(missing, 'add these routes to PATIENT_ROUTES in route-authorization.test.ts').toEqual([]);
    const stale = Object.keys(PATIENT_ROUTES).filter((key) => !patientRoutes.some((r) => r.key === key));
    expect(stale, 'these PATIENT_ROUTES entries match no registered route').toEqual([]);
  });

  it.each(patientRoutes.filter((r) => r.key in PATIENT_ROUTES).map((r) => [r.key, r] as const))(
    '%s: another establishment’s or cooperation’s patient → 404, same answer as a missing one',
    async (key, route) => {
      const spec = PATIENT_ROUTES[key]!;
      const outside = await outsider();
      const hidden = [await patientFixture(otherCoopPromise)];
      const sameCooperation = await patientFixture(coopPromise);
      if (!spec.reachesOutsideCare) hidden.push(sameCooperation);

      for (const f of hidden) {
        const body = spec.body?.(f);
        const before = await snapshot(f.patientId);
        const res = await send(outside, route, fillPath(route.url, { id: f.patientId, ...spec.params?.(f) }), body);
        const missing = await send(outside, route, fillPath(route.url), body);
        expect(res.statusCode, `${key}: ${res.body}`).toBe(404);
        expect(comparable(res), key).toEqual(comparable(missing));
        expect(await snapshot(f.patientId), `${key} changed a hidden patient`).toEqual(before);
      }

      // The control: the same request succeeds for someone entitled, so the 404 above was about scope.
      const entitled = spec.reachesOutsideCare ? outside : await insider();
      const ok = await send(
        entitled,
        route,
        fillPath(route.url, { id: sameCooperation.patientId, ...spec.params?.(sameCooperation) }),
        spec.body?.(sameCooperation),
      );
      expect(ok.statusCode, `${key} control: ${ok.body}`).toBeGreaterThanOrEqual(200);
      expect(ok.statusCode, `${key} control: ${ok.body}`).toBeLessThan(300);
    },
  );
});

// --- other modules: another cooperation's records are missing records -------------------------------

/**
 * For GET routes with path parameters outside /patients/:id: the table holding the resource named by
 * the path segment before the parameter (kebab-case → snake_case), unless listed here.
 */
const RESOURCE_TABLES: Record<string, string> = {
  'GET /api/v1/admin/users/:id': 'users',
  // Oral anticancer pathway.
  'GET /api/v1/oral/treatments/:id': 'oral_treatments',
  'GET /api/v1/oral/documents/:id/pdf': 'oral_documents',
  // Compounding (issue 4): the path segment before :id is not the table.
  'GET /api/v1/pharmacy/compounding/preparations/:id': 'preparations',
  'GET /api/v1/pharmacy/compounding/preparations/:id/fabrication-sheet': 'preparations',
  'GET /api/v1/pharmacy/compounding/preparations/:id/fabrication-sheet.pdf': 'preparations',
  'GET /api/v1/pharmacy/traceability/patients/:id': 'patients',
};

function resourceTable(route: ApiRoute): string {
  const named = RESOURCE_TABLES[route.key];
  if (named) return named;
  const segments = route.url.split('/');
  const index = segments.findIndex((s) => s.startsWith(':'));
  return (segments[index - 1] ?? '').replaceAll('-', '_');
}

async function anyIdIn(table: string, cooperationId: string, caredForAt?: string): Promise<string | undefined> {
  // A patient must also be in the care of the actor's establishment, or the control would rightly be 404.
  const found =
    table === 'patients' && caredForAt
      ? await sql<{ id: string }>`select p.id from patients p
          where p.cooperation_id = ${cooperationId}
            and exists (select 1 from care_relationships c where c.patient_id = p.id and c.establishment_id = ${caredForAt})
          order by p.id limit 1`.execute(t.database.db)
      : await sql<{
          id: string;
        }>`select id from ${sql.table(table)} where cooperation_id = ${cooperationId} order by id limit 1`.execute(
          t.database.db,
        );
  return found.rows[0]?.id;
}

/** Records in tables the factory leaves empty, in both cooperations, so every resource has an id to try. */
async function seedResources(coop: TestCooperation) {
  await coop.user('nurse');
  await coop.db
    .insertInto('sites')
    .values({
      id: randomUUID(),
      cooperation_id: coop.cooperationId,
      establishment_id: coop.establishments.a,
      name: 'Site principal',
      finess_et: null,
      city: 'Lyon',
    })
    .execute();
  await coop.db
    .insertInto('professionals')
    .values({
      id: randomUUID(),
      cooperation_id: coop.cooperationId,
      rpps: null,
      first_name: 'Claire',
      last_name: 'Fontaine',
      profession: 'physician',
      specialty: null,
      email: null,
    })
    .execute();
  // A regimen version and a draft prescription for a patient cared for at establishment a.
  const regimenId = randomUUID();
  await coop.db
    .insertInto('regimens')
    .values({
      id: regimenId,
      cooperation_id: coop.cooperationId,
      code: 'AUTHZ',
      version: 1,
      name: 'Authorization fixture',
      indication_fr: 'Test',
      indication_en: 'Test',
      cycle_length_days: 21,
      cycles: null,
      source: 'Synthetic',
    })
    .execute();
  const prescriber = await coop.user('prescriber');
  await coop.db
    .insertInto('prescriptions')
    .values({
      id: randomUUID(),
      cooperation_id: coop.cooperationId,
      patient_id: await coop.patient({ birthName: 'ORDONNANCE', careAt: ['a'] }),
      establishment_id: coop.establishments.a,
      pharmacy_establishment_id: coop.establishments.a,
      prescriber_id: prescriber.id,
      regimen_id: regimenId,
      cycle_number: 1,
      day1_date: '2026-01-05',
      height_cm: 170,
      weight_kg: 70,
      computation: '{}',
      checks: '[]',
      status: 'draft',
    })
    .execute();
  // --- oral anticancer pathway: a treatment of a patient cared for at establishment a, and its documents.
  const oralTreatmentId = randomUUID();
  const oralPatientId = await coop.patient({ birthName: 'VOIE-ORALE', careAt: ['a'] });
  await coop.db
    .insertInto('oral_treatments')
    .values({
      id: oralTreatmentId,
      cooperation_id: coop.cooperationId,
      patient_id: oralPatientId,
      establishment_id: coop.establishments.a,
      drug_code: 'imatinib',
      dose_mg: 400,
      schedule_code: 'continuous_once_daily',
      start_date: '2026-01-05',
      prescriber_id: prescriber.id,
      dispensing_channel: 'community_pharmacy',
      indication: 'Authorization fixture',
      created_by: prescriber.id,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
  await coop.db
    .insertInto('oral_documents')
    .values({
      id: randomUUID(),
      cooperation_id: coop.cooperationId,
      treatment_id: oralTreatmentId,
      plan_version: 1,
      snapshot: JSON.stringify({
        treatmentId: oralTreatmentId,
        planVersion: 1,
        patient: { displayName: 'VOIE-ORALE Marie', birthDate: '1961-04-12' },
        drugCode: 'imatinib',
        doseMg: 400,
        scheduleCode: 'continuous_once_daily',
        startDate: '2026-01-05',
        calendarCycles: 1,
        food: 'with_food',
        indication: 'Authorization fixture',
        prescriberName: 'Dr Test',
        establishmentName: 'CH Alpha',
        dispensingChannel: 'community_pharmacy',
        generatedAt: '2026-01-05T08:00:00.000Z',
      }),
      reason: 'Primo-prescription',
      created_by: prescriber.id,
      created_at: new Date(),
    })
    .execute();
  // --- end oral anticancer pathway
  await seedCompoundingResources(coop, regimenId, prescriber.id);
}

// --- compounding (issue 4): a preparation with a one-presentation plan, and a delivery note --------------
async function seedCompoundingResources(coop: TestCooperation, regimenId: string, prescriberId: string) {
  const db = coop.db;
  const id = () => randomUUID();
  const [moleculeId, presentationId, lineId, prescriptionId, prescriptionLineId] = [id(), id(), id(), id(), id()];
  await db
    .insertInto('molecules')
    .values({
      id: moleculeId,
      cooperation_id: coop.cooperationId,
      code: 'authz_drug',
      inn: 'Authz',
      inn_fr: 'Authz',
      dose_unit: 'mg',
    })
    .execute();
  await db
    .insertInto('presentations')
    .values({
      id: presentationId,
      cooperation_id: coop.cooperationId,
      code: 'authz-100',
      molecule_id: moleculeId,
      label: 'Authz 100 mg/10 mL',
      strength: 100,
      strength_unit: 'mg',
      form: 'solution',
      concentration_per_ml: 10,
      volume_ml: 10,
      unit_price_eur: 12,
    })
    .execute();
  await db
    .insertInto('containers')
    .values({
      id: id(),
      cooperation_id: coop.cooperationId,
      code: 'authz-bag-250',
      kind: 'bag',
      label_fr: 'Poche NaCl 0,9 % 250 mL',
      label_en: 'NaCl 0.9% bag 250 mL',
      diluent: 'nacl_0_9',
      nominal_volume_ml: 250,
      tare_mass_g: 30,
    })
    .execute();
  await db
    .insertInto('regimen_lines')
    .values({
      id: lineId,
      cooperation_id: coop.cooperationId,
      regimen_id: regimenId,
      position: 1,
      molecule_id: moleculeId,
      basis: 'flat',
      dose: 150,
      dose_unit: 'mg',
      route: 'IV',
      administration: 'Perfusion 1 h',
      container_kind: 'bag',
      diluent: 'nacl_0_9',
      volume_ml: 250,
      days: [1],
      anticipated_allowed: false,
    })
    .execute();
  const patientId = await coop.patient({ birthName: 'PREPARATION', careAt: ['a'] });
  await db
    .insertInto('prescriptions')
    .values({
      id: prescriptionId,
      cooperation_id: coop.cooperationId,
      patient_id: patientId,
      establishment_id: coop.establishments.a,
      pharmacy_establishment_id: coop.establishments.a,
      prescriber_id: prescriberId,
      regimen_id: regimenId,
      cycle_number: 1,
      day1_date: '2026-01-05',
      height_cm: 170,
      weight_kg: 70,
      computation: '{}',
      checks: '[]',
      status: 'draft',
    })
    .execute();
  await db
    .insertInto('prescription_lines')
    .values({
      id: prescriptionLineId,
      cooperation_id: coop.cooperationId,
      prescription_id: prescriptionId,
      regimen_line_id: lineId,
      molecule_id: moleculeId,
      day_of_cycle: 1,
      administration_date: '2026-01-05',
      basis: 'flat',
      protocol_dose: 150,
      adjustment_percent: 100,
      calculated_dose: 150,
      final_dose: 150,
      dose_unit: 'mg',
      trace: '{}',
    })
    .execute();
  await db
    .insertInto('preparations')
    .values({
      id: id(),
      cooperation_id: coop.cooperationId,
      prescription_id: prescriptionId,
      prescription_line_id: prescriptionLineId,
      patient_id: patientId,
      molecule_id: moleculeId,
      dose: 150,
      dose_unit: 'mg',
      administration_date: '2026-01-05',
      status: 'awaiting_validation',
    })
    .execute();
  await db
    .insertInto('delivery_notes')
    .values({
      id: id(),
      cooperation_id: coop.cooperationId,
      number: `BL-20260105-${randomUUID().slice(0, 4)}`,
      pharmacy_establishment_id: coop.establishments.a,
      destination_kind: 'unit',
      destination_establishment_id: coop.establishments.a,
      destination_unit_id: coop.units.aDayHospital,
      destination_label: 'Hôpital de jour',
      carrier: 'Navette',
      departed_at: new Date(),
      created_by: prescriberId,
    })
    .execute();
}
let seeded: Promise<void> | undefined;
const seedBoth = () =>
  (seeded ??= (async () => {
    await seedResources(await coopPromise);
    await seedResources(await otherCoopPromise);
  })());

describe('records of another cooperation', () => {
  const getById = protectedRoutes.filter(
    (r) => r.method === 'GET' && r.url.includes('/:') && !r.url.startsWith('/api/v1/patients/:id'),
  );

  it.each(getById.map((r) => [r.key, r] as const))(
    '%s answers 404 for another cooperation’s id',
    async (key, route) => {
      await seedBoth();
      const table = resourceTable(route);
      const ownCoop = await coopPromise;
      const own = await anyIdIn(table, ownCoop.cooperationId, ownCoop.establishments.a).catch(() => undefined);
      const foreign = await anyIdIn(table, (await otherCoopPromise).cooperationId).catch(() => undefined);
      expect(
        foreign && own,
        `${key}: no record found in table "${table}"; name its table in RESOURCE_TABLES or seed it`,
      ).toBeTruthy();
      const agent = await insider();
      const res = await agent.get(fillPath(route.url, { id: foreign! }));
      const missing = await agent.get(fillPath(route.url));
      expect(res.statusCode, `${key}: ${res.body}`).toBe(404);
      expect(comparable(res), key).toEqual(comparable(missing));
      const control = await agent.get(fillPath(route.url, { id: own! }));
      expect(control.statusCode, `${key} control: ${control.body}`).toBe(200);
    },
  );
});

// --- emergency access ("bris de glace") -------------------------------------------------------------

describe('emergency access', () => {
  it('needs a reason, stores nothing without one, then opens the record with every access flagged in the audit', async () => {
    const coop = await coopPromise;
    const patientId = await coop.patient({ birthName: 'URGENCE', firstNames: 'Lucie', careAt: ['b'] });
    const user = await coop.user('prescriber', { establishment: 'a' });
    const agent = new Agent(t.app);
    expect((await agent.login(user.username, TEST_PASSWORD)).statusCode).toBe(200);
    expect((await agent.get(`/api/v1/patients/${patientId}`)).statusCode).toBe(404);

    for (const body of [{}, { reason: '' }, { reason: '   court   ' }, { reason: 42 }]) {
      const refused = await agent.post(`/api/v1/patients/${patientId}/emergency-access`, body);
      expectProblem(refused, 400, 'VALIDATION_FAILED', JSON.stringify(body));
      expect(refused.json().fields.map((f: { path: string }) => f.path)).toContain('body.reason');
    }
    expect(await snapshot(patientId)).toMatchObject({ emergency: [], audit: [] });
    expect((await agent.get(`/api/v1/patients/${patientId}`)).statusCode).toBe(404);

    const reason = 'Patient admis aux urgences, dossier introuvable';
    const granted = await agent.post(`/api/v1/patients/${patientId}/emergency-access`, { reason });
    expect(granted.statusCode, granted.body).toBe(201);
    const read = await agent.get(`/api/v1/patients/${patientId}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().emergencyAccess.reason).toBe(reason);

    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'emergency', 'details', 'actor_user_id'])
      .where('cooperation_id', '=', coop.cooperationId)
      .where('patient_id', '=', patientId)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.action, e.emergency, e.actor_user_id])).toEqual([
      ['patient.emergency_access', true, user.id],
      ['patient.read', true, user.id],
    ]);
    expect(events[0]!.details).toMatchObject({ reason });

    // Those who care for the patient see the emergency access in "who accessed this record".
    const carer = await signedIn(coopPromise, ['nurse'], 'b');
    const log = (await carer.get(`/api/v1/patients/${patientId}/access-log`)).json();
    expect(
      log.items.filter(
        (e: { actorLabel: string; emergency: boolean }) => e.actorLabel === user.username && e.emergency,
      ),
    ).toHaveLength(2);
  });

  it('is refused to a role without it, before the reason is even read', async () => {
    const coop = await coopPromise;
    const patientId = await coop.patient({ careAt: ['b'] });
    const agent = await signedIn(coopPromise, [roleLacking('patient:emergency_access')!], 'a');
    const res = await agent.post(`/api/v1/patients/${patientId}/emergency-access`, {
      reason: 'Raison suffisamment longue',
    });
    expectProblem(res, 403, 'FORBIDDEN', 'emergency access without the permission');
    expect(await snapshot(patientId)).toMatchObject({ emergency: [], audit: [] });
  });
});
