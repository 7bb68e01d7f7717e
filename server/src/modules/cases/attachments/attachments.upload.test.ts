// Uploading against the real database: the type comes from the bytes, text is never HTML,
// content is stored once, and every refused upload writes nothing.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../../test/app.js';
import { type FormPart, PNG, uploadForm } from '../../../test/cases-extensions.js';
import {
  auditCount,
  createCustomer,
  createStaff,
  seedMarkets,
  TEST_PASSWORD,
} from '../../../test/factories.js';

const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');

let t: TestApp;
let agent: Session;
let observer: Session;
let ownerSession: Session;

const upload = (session: Session, parts: FormPart[]) => uploadForm(t.app, session, parts);
const get = (session: Session, url: string) => session.request('GET', url);

async function counts() {
  const result = await sql<{ rows: string; blobs: string }>`
    SELECT (SELECT count(*) FROM case_attachments) AS rows, (SELECT count(*) FROM attachment_blobs) AS blobs
  `.execute(t.db);
  return { rows: Number(result.rows[0]?.rows), blobs: Number(result.rows[0]?.blobs) };
}

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const staff = await createStaff(t.db, { roles: ['agent'], markets: ['DE'] });
  agent = await login(t.app, staff.email, TEST_PASSWORD);
  observer = await login(
    t.app,
    (await createStaff(t.db, { roles: ['quality'], markets: ['DE'] })).email,
    TEST_PASSWORD,
  );
  const owner = await createCustomer(t.db, { market: 'DE' });
  ownerSession = await login(t.app, owner.email, owner.password);
});
afterAll(async () => {
  await t.close();
});

describe('uploading', () => {
  it('types a file by its content: a PNG named .pdf is an image/png (and gets a .png name)', async () => {
    const response = await upload(agent, [{ filename: 'scan.pdf', content: PNG }]);
    expect(response.statusCode).toBe(201);
    const view = response.json();
    expect(view).toMatchObject({ filename: 'scan.pdf.png', mimeType: 'image/png', size: PNG.length });
    expect(view.url).toBe(`/api/cases/attachments/${view.id}`);
    expect(view.previewUrl).toBe(`/api/cases/attachments/${view.id}/preview`);
    const row = await t.db
      .selectFrom('case_attachments')
      .selectAll()
      .where('id', '=', view.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      case_id: null,
      message_id: null,
      uploaded_by: agent.userId,
      mime_type: 'image/png',
    });
    expect(await auditCount(t.db, 'attachment.uploaded')).toBeGreaterThan(0);
  });

  it('serves HTML named .txt as plain text, with headers that stop any browser from rendering it', async () => {
    const view = (await upload(agent, [{ filename: 'notes.txt', content: HTML }])).json();
    expect(view).toMatchObject({ filename: 'notes.txt', mimeType: 'text/plain', previewUrl: null });
    const download = await get(agent, view.url);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toContain("default-src 'none'");
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`,
    );
    expect(download.rawPayload.equals(HTML)).toBe(true);
    expect((await get(agent, `${view.url}/preview`)).json().error.code).toBe('attachment_no_preview');
  });

  it('never keeps an .html name on text and tells CSV from plain text by the name only', async () => {
    expect((await upload(agent, [{ filename: 'page.html', content: HTML }])).json()).toMatchObject({
      filename: 'page.html.txt',
      mimeType: 'text/plain',
    });
    expect(
      (await upload(agent, [{ filename: 'km.csv', content: 'date;km\n2026-11-01;120\n' }])).json(),
    ).toMatchObject({
      filename: 'km.csv',
      mimeType: 'text/csv',
    });
  });

  it('refuses executables, archives and binary junk with 415 in the caller language', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0)]);
    const zip = Buffer.concat([Buffer.from('504b0304140000000000', 'hex'), Buffer.alloc(100, 0x41)]);
    const before = await counts();
    const exeResponse = await upload(agent, [{ filename: 'invoice.pdf', content: exe }]);
    expect(exeResponse.statusCode).toBe(415);
    expect(exeResponse.json().error).toMatchObject({ code: 'attachment_type_not_allowed' });
    expect(exeResponse.json().error.message).toContain('application/x-msdownload');
    const zipResponse = await upload(ownerSession, [{ filename: 'logs.zip', content: zip }]);
    expect(zipResponse.statusCode).toBe(415);
    expect(zipResponse.json().error.message).toMatch(/Dateien vom Typ/); // the owner reads German
    expect(
      (await upload(agent, [{ filename: 'a.txt', content: Buffer.from([0x41, 0, 0xff, 0x10]) }])).statusCode,
    ).toBe(415);
    expect(await counts()).toEqual(before);
  });

  it('refuses a file over 10 MB with 413 and writes nothing', async () => {
    const before = await counts();
    const big = Buffer.alloc(11 * 1024 * 1024, 0x61);
    const response = await upload(agent, [{ filename: 'big.txt', content: big }]);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('attachment_too_large');
    expect(await counts()).toEqual(before);
  });

  it('refuses an empty file (422), a second file or an extra field (400)', async () => {
    const empty = await upload(agent, [{ filename: 'empty.txt', content: Buffer.alloc(0) }]);
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('attachment_empty');
    const two = await upload(agent, [
      { filename: 'a.png', content: PNG },
      { filename: 'b.png', content: PNG },
    ]);
    expect(two.statusCode).toBe(400);
    expect(two.json().error.code).toBe('attachment_form_invalid');
    const field = await upload(agent, [
      { field: 'caseId', content: 'x' },
      { filename: 'a.png', content: PNG },
    ]);
    expect(field.statusCode).toBe(400);
    const json = await agent.request('POST', '/api/cases/attachments', { file: 'x' });
    expect(json.json().error.code).toBe('attachment_form_invalid');
  });

  it('stores the same content once, however often it is uploaded', async () => {
    const content = Buffer.from(`same bytes ${Math.random()}`);
    const first = (await upload(agent, [{ filename: 'one.txt', content }])).json();
    const second = (await upload(ownerSession, [{ filename: 'two.txt', content }])).json();
    expect(first.id).not.toBe(second.id);
    const rows = await t.db
      .selectFrom('case_attachments')
      .select('sha256')
      .where('id', 'in', [first.id, second.id])
      .execute();
    expect(rows[0]?.sha256).toBe(rows[1]?.sha256);
    const blobs = await t.db
      .selectFrom('attachment_blobs')
      .select('sha256')
      .where('sha256', '=', rows[0]?.sha256 ?? '')
      .execute();
    expect(blobs).toHaveLength(1);
  });

  it('lets customers upload, but not staff without cases:write', async () => {
    expect((await upload(ownerSession, [{ filename: 'photo.png', content: PNG }])).statusCode).toBe(201);
    expect((await upload(observer, [{ filename: 'photo.png', content: PNG }])).statusCode).toBe(403);
  });

  it('over a real connection, as a browser sends it: 201 for a photo, 413 for 11 MB without hanging', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const send = (content: Buffer, name: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(content)]), name);
      return fetch(`${base}/api/cases/attachments`, {
        method: 'POST',
        headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken },
        body: form,
      });
    };
    const ok = await send(PNG, 'Foto vom Ladeport.png');
    expect(ok.status).toBe(201);
    expect((await ok.json()).filename).toBe('Foto vom Ladeport.png');
    const before = await counts();
    const big = await send(Buffer.alloc(11 * 1024 * 1024, 0x61), 'big.txt');
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('attachment_too_large');
    expect(await counts()).toEqual(before);
  });
});
