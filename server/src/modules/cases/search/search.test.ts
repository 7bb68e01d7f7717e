import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../../test/app.js';
import {
  addVehicle,
  createCustomer,
  createStaff,
  seedMarkets,
  TEST_PASSWORD,
} from '../../../test/factories.js';
import { insertCase, insertMessage } from './search.fixtures.js';

let t: TestApp;
let app: FastifyInstance;
let agentDe: Session;
let admin: Session;
let customerDe: { id: string; email: string; password: string };

beforeAll(async () => {
  t = await buildTestApp();
  app = t.app;
  await seedMarkets(t.db);
  const agent = await createStaff(t.db, { roles: ['agent'], markets: ['DE'] });
  agentDe = await login(t.app, agent.email, TEST_PASSWORD);
  const adminUser = await createStaff(t.db, { roles: ['admin'], markets: ['DE'] });
  admin = await login(t.app, adminUser.email, TEST_PASSWORD);
  customerDe = await createCustomer(t.db, { market: 'DE' });
});
afterAll(async () => {
  if (app !== t.app) await app.close();
  await t.close();
});

async function search(session: Session, query: string) {
  return app.inject({
    method: 'GET',
    url: `/api/cases/search?${query}`,
    headers: { cookie: session.cookie },
  });
}
const q = (text: string) => `q=${encodeURIComponent(text)}`;
const numbersOf = (response: { json(): { items: { case: { number: string } }[] } }) =>
  response.json().items.map((item) => item.case.number);

async function caseWith(body: string, options: Parameters<typeof insertCase>[1] | object = {}) {
  const created = await insertCase(t, { customerId: customerDe.id, ...options });
  await insertMessage(t, created.id, body);
  return created;
}

describe('stemming', () => {
  it('German: "Batterien" finds "Batterie" and "Batterie" finds "Batterien"', async () => {
    const singular = await caseWith('Die Batterie meines Autos ist nach einer Nacht leer.');
    const plural = await caseWith('Beide Batterien wurden gestern getauscht.');
    expect(numbersOf(await search(agentDe, q('Batterien')))).toEqual(
      expect.arrayContaining([singular.number, plural.number]),
    );
    expect(numbersOf(await search(agentDe, q('Batterie')))).toEqual(
      expect.arrayContaining([singular.number, plural.number]),
    );
  });

  it('English: "charging" finds "charge" and "charge" finds "charging"', async () => {
    const charge = await caseWith('The car will not charge at the wallbox.', { language: 'en' });
    const charging = await caseWith('Charging stopped after ten minutes.', { language: 'en' });
    expect(numbersOf(await search(agentDe, q('charging')))).toEqual(
      expect.arrayContaining([charge.number, charging.number]),
    );
    expect(numbersOf(await search(agentDe, q('charge')))).toEqual(
      expect.arrayContaining([charge.number, charging.number]),
    );
  });

  it('a German query on English text answers 200 (and the other way round)', async () => {
    await caseWith('The tailgate squeaks when opening.', { language: 'en' });
    for (const text of ['Heckklappe quietscht', 'Kofferraumklappe', 'tailgate öffnen']) {
      expect((await search(agentDe, q(text))).statusCode).toBe(200);
    }
  });
});

describe('ranking and snippets', () => {
  it('ranks denser matches first and, at equal rank, the newer case first; one hit per case', async () => {
    const dense = await caseWith('Spiegelheizung kaputt. Die Spiegelheizung geht nicht, Spiegelheizung tot.');
    const older = await caseWith('Die Spiegelheizung ist ausgefallen.');
    const newer = await caseWith('Die Spiegelheizung ist ausgefallen.');
    await insertMessage(t, newer.id, 'Nachtrag: Spiegelheizung weiterhin aus.');
    const response = await search(agentDe, q('Spiegelheizung'));
    expect(numbersOf(response)).toEqual([dense.number, newer.number, older.number]);
    const ranks = response.json().items.map((item: { rank: number }) => item.rank);
    expect(ranks[0]).toBeGreaterThan(ranks[1]);
    expect(ranks.every((rank: number) => rank > 0 && rank < 1)).toBe(true);
    expect(response.json().total).toBe(3);
  });

  it('snippets mark the words and escape everything else the customer wrote', async () => {
    await caseWith('<script>alert("x")</script> Mein Wischwasser & <b>Scheibenwischer</b> frieren ein.');
    const [hit] = (await search(agentDe, q('Scheibenwischer'))).json().items;
    expect(hit.snippet).toContain('&lt;b&gt;<mark>Scheibenwischer</mark>&lt;/b&gt;');
    expect(hit.snippet).toContain('alert(&quot;x&quot;)&lt;/script&gt;');
    expect(hit.snippet).toContain(' &amp; ');
    expect(hit.snippet.replaceAll('<mark>', '').replaceAll('</mark>', '')).not.toMatch(/[<>]/);
  });

  it('internal notes are searched for staff', async () => {
    const { id, number } = await insertCase(t, { customerId: customerDe.id });
    await insertMessage(t, id, 'Kulanzfreigabe Kotflügel durch Teamleitung', { note: true });
    expect(numbersOf(await search(agentDe, q('Kotflügel')))).toEqual([number]);
  });

  it('subjects are searched, with stemming and as a snippet when no message matches', async () => {
    const { number } = await caseWith('Bitte um Rückruf.', { subject: 'Türgriffe klemmen' });
    const [hit] = (await search(agentDe, q('Türgriff'))).json().items;
    expect(hit.case.number).toBe(number);
    expect(hit.snippet).toBe('<mark>Türgriffe</mark> klemmen');
  });
});

describe('who finds what', () => {
  it('an agent of DE does not find UK cases; an admin finds both; merged cases are never hits', async () => {
    const customerUk = await createCustomer(t.db, { market: 'UK' });
    const de = await caseWith('Rückfahrkamera zeigt nichts');
    const uk = await insertCase(t, { customerId: customerUk.id, market: 'UK', language: 'en' });
    await insertMessage(t, uk.id, 'Rückfahrkamera broken');
    const merged = await caseWith('Rückfahrkamera defekt', { mergedIntoId: de.id });
    expect(numbersOf(await search(agentDe, q('Rückfahrkamera')))).toEqual([de.number]);
    const all = numbersOf(await search(admin, q('Rückfahrkamera')));
    expect(all).toEqual(expect.arrayContaining([de.number, uk.number]));
    expect(all).not.toContain(merged.number);
    expect(numbersOf(await search(agentDe, `${q('Rückfahrkamera')}&market=UK`))).toEqual([]);
  });

  it('customers get 403, anonymous callers 401', async () => {
    const session = await login(t.app, customerDe.email, customerDe.password);
    expect((await search(session, q('Batterie'))).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/cases/search?q=Batterie' })).statusCode).toBe(401);
  });
});

describe('direct hits', () => {
  it('a case number finds that case first with rank 1 and its subject as snippet; a merged number its target', async () => {
    const target = await caseWith('Navigationssystem <zeigt> falsche Route', { subject: 'Navi & Route' });
    const merged = await caseWith('Doppelt', { mergedIntoId: target.id });
    const byNumber = (await search(agentDe, q(target.number.toLowerCase()))).json();
    expect(byNumber.items[0]).toMatchObject({
      case: { number: target.number },
      rank: 1,
      snippet: 'Navi &amp; Route',
    });
    expect(numbersOf(await search(agentDe, q(merged.number)))[0]).toBe(target.number);
  });

  it('a VIN finds the cases about that vehicle and of its owner; an email the cases of that customer', async () => {
    const owner = await createCustomer(t.db, { market: 'DE' });
    const vehicle = await addVehicle(t.db, owner.id);
    const aboutVehicle = await insertCase(t, { customerId: customerDe.id, vehicleId: vehicle.id });
    const ofOwner = await insertCase(t, { customerId: owner.id });
    const byVin = (await search(agentDe, q(vehicle.vin.toLowerCase()))).json();
    expect(byVin.items.map((item: { case: { number: string } }) => item.case.number).sort()).toEqual(
      [aboutVehicle.number, ofOwner.number].sort(),
    );
    expect(byVin.items.every((item: { rank: number }) => item.rank === 1)).toBe(true);
    expect(numbersOf(await search(agentDe, q(owner.email.toUpperCase())))).toEqual([ofOwner.number]);
  });

  it('direct hits come before word hits and are not repeated; out-of-scope ones stay hidden', async () => {
    const owner = await createCustomer(t.db, { market: 'DE' });
    const mentioned = await caseWith(`Bitte an ${owner.email} antworten`);
    const own = await insertCase(t, { customerId: owner.id });
    const ukOwner = await createCustomer(t.db, { market: 'UK' });
    await insertCase(t, { customerId: ukOwner.id, market: 'UK' });
    const response = (await search(agentDe, q(owner.email))).json();
    expect(response.items.map((item: { case: { number: string } }) => item.case.number)).toEqual([
      own.number,
      mentioned.number,
    ]);
    expect(response.total).toBe(2);
    expect(numbersOf(await search(agentDe, q(ukOwner.email)))).toEqual([]);
  });
});

describe('odd queries never fail', () => {
  it.each([
    ['"'],
    ['&|!'],
    ['!!!(((('],
    ["'; DROP TABLE cases; --"],
    ['-Batterie'],
    ['   '],
    ['<mark>'],
    ['a'.repeat(500)],
    ['Batterie '.repeat(55).slice(0, 500)],
    ['\u0000Batterie\u0007'],
    ['PW-2026-'],
    ['@'],
  ])('%j answers 200', async (text) => {
    const response = await search(agentDe, q(text));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ items: expect.any(Array), total: expect.any(Number) });
  });

  it('an empty or overlong query is a 400 that names q', async () => {
    for (const text of ['', 'x'.repeat(501)]) {
      const response = await search(agentDe, q(text));
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      expect(response.json().error.details[0].field).toBe('q');
    }
    expect((await search(agentDe, 'status=open')).statusCode).toBe(400);
  });

  it('only exclusions find nothing rather than everything else', async () => {
    await caseWith('Die Bremsen sind gut.');
    for (const text of ['-Bremsen', '-Bremsen -Batterie']) {
      expect((await search(agentDe, q(text))).json()).toMatchObject({ items: [], total: 0 });
    }
  });
});
