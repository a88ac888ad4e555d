import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ManualClock } from '../src/core/clock.ts';
import { runInCooperation, SCOPED_ROLE } from '../src/core/db/cooperation-scope.ts';
import type { Database } from '../src/core/db/index.ts';
import { createCooperation, TEST_PASSWORD, type TestCooperation } from './factories.ts';
import { Agent, testConfig, testDatabase } from './harness.ts';

/**
 * The second wall (migration 0011, docs/adr/0006-row-level-security.md): inside a cooperation scope PostgreSQL
 * itself hides and refuses another cooperation's rows, even to a query that forgets its own filter.
 */
let database: Database;
let mine: TestCooperation;
let theirs: TestCooperation;
let theirPatient: string;
let myPatient: string;
beforeAll(async () => {
  database = await testDatabase();
  mine = await createCooperation(database);
  theirs = await createCooperation(database);
  myPatient = await mine.patient({ birthName: 'MIENNE' });
  theirPatient = await theirs.patient({ birthName: 'AUTRE' });
});

const countPatients = (ids: string[]) =>
  database.db
    .selectFrom('patients')
    .select(sql<string>`count(*)`.as('n'))
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

describe('row-level security', () => {
  it('puts every table holding cooperation data under the cooperation policy', async () => {
    const tables = await sql<{ table: string; rls: boolean; policy: string | null }>`
      select c.relname as table, c.relrowsecurity as rls, p.policyname as policy
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      left join pg_policies p on p.schemaname = 'public' and p.tablename = c.relname and p.policyname = 'cooperation_scope'
      where c.relkind in ('r', 'p')
        and (c.relname = 'cooperations' or exists (
          select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'cooperation_id' and not a.attisdropped))
    `.execute(database.db);
    expect(tables.rows.length).toBeGreaterThan(60);
    expect(tables.rows.filter((t) => !t.rls || t.policy !== 'cooperation_scope').map((t) => t.table)).toEqual([]);
  });

  it('acts as the unprivileged role inside a scope, and as the connecting role outside', async () => {
    const inside = await runInCooperation(mine.cooperationId, () =>
      sql<{ role: string; superuser: boolean; cooperation: string }>`
        select current_user as role, r.rolsuper as superuser, current_setting('passerelle.cooperation_id') as cooperation
        from pg_roles r where r.rolname = current_user`.execute(database.db),
    );
    expect(inside.rows[0]).toEqual({ role: SCOPED_ROLE, superuser: false, cooperation: mine.cooperationId });
    const outside = await sql<{ role: string }>`select current_user as role`.execute(database.db);
    expect(outside.rows[0]!.role).not.toBe(SCOPED_ROLE);
  });

  it("hides another cooperation's rows from a query without any cooperation filter", async () => {
    expect(await countPatients([myPatient, theirPatient])).toBe(2);
    expect(await runInCooperation(mine.cooperationId, () => countPatients([myPatient, theirPatient]))).toBe(1);
    expect(await runInCooperation(theirs.cooperationId, () => countPatients([myPatient, theirPatient]))).toBe(1);
    const joined = await runInCooperation(mine.cooperationId, () =>
      database.db
        .selectFrom('care_relationships as cr')
        .innerJoin('establishments as e', 'e.id', 'cr.establishment_id')
        .select('e.cooperation_id')
        .where('cr.patient_id', 'in', [myPatient, theirPatient])
        .execute(),
    );
    expect(joined.map((r) => r.cooperation_id)).toEqual([mine.cooperationId]);
  });

  it('refuses to write into another cooperation and cannot change its rows, inside a transaction too', async () => {
    const insert = runInCooperation(mine.cooperationId, () =>
      database.db.transaction().execute((trx) =>
        trx
          .insertInto('patients')
          .values({
            id: randomUUID(),
            cooperation_id: theirs.cooperationId,
            birth_name: 'INTRUS',
            first_names: 'Jean',
            birth_date: '1970-01-01',
            sex: 'M',
            identity_status: 'provisional',
            search_text: 'intrus jean',
          })
          .execute(),
      ),
    );
    await expect(insert).rejects.toMatchObject({ code: '42501' });
    const updated = await runInCooperation(mine.cooperationId, () =>
      database.db.updateTable('patients').set({ birth_name: 'MODIFIE' }).where('id', '=', theirPatient).execute(),
    );
    expect(Number(updated[0]!.numUpdatedRows)).toBe(0);
    const moved = runInCooperation(mine.cooperationId, () =>
      database.db
        .updateTable('patients')
        .set({ cooperation_id: theirs.cooperationId })
        .where('id', '=', myPatient)
        .execute(),
    );
    await expect(moved).rejects.toMatchObject({ code: '42501' });
    const still = await database.db
      .selectFrom('patients')
      .select(['id', 'birth_name', 'cooperation_id'])
      .where('id', 'in', [myPatient, theirPatient])
      .orderBy('birth_name')
      .execute();
    expect(still).toEqual([
      { id: theirPatient, birth_name: 'AUTRE', cooperation_id: theirs.cooperationId },
      { id: myPatient, birth_name: 'MIENNE', cooperation_id: mine.cooperationId },
    ]);
  });

  it('seals audit events appended inside a scope into that cooperation’s chain', async () => {
    const before = await database.db
      .selectFrom('audit_heads')
      .select('seq')
      .where('cooperation_id', '=', mine.cooperationId)
      .executeTakeFirst();
    await runInCooperation(mine.cooperationId, () =>
      database.db
        .insertInto('audit_events')
        .values({
          cooperation_id: mine.cooperationId,
          id: randomUUID(),
          occurred_at: new Date(),
          actor_user_id: null,
          actor_establishment_id: null,
          actor_label: 'test',
          action: 'test.scoped',
          outcome: 'success',
          details: '{}',
        })
        .execute(),
    );
    const after = await database.db
      .selectFrom('audit_heads')
      .select('seq')
      .where('cooperation_id', '=', mine.cooperationId)
      .executeTakeFirstOrThrow();
    expect(Number(after.seq)).toBe(Number(before?.seq ?? 0) + 1);
  });
});

describe('row-level security on the HTTP stack', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp({ config: testConfig(), database, clock: new ManualClock(new Date()), logging: false });
    // A probe that forgets every filter, as a buggy route would.
    app.get('/api/v1/test-probe/patients', { config: { access: {} } }, async () => {
      const who = await sql<{ role: string }>`select current_user as role`.execute(database.db);
      const seen = await database.db
        .selectFrom('patients')
        .select('id')
        .where('id', 'in', [myPatient, theirPatient])
        .execute();
      return { role: who.rows[0]!.role, ids: seen.map((r) => r.id) };
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it("an authenticated request's queries run in its cooperation: a route without filters still sees only its own", async () => {
    const user = await mine.user('nurse');
    const agent = new Agent(app);
    await agent.login(user.username, TEST_PASSWORD);
    const res = await agent.get('/api/v1/test-probe/patients');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ role: SCOPED_ROLE, ids: [myPatient] });
    // The ordinary routes work inside the wall.
    expect((await agent.get(`/api/v1/patients/${myPatient}`)).statusCode).toBe(200);
    expect((await agent.get(`/api/v1/patients/${theirPatient}`)).statusCode).toBe(404);
  });
});
