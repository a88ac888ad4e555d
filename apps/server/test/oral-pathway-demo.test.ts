import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../src/modules/demo/index.ts';
import { Agent, testApp, type TestApp } from './harness.ts';

/** The demo accounts of the oral pathway's professions see real content out of the box. */

let t: TestApp;
let tag: string;
beforeAll(async () => {
  t = await testApp();
  tag = randomUUID().slice(0, 8);
  await seedDemo(t.database.db, { now: t.clock.now(), patients: 400, slug: `demo-${tag}`, usernameSuffix: `.${tag}` });
}, 120_000);
afterAll(() => t.app.close());

async function as(username: string): Promise<Agent> {
  const agent = new Agent(t.app);
  const res = await agent.login(`${username}.${tag}`, DEMO_PASSWORD);
  expect(res.statusCode, res.body).toBe(200);
  return agent;
}

describe('oral pathway in the demo', () => {
  it('the prescriber’s board shows patients at every stage, and the pharmacist sees the same patients', async () => {
    const board = (await (await as('prescripteur')).get('/api/v1/oral/treatments')).json().items;
    expect(board.length).toBe(6);
    const complete = board.filter((b: { consultations: Record<string, boolean> }) =>
      Object.values(b.consultations).every(Boolean),
    );
    expect(complete.length).toBeGreaterThanOrEqual(3);
    expect(board.some((b: { consultations: Record<string, boolean> }) => !b.consultations.nursing)).toBe(true);
    expect(board.some((b: { openAlerts: number }) => b.openAlerts > 0)).toBe(true);
    const pharmacistBoard = (await (await as('pharmacien')).get('/api/v1/oral/treatments')).json().items;
    expect(pharmacistBoard.map((b: { id: string }) => b.id).sort()).toEqual(
      board.map((b: { id: string }) => b.id).sort(),
    );
  });

  it('the nurse coordinator has calls due or overdue and an open alert; a packet waits in the queue', async () => {
    const coordinator = await as('ide-coordinatrice');
    const worklist = (await coordinator.get('/api/v1/oral/worklist')).json().items;
    expect(worklist.some((c: { overdue: boolean }) => c.overdue)).toBe(true);
    const alerts = (await coordinator.get('/api/v1/oral/alerts')).json().items;
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    const board = (await coordinator.get('/api/v1/oral/treatments')).json().items;
    expect(board.some((b: { packets: { pending: number } }) => b.packets.pending > 0)).toBe(true);
    const directory = (await coordinator.get('/api/v1/oral/community-professionals')).json().items;
    expect(directory.length).toBe(4);
  });

  it('the community GP sees the packets sent to them', async () => {
    const received = (await (await as('medecin-ville')).get('/api/v1/oral/received')).json().items;
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(received.some((r: { interactions: unknown[] }) => r.interactions.length > 0)).toBe(true);
  });
});
