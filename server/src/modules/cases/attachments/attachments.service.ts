// Attachments: content stored once per SHA-256 (attachment_blobs), one row per upload
// (case_attachments). An upload is unattached and private to its uploader until a message
// uses it; from then on it is as visible as that message.
import { createHash } from 'node:crypto';
import type { Db, Executor, Transaction } from '../../../platform/database.js';
import { AppError, errors } from '../../../platform/errors.js';
import { type Principal, type RequestContext, recordAudit } from '../../identity/index.js';
import { findVisibleCase } from '../cases.access.js';
import type { AttachmentView } from '../cases.schemas.js';
import {
  cleanFilename,
  MAX_ATTACHMENT_BYTES,
  nameForType,
  previewableTypes,
  sniffContentType,
} from './attachments.files.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const attachmentErrors = {
  tooLarge: () => new AppError(413, 'attachment_too_large', { limitMb: MAX_ATTACHMENT_BYTES / 1024 / 1024 }),
  typeNotAllowed: (type: string) => new AppError(415, 'attachment_type_not_allowed', { type }),
  empty: () => new AppError(422, 'attachment_empty'),
  formInvalid: () => new AppError(400, 'attachment_form_invalid'),
  notLinkable: (ids: string[]) => new AppError(422, 'attachment_not_found', {}, { attachmentIds: ids }),
  noPreview: () => new AppError(404, 'attachment_no_preview'),
};

export function toAttachmentView(row: {
  id: string;
  filename: string;
  mime_type: string;
  size: number;
}): AttachmentView {
  const url = `/api/cases/attachments/${row.id}`;
  return {
    id: row.id,
    filename: row.filename,
    mimeType: row.mime_type,
    size: row.size,
    url,
    previewUrl: previewableTypes.has(row.mime_type) ? `${url}/preview` : null,
  };
}

/** Stores an upload (also for the email channel, with `uploadedBy` null = the system). Refuses
 * empty, oversized and disallowed content before anything is written. */
export async function storeAttachment(
  db: Executor,
  input: { filename: string; content: Buffer; uploadedBy: string | null },
): Promise<AttachmentView> {
  if (input.content.length === 0) throw attachmentErrors.empty();
  if (input.content.length > MAX_ATTACHMENT_BYTES) throw attachmentErrors.tooLarge();
  const filename = cleanFilename(input.filename);
  const sniffed = await sniffContentType(input.content, filename);
  if (!sniffed.allowed) throw attachmentErrors.typeNotAllowed(sniffed.detected);
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  // Same bytes, same blob: a file sent twice (or forwarded by mail) is stored once. Blob and
  // upload in one statement (its own transaction when the caller has none): the upload's
  // reference to the blob is checked at the statement's end, when the blob row is there.
  const row = await db
    .with('blob', (w) =>
      w
        .insertInto('attachment_blobs')
        .values({ sha256, content: input.content, size: input.content.length, mime_type: sniffed.mimeType })
        .onConflict((oc) => oc.column('sha256').doNothing()),
    )
    .insertInto('case_attachments')
    .values({
      sha256,
      filename: nameForType(filename, sniffed.mimeType),
      mime_type: sniffed.mimeType,
      size: input.content.length,
      uploaded_by: input.uploadedBy,
    })
    .returning(['id', 'filename', 'mime_type', 'size'])
    .executeTakeFirstOrThrow();
  return toAttachmentView(row);
}

function userIdOf(principal: Principal): string | null {
  return principal.kind === 'token' ? null : principal.userId;
}

/** An upload through the API by a signed-in person, audited. */
export async function uploadAttachment(
  db: Db,
  context: RequestContext,
  input: { filename: string; content: Buffer },
): Promise<AttachmentView> {
  const principal = context.principal;
  if (!principal) throw errors.unauthenticated();
  const uploadedBy = userIdOf(principal);
  return db.transaction().execute(async (trx) => {
    const view = await storeAttachment(trx, { ...input, uploadedBy });
    await recordAudit(trx, context, {
      action: 'attachment.uploaded',
      entityType: 'attachment',
      entityId: view.id,
      after: { filename: view.filename, mimeType: view.mimeType, size: view.size },
    });
    return view;
  });
}

/** Attaches uploads to a message, inside the message's transaction. Every id must be an
 * unattached upload of `uploaderUserId` (null: uploaded by the system), or nothing is linked. */
export async function linkAttachments(
  trx: Transaction,
  input: { caseId: string; messageId: string; attachmentIds: string[]; uploaderUserId: string | null },
): Promise<void> {
  const wanted = [...new Set(input.attachmentIds)];
  if (wanted.length === 0) return;
  const invalid = wanted.filter((id) => !UUID.test(id));
  if (invalid.length > 0) throw attachmentErrors.notLinkable(invalid);
  // The row lock of the UPDATE makes a second message using the same upload wait and then
  // find it attached, so an upload never ends up on two messages.
  const linked = await trx
    .updateTable('case_attachments')
    .set({ case_id: input.caseId, message_id: input.messageId })
    .where('id', 'in', wanted)
    .where('case_id', 'is', null)
    .where('message_id', 'is', null)
    .where((eb) =>
      input.uploaderUserId === null
        ? eb('uploaded_by', 'is', null)
        : eb('uploaded_by', '=', input.uploaderUserId),
    )
    .returning('id')
    .execute();
  if (linked.length !== wanted.length) {
    const done = new Set(linked.map((row) => row.id));
    throw attachmentErrors.notLinkable(wanted.filter((id) => !done.has(id)));
  }
}

export async function attachmentsOfMessages(
  db: Executor,
  messageIds: string[],
): Promise<Map<string, AttachmentView[]>> {
  const byMessage = new Map<string, AttachmentView[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom('case_attachments')
    .select(['id', 'message_id', 'filename', 'mime_type', 'size'])
    .where('message_id', 'in', [...new Set(messageIds)])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    if (!row.message_id) continue;
    const list = byMessage.get(row.message_id) ?? [];
    list.push(toAttachmentView(row));
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}

/** The files of one message with their bytes, in upload order (for sending it by mail). */
export async function attachmentContents(
  db: Executor,
  messageId: string,
): Promise<Array<{ id: string; filename: string; mimeType: string; content: Buffer }>> {
  const rows = await db
    .selectFrom('case_attachments as a')
    .innerJoin('attachment_blobs as b', 'b.sha256', 'a.sha256')
    .select(['a.id', 'a.filename', 'a.mime_type', 'b.content'])
    .where('a.message_id', '=', messageId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    filename: row.filename,
    mimeType: row.mime_type,
    content: row.content,
  }));
}

export interface StoredFile {
  filename: string;
  mimeType: string;
  sha256: string;
  content: Buffer;
}

/** The bytes of an attachment for someone who may see it; everyone else gets the same 404. */
export async function readAttachment(
  db: Executor,
  principal: Principal,
  id: string,
  purpose: 'download' | 'preview',
): Promise<StoredFile> {
  const row = await db
    .selectFrom('case_attachments as a')
    .leftJoin('case_messages as m', 'm.id', 'a.message_id')
    .select(['a.case_id', 'a.uploaded_by', 'a.filename', 'a.mime_type', 'a.sha256', 'm.internal'])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row || !(await maySee(db, principal, row))) throw errors.notFound('attachment');
  if (purpose === 'preview' && !previewableTypes.has(row.mime_type)) throw attachmentErrors.noPreview();
  const blob = await db
    .selectFrom('attachment_blobs')
    .select('content')
    .where('sha256', '=', row.sha256)
    .executeTakeFirstOrThrow();
  return { filename: row.filename, mimeType: row.mime_type, sha256: row.sha256, content: blob.content };
}

async function maySee(
  db: Executor,
  principal: Principal,
  row: { case_id: string | null; uploaded_by: string | null; internal: boolean | null },
): Promise<boolean> {
  if (row.case_id === null) return row.uploaded_by !== null && row.uploaded_by === userIdOf(principal);
  try {
    await findVisibleCase(db, principal, row.case_id);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return false;
    throw error;
  }
  // Customers never see what was attached to an internal note (or to no message at all).
  return principal.kind !== 'customer' || row.internal === false;
}
