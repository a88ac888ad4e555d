import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './harness.ts';
import { compoundingWorld, type Actor, type CompoundingWorld } from './compounding-support.ts';

/*
 * The live board over a real socket: a browser's EventSource on server 1 receives the state changes made
 * through server 2 (another process in production), carried by PostgreSQL LISTEN/NOTIFY at commit.
 */

let listening: TestApp;
let other: TestApp;
let w: CompoundingWorld;
let technician: Actor;
let port: number;

beforeAll(async () => {
  // Each server listens with its own session to the database the tests use (DATABASE_URL, as main.ts does).
  const config = { databaseUrl: process.env.DATABASE_URL };
  listening = await testApp({ config });
  other = await testApp({ config });
  w = await compoundingWorld(other);
  technician = await w.signIn('pharmacy_technician', 'a');
  await listening.app.listen({ port: 0, host: '127.0.0.1' });
  port = (listening.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await listening.app.close();
  await other.app.close();
});

/** Opens the event stream as a browser would (session cookie), collecting what arrives. */
function openStream(cookie: string | undefined) {
  const chunks: string[] = [];
  let response: http.IncomingMessage | undefined;
  const request = http.get({
    host: '127.0.0.1',
    port,
    path: '/api/v1/pharmacy/compounding/board/events',
    headers: { accept: 'text/event-stream', ...(cookie ? { cookie: `passerelle_session=${cookie}` } : {}) },
  });
  const opened = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => chunks.push(chunk));
      resolve(res);
    });
    request.on('error', reject);
  });
  const waitFor = async (predicate: (text: string) => boolean, timeoutMs = 5000) => {
    const started = Date.now();
    while (!predicate(chunks.join(''))) {
      if (Date.now() - started > timeoutMs) throw new Error(`no matching event in: ${chunks.join('')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return chunks.join('');
  };
  return { opened, waitFor, close: () => (response?.destroy(), request.destroy()) };
}

describe('GET /pharmacy/compounding/board/events', () => {
  it('streams each state change made by any server process, as server-sent events', async () => {
    const { preparations } = await w.readyPreparations({ regimen: 'DOCE75', at: 'b' });
    const id = preparations[0]!.id;
    const stream = openStream(technician.agent.cookie);
    const res = await stream.opened;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    await stream.waitFor((text) => text.includes(': connected'));

    // The change goes through the other server; the listening one relays it.
    const started = await technician.agent.post(`/api/v1/pharmacy/compounding/preparations/${id}/start`, {
      isolatorId: w.isolatorId,
    });
    expect(started.statusCode, started.body).toBe(200);
    const text = await stream.waitFor((t) => t.includes(id));
    const event = text.split('\n\n').find((block) => block.includes('event: preparation') && block.includes(id))!;
    const data = JSON.parse(
      event
        .split('\n')
        .find((l) => l.startsWith('data: '))!
        .slice(6),
    );
    expect(data).toMatchObject({ preparationId: id, from: 'ready_to_compound', to: 'in_compounding' });
    expect(Date.parse(data.at)).not.toBeNaN();
    stream.close();
  });

  it('sends nothing of another cooperation, and refuses an anonymous or unauthorised caller', async () => {
    const elsewhere = await compoundingWorld(other);
    const stranger = await elsewhere.signIn('pharmacy_technician', 'a');
    const stream = openStream(stranger.agent.cookie);
    await stream.opened;
    await stream.waitFor((text) => text.includes(': connected'));
    const { preparations } = await w.readyPreparations({ regimen: 'DOCE75', at: 'a' });
    const start = await technician.agent.post(
      `/api/v1/pharmacy/compounding/preparations/${preparations[0]!.id}/start`,
      { isolatorId: w.isolatorId },
    );
    expect(start.statusCode, start.body).toBe(200);
    // A control stream of the right cooperation sees it; the stranger's never does.
    const control = openStream(technician.agent.cookie);
    await control.opened;
    await control.waitFor((text) => text.includes(': connected'));
    const second = await w.readyPreparations({ regimen: 'DOCE75', at: 'a' });
    await technician.agent.post(`/api/v1/pharmacy/compounding/preparations/${second.preparations[0]!.id}/start`, {
      isolatorId: w.isolatorId,
    });
    await control.waitFor((text) => text.includes(second.preparations[0]!.id));
    await expect(stream.waitFor((text) => text.includes('event: preparation'), 300)).rejects.toThrow();
    stream.close();
    control.close();

    const anonymous = openStream(undefined);
    expect((await anonymous.opened).statusCode).toBe(401);
    anonymous.close();
    const nurse = await w.signIn('nurse', 'a');
    const refused = openStream(nurse.agent.cookie);
    expect((await refused.opened).statusCode).toBe(403);
    refused.close();
  });
});
