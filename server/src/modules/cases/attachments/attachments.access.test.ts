// Who may download an attachment (exactly who may see its message) and how uploads are
// linked to messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../../test/app.js';
import { type FormPart, insertCase, insertMessage, PNG, uploadForm } from '../../../test/cases-extensions.js';
import { createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../../../test/factories.js';
import { contentDisposition } from './attachments.files.js';
import { attachmentsOfMessages, linkAttachments, storeAttachment } from './index.js';

let t: TestApp;
let agent: Session;
let otherAgent: Session;
let ukAgent: Session;
let owner: Awaited<ReturnType<typeof createCustomer>>;
let ownerSession: Session;
let strangerSession: Session;

const upload = (session: Session, parts: FormPart[]) => uploadForm(t.app, session, parts);
const get = (session: Session, url: string) => session.request('GET', url);

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const staff = await createStaff(t.db, { roles: ['agent'], markets: ['DE'] });
  agent = await login(t.app, staff.email, TEST_PASSWORD);
  otherAgent = await login(
    t.app,
    (await createStaff(t.db, { roles: ['agent'], markets: ['DE'] })).email,
    TEST_PASSWORD,
  );
  ukAgent = await login(
    t.app,
    (await createStaff(t.db, { roles: ['agent'], markets: ['UK'] })).email,
    TEST_PASSWORD,
  );
  owner = await createCustomer(t.db, { market: 'DE' });
  ownerSession = await login(t.app, owner.email, owner.password);
  const stranger = await createCustomer(t.db, { market: 'DE' });
  strangerSession = await login(t.app, stranger.email, stranger.password);
});
afterAll(async () => {
  await t.close();
});

describe('who may download', () => {
  it('an unattached upload is visible to its uploader only', async () => {
    const view = (await upload(ownerSession, [{ filename: 'p.png', content: PNG }])).json();
    expect((await get(ownerSession, view.url)).statusCode).toBe(200);
    expect((await get(ownerSession, view.previewUrl)).headers['content-disposition']).toMatch(/^inline; /);
    for (const other of [strangerSession, agent, otherAgent])
      expect((await get(other, view.url)).statusCode).toBe(404);
  });

  it('a public reply attachment: the case customer and market staff see it; other customers and markets get 404', async () => {
    const kase = await insertCase(t.db, { customerId: owner.id, market: 'DE' });
    const message = await insertMessage(t.db, {
      caseId: kase.id,
      kind: 'reply',
      internal: false,
      authorId: agent.userId,
    });
    const view = (await upload(agent, [{ filename: 'diagnosis.png', content: PNG }])).json();
    await t.db.transaction().execute((trx) =>
      linkAttachments(trx, {
        caseId: kase.id,
        messageId: message.id,
        attachmentIds: [view.id],
        uploaderUserId: agent.userId,
      }),
    );
    expect((await get(ownerSession, view.url)).statusCode).toBe(200);
    expect((await get(otherAgent, view.previewUrl)).statusCode).toBe(200);
    expect((await get(strangerSession, view.url)).statusCode).toBe(404);
    expect((await get(ukAgent, view.url)).statusCode).toBe(404);
    const byMessage = await attachmentsOfMessages(t.db, [message.id]);
    expect(byMessage.get(message.id)).toEqual([view]);
  });

  it('a customer cannot download what is attached to an internal note, staff can', async () => {
    const kase = await insertCase(t.db, { customerId: owner.id, market: 'DE' });
    const note = await insertMessage(t.db, {
      caseId: kase.id,
      kind: 'note',
      internal: true,
      authorId: agent.userId,
    });
    const view = (
      await upload(agent, [{ filename: 'internal.txt', content: 'warranty cost estimate' }])
    ).json();
    await t.db.transaction().execute((trx) =>
      linkAttachments(trx, {
        caseId: kase.id,
        messageId: note.id,
        attachmentIds: [view.id],
        uploaderUserId: agent.userId,
      }),
    );
    expect((await get(ownerSession, view.url)).statusCode).toBe(404);
    expect((await get(otherAgent, view.url)).statusCode).toBe(200);
  });
});

describe('linking to messages', () => {
  it('refuses uploads of someone else, already attached ones and unknown ids, and links nothing then', async () => {
    const kase = await insertCase(t.db, { customerId: owner.id });
    const message = await insertMessage(t.db, { caseId: kase.id, authorId: agent.userId });
    const mine = (await upload(agent, [{ filename: 'a.png', content: PNG }])).json();
    const theirs = (await upload(otherAgent, [{ filename: 'b.png', content: PNG }])).json();
    const link = (ids: string[], uploaderUserId: string | null = agent.userId) =>
      t.db.transaction().execute((trx) =>
        linkAttachments(trx, {
          caseId: kase.id,
          messageId: message.id,
          attachmentIds: ids,
          uploaderUserId,
        }),
      );
    await expect(link([mine.id, theirs.id])).rejects.toMatchObject({
      status: 422,
      code: 'attachment_not_found',
    });
    await expect(link(['00000000-0000-4000-8000-000000000000'])).rejects.toMatchObject({
      code: 'attachment_not_found',
    });
    await expect(link(['not-a-uuid'])).rejects.toMatchObject({ code: 'attachment_not_found' });
    const row = await t.db
      .selectFrom('case_attachments')
      .select('message_id')
      .where('id', '=', mine.id)
      .executeTakeFirstOrThrow();
    expect(row.message_id).toBeNull();
    await link([mine.id, mine.id]);
    await expect(link([mine.id])).rejects.toMatchObject({ code: 'attachment_not_found' });
  });

  it('files stored by the system (email) are linked with uploaderUserId null, and only so', async () => {
    const kase = await insertCase(t.db, { customerId: owner.id });
    const message = await insertMessage(t.db, { caseId: kase.id, authorKind: 'customer', authorId: null });
    const stored = await storeAttachment(t.db, {
      filename: '../../etc/Befund ä.png',
      content: PNG,
      uploadedBy: null,
    });
    expect(stored.filename).toBe('Befund ä.png');
    const link = (uploaderUserId: string | null) =>
      t.db.transaction().execute((trx) =>
        linkAttachments(trx, {
          caseId: kase.id,
          messageId: message.id,
          attachmentIds: [stored.id],
          uploaderUserId,
        }),
      );
    await expect(link(agent.userId)).rejects.toMatchObject({ code: 'attachment_not_found' });
    await link(null);
    const download = await get(ownerSession, stored.url);
    expect(download.headers['content-disposition']).toBe(contentDisposition('attachment', 'Befund ä.png'));
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''Befund%20%C3%A4.png");
  });
});
