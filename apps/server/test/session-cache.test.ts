import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandlers, Database, Subscription } from '../src/core/db/index.ts';
import { SessionCache } from '../src/core/http/session-cache.ts';
import { Agent, testApp, type TestApp } from './harness.ts';
import { createCooperation, TEST_PASSWORD, type TestCooperation } from './factories.ts';

/**
 * Sessions resolved from memory (core/http/session-cache.ts) stay right: every change to a session, its user
 * or their roles reaches every server, through the announcements of migration 0014. Two app instances on one
 * database stand for two server processes.
 */
let one: TestApp;
let two: TestApp;
let coop: TestCooperation;
beforeAll(async () => {
  one = await testApp();
  two = await testApp({ clock: one.clock });
  coop = await createCooperation(one.database);
});
afterAll(async () => {
  await one.app.close();
  await two.app.close();
});

// Each sign-in from its own address: the sign-in route is rate-limited per address.
let address = 0;
async function signedIn(t: TestApp, role: Parameters<TestCooperation['user']>[0] = 'nurse') {
  const user = await coop.user(role, { establishment: 'a' });
  const agent = new Agent(t.app);
  address += 1;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: user.username, password: TEST_PASSWORD },
    remoteAddress: `10.30.0.${address}`,
  });
  expect(res.statusCode).toBe(200);
  agent.cookie = res.cookies.find((c) => c.name === 'passerelle_session')!.value;
  agent.csrf = res.json().csrfToken;
  return { user, agent };
}

/** The same browser's cookie presented to another server. */
function onServer(t: TestApp, agent: Agent): Agent {
  const other = new Agent(t.app);
  other.cookie = agent.cookie;
  other.csrf = agent.csrf;
  return other;
}

/** Polls until `status` answers `expected` (another server hears of a change within milliseconds). */
async function eventually(status: () => Promise<number>, expected: number): Promise<number> {
  const until = Date.now() + 3000;
  let last = await status();
  while (last !== expected && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    last = await status();
  }
  return last;
}

describe('sessions reused from memory', () => {
  it('are refused at once on the server that signed out, and within moments on the other', async () => {
    const { agent } = await signedIn(one);
    const elsewhere = onServer(two, agent);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await agent.post('/api/v1/auth/logout')).statusCode).toBeLessThan(300);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect(await eventually(async () => (await elsewhere.get('/api/v1/auth/me')).statusCode, 401)).toBe(401);
  });

  it('lose a withdrawn role on the next request, and a disabled account everywhere', async () => {
    const { agent: admin } = await signedIn(one, 'administrator');
    const { user, agent } = await signedIn(one, 'nurse');
    const elsewhere = onServer(two, agent);
    const patient = await coop.patient({ careAt: ['a'] });
    expect((await agent.get(`/api/v1/patients/${patient}`)).statusCode).toBe(200);
    expect((await elsewhere.get(`/api/v1/patients/${patient}`)).statusCode).toBe(200);

    const memberships = (await admin.get(`/api/v1/admin/users/${user.id}`)).json().memberships as { id: string }[];
    const withdrawn = await admin.delete(`/api/v1/admin/users/${user.id}/memberships/${memberships[0]!.id}`);
    expect(withdrawn.statusCode).toBe(204);
    // Without a role at the establishment, the nurse may no longer read patients.
    expect((await agent.get(`/api/v1/patients/${patient}`)).statusCode).toBe(403);
    expect(await eventually(async () => (await elsewhere.get(`/api/v1/patients/${patient}`)).statusCode, 403)).toBe(
      403,
    );

    // A manual fix in SQL, not through the API: the database still tells every server.
    await one.database.db.updateTable('users').set({ disabled: true }).where('id', '=', user.id).execute();
    for (const browser of [agent, elsewhere]) {
      expect(await eventually(async () => (await browser.get('/api/v1/auth/me')).statusCode, 401)).toBe(401);
    }
  });

  it('follow an establishment switch at once', async () => {
    const { user, agent } = await signedIn(one, 'pharmacist');
    await one.database.db
      .insertInto('memberships')
      .values({
        id: crypto.randomUUID(),
        cooperation_id: coop.cooperationId,
        user_id: user.id,
        establishment_id: coop.establishments.b,
        role: 'prescriber',
        unit_id: null,
      })
      .execute();
    expect((await agent.get('/api/v1/auth/me')).json().establishmentId).toBe(coop.establishments.a);
    const switched = await agent.post('/api/v1/auth/establishment', { establishmentId: coop.establishments.b });
    expect(switched.statusCode).toBe(200);
    const me = (await agent.get('/api/v1/auth/me')).json();
    expect(me.establishmentId).toBe(coop.establishments.b);
    expect(me.roles).toEqual(['prescriber']);
  });

  it('are reused from memory for at most the cache age when a change escapes the announcements', async () => {
    const { user, agent } = await signedIn(one);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(200);
    // Delete the session with the triggers off (as only a superuser can): nothing is announced.
    await one.database.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    });
    // The cached session still answers — this is what the cache saves: the lookup…
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(200);
    // …for PASSERELLE_SESSION_CACHE_SECONDS at most; writes always read the session afresh.
    expect((await agent.post('/api/v1/auth/logout')).statusCode).toBe(401);
    one.clock.advance(one.config.sessionCacheSeconds * 1000 + 1);
    try {
      expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(401);
    } finally {
      one.clock.advance(-(one.config.sessionCacheSeconds * 1000 + 1));
    }
  });

  it('still end at the idle limit and at expiry, checked against the clock on every request', async () => {
    const { agent } = await signedIn(one);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(200);
    one.clock.advance((one.config.sessionIdleMinutes + 1) * 60_000);
    try {
      expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(401);
    } finally {
      one.clock.advance(-(one.config.sessionIdleMinutes + 1) * 60_000);
    }
    // Ended for good: the row is gone, not merely hidden from the cache.
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(401);
  });
});

/** A stand-in database whose announcements the test sends by hand. */
function fakeDatabase() {
  let handlers: ChannelHandlers | undefined;
  const database = {
    listen: async (_channel: string, h: ChannelHandlers): Promise<Subscription> => {
      handlers = h;
      h.connected?.(true);
      return { settle: async () => {}, close: async () => h.connected?.(false) };
    },
  } as unknown as Database;
  return {
    database,
    announce: (payload: string) => handlers!.message(payload),
    connected: (up: boolean) => handlers!.connected?.(up),
  };
}

describe('the session cache itself', () => {
  it('drops what is announced, per session, per user or all', async () => {
    const fake = fakeDatabase();
    const cache = new SessionCache<string>({ ttlMs: 30_000 });
    await cache.start(fake.database);
    const put = (id: string, user: string) => cache.put(id, user, `row ${id}`, cache.begin(), 0);
    put('s1', 'u1');
    put('s2', 'u1');
    put('s3', 'u2');
    expect([cache.get('s1', 1), cache.get('s2', 1), cache.get('s3', 1)]).toEqual(['row s1', 'row s2', 'row s3']);
    fake.announce('s:s1');
    expect(cache.get('s1', 1)).toBeUndefined();
    expect(cache.get('s2', 1)).toBe('row s2');
    fake.announce('u:u1');
    expect(cache.get('s2', 1)).toBeUndefined();
    expect(cache.get('s3', 1)).toBe('row s3');
    fake.announce('*');
    expect(cache.get('s3', 1)).toBeUndefined();
  });

  it('keeps no row read while an announcement arrived, nothing while not listening, nothing past its age', async () => {
    const fake = fakeDatabase();
    const cache = new SessionCache<string>({ ttlMs: 30_000, maxEntries: 2 });
    await cache.start(fake.database);
    const token = cache.begin();
    fake.announce('u:someone-else');
    cache.put('s1', 'u1', 'stale', token, 0);
    expect(cache.get('s1', 1)).toBeUndefined();

    cache.put('s1', 'u1', 'fresh', cache.begin(), 0);
    expect(cache.get('s1', 30_000)).toBe('fresh');
    expect(cache.get('s1', 30_001)).toBeUndefined();

    cache.put('s1', 'u1', 'row', cache.begin(), 0);
    fake.connected(false);
    expect(cache.get('s1', 1)).toBeUndefined();
    cache.put('s1', 'u1', 'row', cache.begin(), 0);
    expect(cache.get('s1', 1)).toBeUndefined();
    fake.connected(true);
    expect(cache.get('s1', 1)).toBeUndefined();

    for (const id of ['a', 'b', 'c']) cache.put(id, 'u', id, cache.begin(), 0);
    expect([cache.get('a', 1), cache.get('b', 1), cache.get('c', 1)]).toEqual([undefined, 'b', 'c']);
  });

  it('is off at 0 seconds', async () => {
    const fake = fakeDatabase();
    const cache = new SessionCache<string>({ ttlMs: 0 });
    await cache.start(fake.database);
    cache.put('s1', 'u1', 'row', cache.begin(), 0);
    expect(cache.get('s1', 0)).toBeUndefined();
  });
});
