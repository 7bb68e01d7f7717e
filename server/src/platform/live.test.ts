// Live updates across two server processes on one database: both deliver every event,
// and each subscriber receives only what it may see.
import http from 'node:http';
import net from 'node:net';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../test/app.js';
import { createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../test/factories.js';
import { until } from '../test/until.js';
import { LiveHub, mayReceive } from './live.js';

let first: TestApp;
let second: TestApp;
let firstUrl: string;
let secondUrl: string;

beforeAll(async () => {
  first = await buildTestApp();
  second = await buildTestApp({ database: first.database });
  await seedMarkets(first.db);
  firstUrl = await first.app.listen({ port: 0, host: '127.0.0.1' });
  secondUrl = await second.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await second.close();
  await first.close();
});

interface Stream {
  events: Array<{ event: string; data: Record<string, unknown> }>;
  close(): void;
  waitFor(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function openStream(baseUrl: string, session: Session): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const events: Stream['events'] = [];
    const request = http.get(`${baseUrl}/api/live`, { headers: { cookie: session.cookie } }, (response) => {
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) {
            events.push({ event, data: JSON.parse(data) });
            if (event === 'ready') resolve(stream);
          }
          end = buffer.indexOf('\n\n');
        }
      });
    });
    request.on('error', reject);
    const stream: Stream = {
      events,
      close: () => request.destroy(),
      waitFor: async (type, timeoutMs = 3000) => {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          const found = events.find((e) => e.event === type);
          if (found) return found.data;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error(`no ${type} event within ${timeoutMs} ms`);
      },
    };
  });
}

describe('live updates over server-sent events', () => {
  it('both processes deliver a change to the staff and owner allowed to see it, and to nobody else', async () => {
    const owner = await createCustomer(first.db, { market: 'DE' });
    const otherOwner = await createCustomer(first.db, { market: 'DE' });
    const agentDe = await createStaff(first.db, { roles: ['agent'], markets: ['DE'] });
    const agentUk = await createStaff(first.db, { roles: ['agent'], markets: ['UK'] });

    const agentDeOnSecond = await openStream(
      secondUrl,
      await login(second.app, agentDe.email, TEST_PASSWORD),
    );
    const agentDeOnFirst = await openStream(firstUrl, await login(first.app, agentDe.email, TEST_PASSWORD));
    const agentUkStream = await openStream(secondUrl, await login(second.app, agentUk.email, TEST_PASSWORD));
    const ownerStream = await openStream(secondUrl, await login(second.app, owner.email, owner.password));
    const otherOwnerStream = await openStream(
      firstUrl,
      await login(first.app, otherOwner.email, otherOwner.password),
    );

    const editor = await login(first.app, agentDe.email, TEST_PASSWORD);
    const started = Date.now();
    const response = await editor.request('PATCH', `/api/customers/${owner.id}`, {
      phones: ['+49 30 1234567'],
    });
    expect(response.statusCode).toBe(200);

    const seen = await agentDeOnSecond.waitFor('customer.updated');
    expect(seen).toMatchObject({ entityType: 'customer', entityId: owner.id });
    expect(seen).not.toHaveProperty('audience');
    await agentDeOnFirst.waitFor('customer.updated');
    await ownerStream.waitFor('customer.updated');
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 300));
    expect(agentUkStream.events.map((e) => e.event)).toEqual(['ready']);
    expect(otherOwnerStream.events.map((e) => e.event)).toEqual(['ready']);
    for (const s of [agentDeOnSecond, agentDeOnFirst, agentUkStream, ownerStream, otherOwnerStream])
      s.close();
  });

  it('anonymous callers cannot subscribe', async () => {
    const response = await first.app.inject({ method: 'GET', url: '/api/live' });
    expect(response.statusCode).toBe(401);
  });

  it('audience rules: customers by id, staff by market or all markets', () => {
    expect(mayReceive({ kind: 'customer', customerId: 'a' }, { customerIds: ['a'], markets: ['DE'] })).toBe(
      true,
    );
    expect(mayReceive({ kind: 'customer', customerId: 'b' }, { customerIds: ['a'], allStaff: true })).toBe(
      false,
    );
    expect(mayReceive({ kind: 'staff', markets: ['AT'] }, { markets: ['DE'] })).toBe(false);
    expect(mayReceive({ kind: 'staff', allMarkets: true, markets: [] }, { markets: ['DE'] })).toBe(true);
    expect(mayReceive({ kind: 'staff', markets: ['AT'] }, { allStaff: true })).toBe(true);
    // Notices for one person (notifications) reach that user only, staff or customer.
    expect(mayReceive({ kind: 'staff', userId: 'u1', markets: ['DE'] }, { userIds: ['u1'] })).toBe(true);
    expect(mayReceive({ kind: 'staff', userId: 'u2', allMarkets: true }, { userIds: ['u1'] })).toBe(false);
    expect(mayReceive({ kind: 'customer', userId: 'u3', customerId: 'a' }, { userIds: ['u3'] })).toBe(true);
    expect(mayReceive({ kind: 'customer', userId: 'u4', customerId: 'a' }, { userIds: ['u3'] })).toBe(false);
    expect(mayReceive({ kind: 'token' }, { userIds: ['u1'] })).toBe(false);
  });
});

describe('the listening connection', () => {
  it('comes back after the database was unreachable for longer than one retry, and hears notices again', async () => {
    // The hub reaches the database through a proxy that can refuse connections: an outage.
    const target = new URL(first.database.url);
    let accepting = true;
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((socket) => {
      if (!accepting) return socket.destroy();
      const socketDir = target.searchParams.get('host');
      const port = Number(target.port || 5432);
      const upstream = socketDir?.startsWith('/')
        ? net.connect(`${socketDir}/.s.PGSQL.${port}`)
        : net.connect(port, target.hostname);
      for (const [from, to] of [
        [socket, upstream],
        [upstream, socket],
      ] as const) {
        sockets.add(from);
        from.pipe(to);
        from.on('error', () => to.destroy());
        from.on('close', () => to.destroy());
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const viaProxy = new URL(first.database.url);
    viaProxy.searchParams.delete('host');
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String((proxy.address() as net.AddressInfo).port);
    const hub = new LiveHub(viaProxy.toString(), pino({ level: 'silent' }));
    try {
      await hub.start();
      const generation = hub.connectionGeneration;
      accepting = false;
      for (const socket of sockets) socket.destroy();
      await until(async () => !hub.isListening());
      // The first attempt (after 1 s) is refused; the hub must keep trying.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(hub.isListening()).toBe(false);
      accepting = true;
      await until(async () => hub.isListening(), 10_000);
      expect(hub.connectionGeneration).toBe(generation + 1);
      const heard: string[] = [];
      await hub.onChannel('pitwall_live_test', (payload) => heard.push(payload));
      await sql`SELECT pg_notify('pitwall_live_test', 'back')`.execute(first.db);
      await until(async () => heard.includes('back'));
    } finally {
      await hub.stop();
      proxy.close();
    }
  });
});
