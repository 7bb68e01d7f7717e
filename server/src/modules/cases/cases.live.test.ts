// A new message or status change reaches the agent's and the owner's open views within a
// second; internal notes and presence reach staff only.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../test/app.js';
import { createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';

let t: TestApp;
let baseUrl: string;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

function stream(session: Session) {
  const events: Array<{ event: string; data: Record<string, unknown> }> = [];
  let ready: () => void;
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const request = http.get(`${baseUrl}/api/live`, { headers: { cookie: session.cookie } }, (response) => {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
        if (event === 'ready') ready();
      }
    });
  });
  return {
    events,
    ready: isReady,
    close: () => request.destroy(),
    async waitFor(predicate: (e: { event: string; data: Record<string, unknown> }) => boolean) {
      const deadline = Date.now() + 1000;
      while (Date.now() < deadline) {
        if (events.some(predicate)) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`event not received within 1 s; got ${events.map((e) => e.event).join(', ')}`);
    },
  };
}

describe('live case updates', () => {
  it('reply and status change reach agent and owner within a second; notes and presence only the agent', async () => {
    const owner = await createCustomer(t.db);
    const ownerSession = await login(t.app, owner.email, owner.password);
    const created = await ownerSession.request('POST', '/api/cases', {
      subject: 'Live',
      topic: 'software',
      body: 'Update hängt',
    });
    const caseId = created.json().id;
    const staff = await createStaff(t.db, { roles: ['agent'], markets: ['DE'] });
    const agent = await login(t.app, staff.email, TEST_PASSWORD);
    const colleague = await login(
      t.app,
      (await createStaff(t.db, { roles: ['agent'], markets: ['DE'] })).email,
      TEST_PASSWORD,
    );
    const agentStream = stream(agent);
    const ownerStream = stream(ownerSession);
    await Promise.all([agentStream.ready, ownerStream.ready]);

    await colleague.request('POST', `/api/cases/${caseId}/presence`, { state: 'typing' });
    await agentStream.waitFor(
      (e) =>
        e.event === 'case.presence' &&
        e.data.data !== undefined &&
        (e.data.data as { state: string }).state === 'typing',
    );
    await colleague.request('POST', `/api/cases/${caseId}/messages`, { kind: 'note', body: 'intern' });
    await agentStream.waitFor((e) => e.event === 'case.message_added');
    await colleague.request('POST', `/api/cases/${caseId}/messages`, {
      kind: 'reply',
      body: 'Bitte neu starten',
      status: 'pending_customer',
    });
    await ownerStream.waitFor((e) => e.event === 'case.message_added' && e.data.entityId === caseId);
    await ownerStream.waitFor((e) => e.event === 'case.status_changed');
    await new Promise((r) => setTimeout(r, 200));
    // The owner heard of the public reply and the status change, never of the note or presence.
    const ownerTypes = ownerStream.events.map((e) => e.event);
    expect(ownerTypes.filter((type) => type === 'case.message_added')).toHaveLength(1);
    expect(ownerTypes).not.toContain('case.presence');
    expect(JSON.stringify(ownerStream.events)).not.toContain('intern');
    agentStream.close();
    ownerStream.close();
  });
});
