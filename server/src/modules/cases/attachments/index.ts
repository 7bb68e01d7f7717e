// Attachments of the cases module: uploads stored once per content hash, typed by their
// bytes, private to the uploader until a message uses them, then as visible as that message.
export { MAX_ATTACHMENT_BYTES } from './attachments.files.js';
export { attachmentRoutes } from './attachments.routes.js';
export {
  attachmentContents,
  attachmentsOfMessages,
  linkAttachments,
  storeAttachment,
  toAttachmentView,
} from './attachments.service.js';
