import { describe, expect, it } from 'vitest';
import { splitQuotedText } from './email-in.quotes.js';

describe('splitQuotedText', () => {
  it.each([
    [
      'German attribution',
      'Danke!\n\nAm Mo., 3. Nov. 2026 um 10:12 schrieb Service <s@x>:\n> Hallo',
      'Danke!',
    ],
    [
      'English attribution wrapped over two lines',
      'Thanks\n\nOn Mon, 3 Nov 2026 at 10:12, Service <\ns@x> wrote:\n> Hi',
      'Thanks',
    ],
    ['Outlook original message', 'Ok\n\n-----Original Message-----\nFrom: a\nSent: b\n\nold', 'Ok'],
    [
      'Outlook header block in German',
      'Ok\n________________________________\nVon: Service\nGesendet: Montag\nAn: x\n\nalt',
      'Ok',
    ],
    ['signature', 'Hi\n-- \nErika\n+49 30 1234', 'Hi'],
    ['trailing quote without attribution', 'Yes.\n\n> Is it fixed?\n> Thanks', 'Yes.'],
  ])('%s: the new text stays, the history is folded', (_name, text, body) => {
    const split = splitQuotedText(text);
    expect(split.body).toBe(body);
    expect(split.quoted).not.toBeNull();
    expect(`${split.body}\n${split.quoted}`.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });

  it('keeps interleaved answers in the body and shows a bare forward in full', () => {
    expect(splitQuotedText('> q1\nanswer1\n> q2\nanswer2')).toEqual({
      body: '> q1\nanswer1\n> q2\nanswer2',
      quoted: null,
    });
    expect(splitQuotedText('-----Original Message-----\nFrom: a\nSent: b\n\nold')).toEqual({
      body: '-----Original Message-----\nFrom: a\nSent: b\n\nold',
      quoted: null,
    });
  });
});
