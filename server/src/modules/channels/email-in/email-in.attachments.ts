// A mail's files become case attachments (stored once per content). Whatever the cases
// module refuses (too large, a type it does not allow, empty) is listed, never dropped
// silently: the list goes on the message and on the inbound mail, and the raw mail keeps it.
import type { Attachment } from 'mailparser';
import type { Executor } from '../../../platform/database.js';
import { AppError } from '../../../platform/errors.js';
import { storeAttachment } from '../../cases/attachments/index.js';

export interface NotKept {
  filename: string;
  /** too_large | type_not_allowed | empty | failed */
  reason: string;
  detail?: string;
}

export interface StoredAttachments {
  ids: string[];
  /** Content-ID (no angle brackets) → preview URL, for `cid:` images in the HTML. */
  inlineImages: Map<string, string>;
  notKept: NotKept[];
}

/** Parts that are the mail's own structure, not files the sender attached. */
function isStructural(part: Attachment): boolean {
  return /^(message\/delivery-status|text\/rfc822-headers|message\/global-headers)/i.test(part.contentType);
}

function defaultName(part: Attachment, index: number): string {
  if (part.filename) return part.filename;
  if (/tnef/i.test(part.contentType)) return 'winmail.dat';
  if (part.contentType === 'message/rfc822') return `message-${index + 1}.eml`;
  if (part.contentType === 'text/calendar') return `invite-${index + 1}.ics`;
  return `attachment-${index + 1}`;
}

function reasonOf(error: unknown): NotKept['reason'] {
  if (!(error instanceof AppError)) return 'failed';
  if (error.code === 'attachment_too_large') return 'too_large';
  if (error.code === 'attachment_type_not_allowed') return 'type_not_allowed';
  if (error.code === 'attachment_empty') return 'empty';
  return 'failed';
}

export async function storeMailAttachments(db: Executor, parts: Attachment[]): Promise<StoredAttachments> {
  const result: StoredAttachments = { ids: [], inlineImages: new Map(), notKept: [] };
  for (const [index, part] of parts.entries()) {
    if (isStructural(part)) continue;
    const filename = defaultName(part, index);
    try {
      const stored = await storeAttachment(db, { filename, content: part.content, uploadedBy: null });
      result.ids.push(stored.id);
      if (part.cid && stored.previewUrl) result.inlineImages.set(part.cid, stored.previewUrl);
    } catch (error) {
      const reason = reasonOf(error);
      if (reason === 'failed') throw error;
      const detail =
        error instanceof AppError && typeof error.params.type === 'string' ? error.params.type : undefined;
      result.notKept.push({ filename, reason, ...(detail ? { detail } : {}) });
    }
  }
  return result;
}
