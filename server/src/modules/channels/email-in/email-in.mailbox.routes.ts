// Admin routes for the addresses Pitwall receives mail for (SMTP) and the IMAP mailboxes it
// polls. Registered under /api/channels. Credentials are write-only: no answer and no audit
// entry carries a password, sealed or not; changing them needs a step-up.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { decryptSecret } from '../../../platform/crypto.js';
import type { Db } from '../../../platform/database.js';
import { errorResponses } from '../../../platform/http.js';
import { translator } from '../../../platform/i18n.js';
import { testImapConnection } from './email-in.imap-test.js';
import {
  changeConnection,
  createImapMailbox,
  createSmtpMailbox,
  listMailboxes,
  storedImapSettings,
  updateMailbox,
} from './email-in.mailbox-admin.js';

const manage = { allow: ['staff', 'token'], permission: 'email:manage' } as const;
const manageCredentials = { ...manage, stepUp: true } as const;

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Language = Type.Union([Type.Literal('de'), Type.Literal('en')]);
const Market = Type.String({ pattern: '^[A-Z]{2}$', description: 'A market code, e.g. DE' });
const Address = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
const Host = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?$',
  description: 'Host name or IP address of the IMAP server',
});
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const User = Type.String({ minLength: 1, maxLength: 320 });
const Password = Type.String({ minLength: 1, maxLength: 1000, writeOnly: true });
const Folder = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\r\\n\\x00]+$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Mailbox = Type.Object(
  {
    id: Type.String(),
    address: Type.String(),
    market: Type.String(),
    language: Language,
    kind: Type.Union([Type.Literal('smtp'), Type.Literal('imap')]),
    enabled: Type.Boolean(),
    imap: Nullable(
      Type.Object({
        host: Type.String(),
        port: Type.Integer(),
        secure: Type.Boolean(),
        user: Type.String(),
        folder: Type.String(),
      }),
    ),
    uidValidity: Nullable(Type.Integer()),
    lastUid: Type.Integer(),
    lastPolledAt: Nullable(Type.String({ format: 'date-time' })),
    lastPollError: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
const NewSmtp = Type.Object(
  { address: Address, market: Market, language: Language },
  { additionalProperties: false },
);
const NewImap = Type.Object(
  {
    address: Address,
    market: Market,
    language: Language,
    host: Host,
    port: Port,
    secure: Type.Boolean(),
    user: User,
    password: Password,
    folder: Type.Optional(Folder),
  },
  { additionalProperties: false },
);
const Change = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    market: Type.Optional(Market),
    language: Type.Optional(Language),
    folder: Type.Optional(Folder),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ConnectionChange = Type.Object(
  {
    host: Type.Optional(Host),
    port: Type.Optional(Port),
    secure: Type.Optional(Type.Boolean()),
    user: Type.Optional(User),
    password: Type.Optional(Password),
  },
  { additionalProperties: false, minProperties: 1 },
);
const TestSettings = Type.Object(
  {
    host: Host,
    port: Port,
    secure: Type.Boolean(),
    user: User,
    password: Password,
    folder: Type.Optional(Folder),
  },
  { additionalProperties: false },
);
const TestResult = Type.Object({
  ok: Type.Boolean(),
  code: Type.String(),
  message: Type.String(),
  messages: Type.Optional(Type.Integer()),
});

export interface MailboxRouteDeps {
  db: Db;
  secretKey: string;
}

export function mailboxRoutes({ db, secretKey }: MailboxRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/mailboxes',
      {
        config: { rule: manage },
        schema: {
          tags: ['channels'],
          summary: 'Every address Pitwall receives for (SMTP) and IMAP mailbox it polls, with poll status',
          response: { 200: Type.Object({ items: Type.Array(Mailbox) }), ...errorResponses(401, 403) },
        },
      },
      async () => ({ items: await listMailboxes(db) }),
    );

    app.post(
      '/mailboxes/smtp',
      {
        config: { rule: manage },
        schema: {
          tags: ['channels'],
          summary: 'Receive mail for a new address over the built-in SMTP receiver; audited',
          body: NewSmtp,
          response: { 201: Mailbox, ...errorResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createSmtpMailbox(db, request.context, request.body)),
    );

    app.post(
      '/mailboxes/imap',
      {
        config: { rule: manageCredentials },
        schema: {
          tags: ['channels'],
          summary: 'Poll a new IMAP mailbox (every server process starts at once); needs a step-up; audited',
          body: NewImap,
          response: { 201: Mailbox, ...errorResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createImapMailbox(db, request.context, secretKey, request.body)),
    );

    app.patch(
      '/mailboxes/:id',
      {
        config: { rule: manage },
        schema: {
          tags: ['channels'],
          summary: 'Enable or disable a mailbox, change its market, language or IMAP folder; audited',
          params: IdParams,
          body: Change,
          response: { 200: Mailbox, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => updateMailbox(db, request.context, request.params.id, request.body),
    );

    app.patch(
      '/mailboxes/:id/connection',
      {
        config: { rule: manageCredentials },
        schema: {
          tags: ['channels'],
          summary: 'Change the IMAP host, port, TLS, user or password; needs a step-up; audited',
          params: IdParams,
          body: ConnectionChange,
          response: { 200: Mailbox, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => changeConnection(db, request.context, secretKey, request.params.id, request.body),
    );

    app.post(
      '/mailboxes/test',
      {
        config: { rule: manage },
        schema: {
          tags: ['channels'],
          summary: 'Log in to an IMAP server and open the folder with the given settings; stores nothing',
          body: TestSettings,
          response: { 200: TestResult, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => testImapConnection(request.body, request.language),
    );

    app.post(
      '/mailboxes/:id/test',
      {
        config: { rule: manage },
        schema: {
          tags: ['channels'],
          summary: "Log in with a mailbox's stored IMAP settings and open its folder",
          params: IdParams,
          response: { 200: TestResult, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { passwordSealed, ...settings } = await storedImapSettings(db, request.params.id);
        let password: string;
        try {
          password = decryptSecret(secretKey, passwordSealed);
        } catch {
          // Sealed with another SECRET_KEY: only a new password helps.
          const message = translator(request.language)('mailbox_test.password_unreadable');
          return { ok: false, code: 'password_unreadable', message };
        }
        return testImapConnection({ ...settings, password }, request.language);
      },
    );
  };
}
