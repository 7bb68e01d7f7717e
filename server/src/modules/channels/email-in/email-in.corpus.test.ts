// Sixty malformed and unusual mails through the real SMTP receiver and the real worker:
// each ends on a case or in the quarantine or ignored, with a reason; the receiver and
// the worker keep running, and an ordinary mail sent afterwards is processed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { malformedCorpus } from './testing/corpus.js';
import { type MailHarness, mail, startMailHarness } from './testing/harness.js';

let h: MailHarness;
beforeAll(async () => {
  h = await startMailHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('a corpus of malformed and unusual mail', () => {
  it('stores every mail and ends each on a case, in the quarantine or ignored with a reason', async () => {
    const corpus = malformedCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    const accepted = new Map<string, string>();
    for (const entry of corpus) {
      const response = await h.sendRaw(entry.raw);
      const id = /queued as ([0-9a-f-]{36})/.exec(response)?.[1];
      expect(id, `${entry.name}: ${response}`).toBeDefined();
      accepted.set(id as string, entry.name);
    }
    await h.settled(120_000);
    const rows = await h.db
      .selectFrom('inbound_emails')
      .select(['id', 'status', 'reason', 'case_id'])
      .where('id', 'in', [...accepted.keys()])
      .execute();
    expect(rows).toHaveLength(accepted.size);
    const outcome: Record<string, string> = {};
    for (const row of rows) {
      const name = accepted.get(row.id) as string;
      outcome[name] = row.status;
      if (row.status === 'processed') expect(row.case_id, name).not.toBeNull();
      else
        expect([row.status, row.reason], name).toEqual([
          expect.stringMatching(/^(quarantined|ignored)$/),
          expect.any(String),
        ]);
    }
    expect(outcome).toMatchObject({
      'plain and simple': 'processed',
      'missing From': 'quarantined',
      '1 MB header line': 'quarantined',
      '2,000 MIME parts': 'quarantined',
      'out-of-office': 'ignored',
      'delivery status notification': 'ignored',
      'read receipt': 'ignored',
      'mailing list': 'ignored',
      'a 25 MB mail with one large attachment': 'processed',
      'TNEF winmail.dat': 'processed',
    });
  }, 180_000);

  it('keeps receiving and processing afterwards', async () => {
    const response = await h.sendRaw(
      mail(
        {
          From: 'after@customer.test',
          Subject: 'Still there?',
          'Message-ID': '<after-corpus@customer.test>',
        },
        'Yes.',
      ),
    );
    expect(response).toMatch(/^250 /);
    await h.settled();
    const message = await h.db
      .selectFrom('case_messages')
      .select('body_text')
      .where('external_id', '=', '<after-corpus@customer.test>')
      .executeTakeFirst();
    expect(message?.body_text).toBe('Yes.');
  });
});
