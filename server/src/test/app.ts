// Builds a real application against a database of its own for integration tests
// (driven through app.inject or a real port).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildApp } from '../app.js';
import type { Db } from '../platform/database.js';
import { LiveHub } from '../platform/live.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  database: TestDatabase;
  live: LiveHub;
  close(): Promise<void>;
}

export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789';

export async function buildTestApp(options: { database?: TestDatabase } = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const live = new LiveHub(database.url, log);
  await live.start();
  const app = await buildApp({
    db: database.db,
    log,
    live,
    publicUrl: 'http://localhost:3000',
    sessionTtlHours: 12,
    stepUpMinutes: 10,
    secretKey: TEST_SECRET_KEY,
    mail: { from: 'Pitwall <no-reply@pitwall.test>', smtpUrl: null },
    webDistDir: null,
  });
  await app.ready();
  return {
    app,
    db: database.db,
    database,
    live,
    close: async () => {
      await app.close();
      await live.stop();
      if (!options.database) await database.drop();
    },
  };
}

/** A signed-in browser-like client: session cookie plus CSRF header on unsafe methods. */
export interface Session {
  cookie: string;
  csrfToken: string;
  userId: string;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export async function login(app: FastifyInstance, email: string, password: string): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200)
    throw new Error(`login of ${email} failed: ${response.statusCode} ${response.body}`);
  const setCookie = response.cookies.find((c) => c.name === 'pw_session');
  if (!setCookie) throw new Error('no session cookie');
  const cookie = `pw_session=${setCookie.value}`;
  const body = response.json() as { user: { csrfToken: string; id: string } };
  const session: Session = {
    cookie,
    csrfToken: body.user.csrfToken,
    userId: body.user.id,
    request: (method, url, payload, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrfToken }), ...headers },
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
  };
  return session;
}
