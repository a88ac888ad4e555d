import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../../src/core/access.ts';
import { Agent, type TestApp } from '../harness.ts';
import { TEST_PASSWORD, type TestCooperation } from '../factories.ts';

/** A signed-in user of a test cooperation: their agent (cookie and CSRF token) and their id. */
export interface Actor {
  agent: Agent;
  id: string;
}

let address = 0;
/** Logins and re-authentications are rate limited per address: each comes from its own. */
const nextAddress = () => `10.61.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

/** Creates a user with `roles` at establishment `a` or `b` (optionally restricted to a unit) and signs them in. */
export async function signIn(
  t: TestApp,
  coop: TestCooperation,
  roles: Role[] | Role,
  establishment: 'a' | 'b' = 'a',
  options: { unitId?: string } = {},
): Promise<Actor> {
  const user = await coop.user(roles, { establishment, ...(options.unitId ? { unitId: options.unitId } : {}) });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: user.username, password: TEST_PASSWORD },
    remoteAddress: nextAddress(),
  });
  expect(res.statusCode, res.body).toBe(200);
  const agent = new Agent(t.app);
  agent.cookie = res.cookies.find((c) => c.name === 'passerelle_session')!.value;
  agent.csrf = res.json().csrfToken;
  return { agent, id: user.id };
}

/** Re-enters the password, as signing and validating require. */
export async function reauthenticate(t: TestApp, actor: Actor): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/reauthenticate',
    payload: { password: TEST_PASSWORD },
    cookies: { passerelle_session: actor.agent.cookie! },
    headers: { 'x-csrf-token': actor.agent.csrf! },
    remoteAddress: nextAddress(),
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A problem+json answer with this status and stable code; returns the problem. */
export function expectCode(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json().code, res.body).toBe(code);
  return res.json();
}
