import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../../test/app.js';
import {
  createCustomer,
  createStaff,
  randomVin,
  seedMarkets,
  TEST_PASSWORD,
} from '../../../test/factories.js';
import { insertCase, insertMessage } from './search.fixtures.js';
import { searchLimits } from './search.sql.js';

let t: TestApp;
let app: FastifyInstance;
let agent: Session;
let agentId: string;
let customerId: string;

beforeAll(async () => {
  t = await buildTestApp();
  app = t.app;
  await seedMarkets(t.db);
  const user = await createStaff(t.db, { roles: ['agent'], markets: ['DE', 'AT'] });
  agentId = user.id;
  agent = await login(t.app, user.email, TEST_PASSWORD);
  customerId = (await createCustomer(t.db, { market: 'DE' })).id;
});
afterAll(async () => {
  if (app !== t.app) await app.close();
  await t.close();
});

async function numbers(query: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/api/cases/search?${query}`,
    headers: { cookie: agent.cookie },
  });
  expect(response.statusCode).toBe(200);
  return response.json().items.map((item: { case: { number: string } }) => item.case.number) as string[];
}

async function caseWith(body: string, options: Omit<Parameters<typeof insertCase>[1], 'customerId'> = {}) {
  const created = await insertCase(t, { customerId, ...options });
  await insertMessage(t, created.id, body);
  return created.number;
}

async function vehicleOfModel(model: string) {
  const vin = randomVin();
  const row = await t.db
    .insertInto('vehicles')
    .values({ vin, model, model_year: 2025, market: 'DE' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('filters', () => {
  it('status may repeat', async () => {
    const open = await caseWith('Sitzheizung links aus', { status: 'open' });
    const fresh = await caseWith('Sitzheizung rechts aus', { status: 'new' });
    await caseWith('Sitzheizung hinten aus', { status: 'closed' });
    expect((await numbers('q=Sitzheizung&status=open&status=new')).sort()).toEqual([open, fresh].sort());
    expect(await numbers('q=Sitzheizung&status=new')).toEqual([fresh]);
  });

  it('market narrows within the markets the searcher covers', async () => {
    const at = await caseWith('Lenkradheizung ohne Funktion', { market: 'AT' });
    const de = await caseWith('Lenkradheizung ohne Funktion', { market: 'DE' });
    expect(await numbers('q=Lenkradheizung&market=AT')).toEqual([at]);
    expect((await numbers('q=Lenkradheizung')).sort()).toEqual([at, de].sort());
  });

  it('assigneeId, from and to (created_at, to exclusive)', async () => {
    const mine = await caseWith('Anhängerkupplung klappert', {
      assigneeId: agentId,
      createdAt: '2025-03-10T10:00:00Z',
    });
    const march = await caseWith('Anhängerkupplung klappert', { createdAt: '2025-03-20T10:00:00Z' });
    await caseWith('Anhängerkupplung klappert', { createdAt: '2025-04-01T00:00:00Z' });
    expect(await numbers(`q=Anhängerkupplung&assigneeId=${agentId}`)).toEqual([mine]);
    expect(await numbers('q=Anhängerkupplung&from=2025-03-15T00:00:00Z&to=2025-04-01T00:00:00Z')).toEqual([
      march,
    ]);
  });

  it('model finds cases about vehicles of that model', async () => {
    const fjord = await caseWith('Ambientebeleuchtung flackert', {
      vehicleId: await vehicleOfModel('Fjord'),
    });
    await caseWith('Ambientebeleuchtung flackert', { vehicleId: await vehicleOfModel('Aurora') });
    await caseWith('Ambientebeleuchtung flackert');
    expect(await numbers('q=Ambientebeleuchtung&model=fjord')).toEqual([fjord]);
    expect(await numbers('q=Ambientebeleuchtung&model=Unbekannt')).toEqual([]);
  });
});

describe('query syntax', () => {
  it('"a phrase" needs the words in order; without quotes any order matches', async () => {
    const phrase = await caseWith('Ladekabel defekt seit Montag');
    const scattered = await caseWith('Defekt ist nur das Ladekabel, sagt die Werkstatt');
    expect(await numbers(`q=${encodeURIComponent('"Ladekabel defekt"')}`)).toEqual([phrase]);
    expect((await numbers('q=Ladekabel%20defekt')).sort()).toEqual([phrase, scattered].sort());
  });

  it('OR and -exclusion', async () => {
    const tyres = await caseWith('Reifen abgefahren');
    const rims = await caseWith('Felgen verkratzt');
    const winter = await caseWith('Winter Reifen fehlen');
    expect((await numbers('q=Reifen%20OR%20Felgen')).sort()).toEqual([tyres, rims, winter].sort());
    expect((await numbers('q=Reifen%20-Winter')).sort()).toEqual([tyres].sort());
  });

  it('a phrase also finds subjects (their words in any order)', async () => {
    const subject = await caseWith('Bitte melden', { subject: 'Schiebedach undicht' });
    expect(await numbers(`q=${encodeURIComponent('"Schiebedach undicht"')}`)).toEqual([subject]);
  });
});

describe('paging and both ways of finding candidates', () => {
  afterEach(() => {
    searchLimits.indexMaxMatches = 3_000;
  });

  it('pages through every hit once; total counts them', async () => {
    const all: string[] = [];
    for (let i = 0; i < 5; i++) all.push(await caseWith(`Kennzeichenbeleuchtung Nummer ${i}`));
    const seen: string[] = [];
    for (const offset of [0, 2, 4]) {
      const response = await app.inject({
        method: 'GET',
        url: `/api/cases/search?q=Kennzeichenbeleuchtung&limit=2&offset=${offset}`,
        headers: { cookie: agent.cookie },
      });
      expect(response.json().total).toBe(5);
      seen.push(...response.json().items.map((item: { case: { number: string } }) => item.case.number));
    }
    expect(seen.sort()).toEqual(all.sort());
  });

  it('walking the newest messages finds what the index finds, and says the search was cut', async () => {
    const older = await caseWith('Tempomat schaltet ab', { createdAt: '2026-01-01T00:00:00Z' });
    const newer = await caseWith('Tempomat reagiert nicht', { createdAt: '2026-02-01T00:00:00Z' });
    const byIndex = await numbers('q=Tempomat');
    searchLimits.indexMaxMatches = -1;
    const response = await app.inject({
      method: 'GET',
      url: '/api/cases/search?q=Tempomat',
      headers: { cookie: agent.cookie },
    });
    expect(response.json().items.map((item: { case: { number: string } }) => item.case.number)).toEqual(
      byIndex,
    );
    expect(byIndex.sort()).toEqual([older, newer].sort());
    expect(response.json().truncated).toBe(true);
  });
});
