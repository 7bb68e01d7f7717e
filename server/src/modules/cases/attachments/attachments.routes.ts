// Upload (multipart, one file) and download of case attachments. Registered under /api/cases.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../../platform/database.js';
import { errorResponses } from '../../../platform/http.js';
import { requirePrincipal } from '../../identity/index.js';
import { AttachmentView } from '../cases.schemas.js';
import { contentDisposition, MAX_ATTACHMENT_BYTES, servedContentType } from './attachments.files.js';
import {
  attachmentErrors,
  readAttachment,
  type StoredFile,
  uploadAttachment,
} from './attachments.service.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Bytes = Type.String({ format: 'binary', description: 'The file content' });

/** Reads the one file of the form (field `file`); anything else in the form is refused. */
async function readUpload(request: FastifyRequest): Promise<{ filename: string; content: Buffer }> {
  if (!request.isMultipart()) throw attachmentErrors.formInvalid();
  let upload: { filename: string; content: Buffer } | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file' || part.fieldname !== 'file' || upload) throw attachmentErrors.formInvalid();
      upload = { filename: part.filename, content: await part.toBuffer() };
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw attachmentErrors.tooLarge();
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT')
      throw attachmentErrors.formInvalid();
    throw error;
  }
  if (!upload) throw attachmentErrors.formInvalid();
  return upload;
}

function sendFile(reply: FastifyReply, file: StoredFile, disposition: 'attachment' | 'inline') {
  return reply
    .header('content-type', servedContentType(file.mimeType))
    .header('content-disposition', contentDisposition(disposition, file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cross-origin-resource-policy', 'same-origin')
    .header('cache-control', 'private, max-age=3600')
    .header('etag', `"${file.sha256}"`)
    .send(file.content);
}

export function attachmentRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Scoped to this plugin: no other route accepts multipart bodies.
    await app.register(multipart, {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 0 },
      throwFileSizeLimit: true,
    });

    app.post(
      '/attachments',
      {
        config: { rule: { allow: ['staff', 'customer'], permission: 'cases:write' } },
        schema: {
          tags: ['cases'],
          summary:
            'Upload one file (multipart field `file`, at most 10 MB); unattached until a message uses it',
          consumes: ['multipart/form-data'],
          response: { 201: AttachmentView, ...errorResponses(400, 401, 403, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const upload = await readUpload(request);
        return reply.status(201).send(await uploadAttachment(db, request.context, upload));
      },
    );

    app.get(
      '/attachments/:id',
      {
        config: { rule: { allow: ['staff', 'customer'], permission: 'cases:read' } },
        schema: {
          tags: ['cases'],
          summary: 'Download an attachment (your own upload, or one on a case message you may see)',
          params: IdParams,
          response: { 200: Bytes, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const file = await readAttachment(db, requirePrincipal(request), request.params.id, 'download');
        return sendFile(reply, file, 'attachment');
      },
    );

    app.get(
      '/attachments/:id/preview',
      {
        config: { rule: { allow: ['staff', 'customer'], permission: 'cases:read' } },
        schema: {
          tags: ['cases'],
          summary: 'Show an image attachment inline (images only)',
          params: IdParams,
          response: { 200: Bytes, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const file = await readAttachment(db, requirePrincipal(request), request.params.id, 'preview');
        return sendFile(reply, file, 'inline');
      },
    );
  };
}
