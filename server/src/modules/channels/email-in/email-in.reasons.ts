// Why a mail was quarantined or ignored, in the admin's language. The reason is stored as the
// technical record it is (logs, support, the raw download next to it); the quarantine shows it
// explained, in German or English, beside it. Each format matched here is written by this module
// (email-in.process.ts, email-in.classify.ts); anything else (a database's own error text, for
// instance) is shown as stored.
import { type Language, translator } from '../../../platform/i18n.js';
import { DUPLICATE_NOTE } from './email-in.process.js';

type Explain = (match: RegExpExecArray, t: ReturnType<typeof translator>) => string;

const formats: [RegExp, Explain][] = [
  [/^no usable sender address in From$/, (_, t) => t('email_in.reasons.no_sender')],
  [/^unparseable: ([\s\S]*)$/, (m, t) => t('email_in.reasons.unparseable', { detail: m[1] })],
  [/^rejected by cases: (\S+)$/, (m, t) => t('email_in.reasons.rejected', { code: m[1] })],
  [/^read receipt \(disposition notification\)$/, (_, t) => t('email_in.reasons.read_receipt')],
  [/^auto-reply \((.+)\)$/, (m, t) => t('email_in.reasons.auto_reply', { detail: m[1] })],
  [/^automatic mail \(empty envelope sender\)$/, (_, t) => t('email_in.reasons.empty_sender')],
  [/^automatic mail \((.+)\)$/, (m, t) => t('email_in.reasons.automatic', { detail: m[1] })],
  [
    /^bounce \((?:delivery status notification|from [^)]*)\): (.*); (\d+) customer address\(es\) and (\d+) outgoing mail\(s\) marked bounced$/,
    (m, t) =>
      t('email_in.reasons.bounce', {
        recipients: m[1] === 'unknown recipient' ? t('email_in.reasons.unknown_recipient') : m[1],
        addresses: Number(m[2]),
        mails: Number(m[3]),
      }),
  ],
  [new RegExp(`^${DUPLICATE_NOTE}$`), (_, t) => t('email_in.reasons.duplicate')],
  [/^attachments not kept: (.*)$/, (m, t) => t('email_in.reasons.attachments_not_kept', { list: m[1] })],
];

/** The stored reason explained in `language`; the reason itself when its format is not one of ours. */
export function explainReason(reason: string | null, language: Language): string | null {
  if (reason === null) return null;
  const t = translator(language);
  const part = (text: string) => {
    for (const [pattern, explain] of formats) {
      const match = pattern.exec(text);
      if (match) return explain(match, t);
    }
    return null;
  };
  const whole = part(reason);
  if (whole !== null) return whole;
  // A processed mail's notes are joined with "; " (a duplicate whose attachments were not kept).
  const parts = reason.split('; ').map(part);
  return parts.every((text) => text !== null) ? parts.join(' ') : reason;
}
