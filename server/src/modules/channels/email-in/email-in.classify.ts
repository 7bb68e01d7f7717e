// Mail that must never open a case nor get an automatic answer (no mail loops):
// auto-replies, out-of-office notices, list and bulk mail, read receipts and bounces.
import type { ParsedMail } from 'mailparser';

export type Classification =
  | { kind: 'customer' }
  | { kind: 'auto'; reason: string }
  | { kind: 'bounce'; reason: string; failedRecipients: string[]; originalMessageIds: string[] };

function header(parsed: ParsedMail, name: string): string | null {
  const value = parsed.headers.get(name);
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return String(value);
}

function contentType(parsed: ParsedMail): { value: string; params: Record<string, string> } {
  const value = parsed.headers.get('content-type');
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string')
    return {
      value: value.value.toLowerCase(),
      params: (value as { params?: Record<string, string> }).params ?? {},
    };
  return { value: 'text/plain', params: {} };
}

const MESSAGE_ID = /<[^<>\s]{1,900}>/g;

/** Everything the report says about the mail it returns: the delivery-status part and the original headers. */
function reportText(parsed: ParsedMail, raw: Buffer): string {
  const parts = parsed.attachments
    .filter((part) =>
      /^(message\/(delivery-status|rfc822|global-headers|global)|text\/rfc822-headers)/i.test(
        part.contentType,
      ),
    )
    .map((part) => part.content.subarray(0, 256 * 1024).toString('utf8'));
  return parts.length > 0 ? parts.join('\n') : raw.subarray(0, 512 * 1024).toString('latin1');
}

function bounceDetails(parsed: ParsedMail, raw: Buffer, reason: string): Classification {
  const report = reportText(parsed, raw);
  const failedRecipients = new Set<string>();
  for (const match of report.matchAll(
    /^(?:Final|Original)-Recipient:\s*rfc822;\s*<?([^\s<>;]+@[^\s<>;]+)>?/gim,
  )) {
    if (match[1]) failedRecipients.add(match[1].toLowerCase());
  }
  for (const match of report.matchAll(/^X-Failed-Recipients:\s*(.+)$/gim))
    for (const address of (match[1] ?? '').split(','))
      if (address.includes('@')) failedRecipients.add(address.trim().toLowerCase());
  const originalMessageIds = new Set<string>();
  for (const match of report.matchAll(/^(?:Original-)?Message-ID:\s*(<[^<>\s]+>)/gim))
    if (match[1] && match[1] !== parsed.messageId) originalMessageIds.add(match[1]);
  for (const id of [parsed.inReplyTo ?? '', ...[parsed.references ?? []].flat()]
    .join(' ')
    .match(MESSAGE_ID) ?? [])
    originalMessageIds.add(id);
  return {
    kind: 'bounce',
    reason,
    failedRecipients: [...failedRecipients],
    originalMessageIds: [...originalMessageIds],
  };
}

export function classifyMail(
  parsed: ParsedMail,
  raw: Buffer,
  envelopeSender: string | null | undefined,
): Classification {
  const type = contentType(parsed);
  const reportType = (type.params['report-type'] ?? '').toLowerCase();
  if (type.value === 'multipart/report' && reportType === 'delivery-status')
    return bounceDetails(parsed, raw, 'bounce (delivery status notification)');
  const from = parsed.from?.value[0]?.address?.toLowerCase() ?? '';
  const subject = parsed.subject ?? '';
  if (
    /^(mailer-daemon|postmaster)@/.test(from) &&
    /(undeliver|delivery status|returned mail|failure notice|delivery fail|unzustellbar|nicht zugestellt)/i.test(
      subject,
    )
  )
    return bounceDetails(parsed, raw, `bounce (from ${from})`);
  if (type.value === 'multipart/report' && reportType === 'disposition-notification')
    return { kind: 'auto', reason: 'read receipt (disposition notification)' };
  const autoSubmitted = header(parsed, 'auto-submitted');
  if (autoSubmitted && autoSubmitted.trim().toLowerCase() !== 'no')
    return { kind: 'auto', reason: `auto-reply (Auto-Submitted: ${autoSubmitted.trim().slice(0, 60)})` };
  if (header(parsed, 'x-autoreply') !== null) return { kind: 'auto', reason: 'auto-reply (X-Autoreply)' };
  if (header(parsed, 'x-autorespond') !== null) return { kind: 'auto', reason: 'auto-reply (X-Autorespond)' };
  const precedence = header(parsed, 'precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return { kind: 'auto', reason: `automatic mail (Precedence: ${precedence})` };
  if (envelopeSender === '' || envelopeSender === '<>')
    return { kind: 'auto', reason: 'automatic mail (empty envelope sender)' };
  return { kind: 'customer' };
}
