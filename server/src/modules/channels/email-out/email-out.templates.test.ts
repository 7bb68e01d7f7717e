// What a mail looks like before it is sent: escaping, links, subjects and thread headers.
import { describe, expect, it } from 'vitest';
import { bracketed, replySubject, threadHeaders } from './email-out.headers.js';
import { renderNotice, renderReply, textToHtml } from './email-out.templates.js';

describe('text into HTML', () => {
  it('escapes markup, keeps paragraphs and line breaks, and links only http(s) URLs', () => {
    const html = textToHtml(
      'Hallo <script>alert(1)</script>,\nzweite Zeile "x" & \'y\'\n\n' +
        'Link: https://example.test/a?b=1&c=<2> und javascript:alert(1)',
    );
    expect(html).not.toContain('<script');
    expect(html).toContain('Hallo &lt;script&gt;alert(1)&lt;/script&gt;,<br>');
    expect(html).toContain('zweite Zeile &quot;x&quot; &amp; &#39;y&#39;');
    expect(html.match(/<p /g)).toHaveLength(2);
    expect(html).toContain('<a href="https://example.test/a?b=1&amp;c=" style="color:#1c7ed6">');
    expect(html).not.toContain('href="javascript');
  });

  it('a link ending a sentence leaves the full stop outside', () => {
    expect(textToHtml('See https://example.test/x.')).toContain('>https://example.test/x</a>.');
  });
});

describe('layout', () => {
  it('a reply is signed by the agent in the case language, with the case and portal link in the footer', () => {
    const de = renderReply({
      language: 'de',
      subject: 'Re: X [PW-2026-000001]',
      text: 'Guten Tag',
      author: 'Jana Agent',
      caseNumber: 'PW-2026-000001',
      portalLink: 'https://care.example.test/portal/cases/PW-2026-000001',
    });
    expect(de.text).toBe(
      'Guten Tag\n\nFreundliche Grüße\nJana Agent\nPitwall Kundenservice\n\n-- \n' +
        'Fall PW-2026-000001 · Antworten Sie einfach auf diese E-Mail, oder lesen Sie den ganzen Verlauf in ' +
        'Ihrem Kundenportal: https://care.example.test/portal/cases/PW-2026-000001\n',
    );
    expect(de.html).toContain('<html lang="de">');
    expect(de.html).toContain('Freundliche Grüße<br>\nJana Agent<br>\nPitwall Kundenservice');
    const en = renderNotice({ language: 'en', subject: 'Reset', text: 'Hello' });
    expect(en.text).toBe(
      'Hello\n\nYour Pitwall team\n\n-- \nThis message was sent automatically by Pitwall.\n',
    );
    expect(en.html).toContain('<title>Reset</title>');
  });

  it('the subject in the title is escaped', () => {
    expect(renderNotice({ language: 'en', subject: '</title><script>', text: 'x' }).html).toContain(
      '<title>&lt;/title&gt;&lt;script&gt;</title>',
    );
  });
});

describe('subjects and threads', () => {
  it('one Re: and one case token, whatever the subject had', () => {
    expect(replySubject('Ladeklappe', 'PW-2026-000123')).toBe('Re: Ladeklappe [PW-2026-000123]');
    expect(replySubject('AW: Re: WG: Ladeklappe', 'PW-2026-000123')).toBe('Re: Ladeklappe [PW-2026-000123]');
    expect(replySubject('Re: Ladeklappe [PW-2026-000123]', 'PW-2026-000123')).toBe(
      'Re: Ladeklappe [PW-2026-000123]',
    );
    expect(replySubject('Re[2]: Ladeklappe [PW-2025-000001]', 'PW-2026-000123')).toBe(
      'Re: Ladeklappe [PW-2026-000123]',
    );
  });

  it('In-Reply-To is the parent, References its chain plus the parent, shortened keeping the root', () => {
    expect(threadHeaders(null)).toEqual({ inReplyTo: null, references: [] });
    expect(threadHeaders({ messageId: 'b@x', references: ['<a@x>'] })).toEqual({
      inReplyTo: '<b@x>',
      references: ['<a@x>', '<b@x>'],
    });
    const chain = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const long = threadHeaders({ messageId: '<last@x>', references: chain });
    expect(long.references).toHaveLength(20);
    expect(long.references[0]).toBe('<m0@x>');
    expect(long.references.at(-1)).toBe('<last@x>');
    expect(bracketed(' <<id@x>> ')).toBe('<id@x>');
  });
});
