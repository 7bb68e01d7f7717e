// The quarantine's reasons, explained in German and English: every format this module writes,
// and anything else shown as stored.
import { describe, expect, it } from 'vitest';
import { explainReason } from './email-in.reasons.js';

describe('quarantine reasons in the admin language', () => {
  it('explains each reason the mail processing writes, in German and English', () => {
    expect(explainReason('no usable sender address in From', 'de')).toBe(
      'Die Absenderzeile (From) enthält keine verwendbare Adresse, daher kann die E-Mail keinem Kundenfall zugeordnet werden.',
    );
    expect(explainReason('no usable sender address in From', 'en')).toContain('no usable sender address');
    expect(explainReason('unparseable: Invalid header line', 'de')).toBe(
      'Die Nachricht ließ sich nicht als E-Mail lesen: Invalid header line',
    );
    expect(explainReason('rejected by cases: customer_not_found', 'en')).toBe(
      'The cases module refused the message (customer_not_found).',
    );
    expect(explainReason('auto-reply (Auto-Submitted: auto-replied)', 'de')).toContain(
      'automatische Antwort (Auto-Submitted: auto-replied)',
    );
    expect(explainReason('automatic mail (Precedence: bulk)', 'en')).toContain(
      'Automatic mail (Precedence: bulk)',
    );
    expect(explainReason('automatic mail (empty envelope sender)', 'de')).toContain(
      'leerer Umschlag-Absender',
    );
    expect(explainReason('read receipt (disposition notification)', 'de')).toContain('Lesebestätigung');
    expect(
      explainReason(
        'bounce (delivery status notification): kunde@example.test; 1 customer address(es) and 2 outgoing mail(s) marked bounced',
        'de',
      ),
    ).toBe(
      'Unzustellbarkeitsnachricht für kunde@example.test: 1 Kundenadresse(n) und 2 ausgehende E-Mail(s) als unzustellbar markiert.',
    );
    expect(
      explainReason(
        'bounce (from mailer-daemon@mx.test): unknown recipient; 0 customer address(es) and 0 outgoing mail(s) marked bounced',
        'en',
      ),
    ).toContain('for an unknown recipient');
  });

  it('explains joined notes part by part, and shows what is not ours as stored', () => {
    expect(
      explainReason('duplicate: already on the case; attachments not kept: a.exe (type_not_allowed)', 'de'),
    ).toBe(
      'Bereits am Fall: Dieselbe E-Mail kam zweimal an. Nicht übernommene Anhänge: a.exe (type_not_allowed)',
    );
    expect(explainReason('could not write to the database (disk full)', 'de')).toBe(
      'could not write to the database (disk full)',
    );
    expect(explainReason('duplicate: already on the case; something else', 'en')).toBe(
      'duplicate: already on the case; something else',
    );
    expect(explainReason(null, 'en')).toBeNull();
  });
});
