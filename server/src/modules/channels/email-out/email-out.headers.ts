// The headers that let a customer's mail client, and Pitwall itself, keep a conversation
// together: a Message-ID of our own domain, In-Reply-To/References pointing at the mail we
// answer, and the case number in the subject for when a client drops the headers.
import { randomUUID } from 'node:crypto';

/** `<uuid@domain>`; the domain is MAIL_DOMAIN or the host name of PUBLIC_URL. */
export function newMessageId(domain: string): string {
  return `<${randomUUID()}@${domain}>`;
}

/** A message id as headers carry it: one `<…>` token, whatever the source stored. */
export function bracketed(messageId: string): string {
  const bare = messageId.trim().replace(/^<+|>+$/g, '');
  return `<${bare}>`;
}

// Reply and forward prefixes of common clients (Re, AW, WG, Fwd, SV, Antw), repeated or numbered.
const PREFIXES = /^\s*(?:(?:re|aw|wg|fwd?|sv|antw)\s*(?:\[\d+\])?\s*:\s*)+/i;
const CASE_TOKEN = /\s*\[PW-\d{4}-\d{6,}\]\s*/gi;

/** `Re: <case subject> [PW-2026-000123]`, never `Re: Re: …` and never two tokens. */
export function replySubject(caseSubject: string, caseNumber: string): string {
  const bare = caseSubject.replace(CASE_TOKEN, ' ').replace(PREFIXES, '').replace(/\s+/g, ' ').trim();
  return `Re: ${bare} [${caseNumber}]`;
}

export interface ThreadParent {
  messageId: string | null;
  references: string[];
}

export interface ThreadHeaders {
  inReplyTo: string | null;
  references: string[];
}

// RFC 5322 §3.6.4 lets a long chain be shortened; the first id (the thread's root) is kept.
const MAX_REFERENCES = 20;

/** In-Reply-To is the parent's id; References are the parent's references plus that id. */
export function threadHeaders(parent: ThreadParent | null): ThreadHeaders {
  if (!parent?.messageId) return { inReplyTo: null, references: [] };
  const inReplyTo = bracketed(parent.messageId);
  const chain = [...new Set([...parent.references.map(bracketed), inReplyTo])];
  const references =
    chain.length <= MAX_REFERENCES ? chain : [chain[0] as string, ...chain.slice(-(MAX_REFERENCES - 1))];
  return { inReplyTo, references };
}

/** The domain part for generated message ids when no MAIL_DOMAIN was configured. */
export function domainOfAddress(address: string): string | null {
  const match = /@([a-z0-9.-]+)>?\s*$/i.exec(address.trim());
  return match?.[1]?.toLowerCase() ?? null;
}
