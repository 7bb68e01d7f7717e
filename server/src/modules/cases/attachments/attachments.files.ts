// What an uploaded file really is, judged by its bytes and never by its name, and how to
// name it safely when it is handed back.
import { fileTypeFromBuffer } from 'file-type';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The types anyone may attach, with the extensions a file of that type may keep. */
const allowed: Record<string, readonly string[]> = {
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'image/gif': ['.gif'],
  'image/webp': ['.webp'],
  'application/pdf': ['.pdf'],
  'text/plain': ['.txt', '.log'],
  'text/csv': ['.csv'],
  // Outlook's winmail.dat (TNEF), so what a customer sent by mail is never lost (email channel).
  'application/vnd.ms-tnef': ['.dat'],
};

const TNEF_SIGNATURE = Buffer.from([0x78, 0x9f, 0x3e, 0x22]);

export const previewableTypes: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
]);

export type SniffResult = { allowed: true; mimeType: string } | { allowed: false; detected: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isPlainText(content: Buffer): boolean {
  if (content.includes(0)) return false;
  try {
    strictUtf8.decode(content);
    return true;
  } catch {
    return false;
  }
}

/** The MIME type of the content, or why it is refused. Text is only ever plain text or CSV
 * (an `.html` name does not make HTML out of it); the name only tells CSV from plain text. */
export async function sniffContentType(content: Buffer, filename: string): Promise<SniffResult> {
  if (content.subarray(0, 4).equals(TNEF_SIGNATURE))
    return { allowed: true, mimeType: 'application/vnd.ms-tnef' };
  const detected = await fileTypeFromBuffer(content);
  if (detected && !detected.mime.startsWith('text/')) {
    return detected.mime in allowed
      ? { allowed: true, mimeType: detected.mime }
      : { allowed: false, detected: detected.mime };
  }
  if (!isPlainText(content))
    return { allowed: false, detected: detected?.mime ?? 'application/octet-stream' };
  return { allowed: true, mimeType: extensionOf(filename) === '.csv' ? 'text/csv' : 'text/plain' };
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot).toLowerCase() : '';
}

/** The last path segment without control characters, at most 200 characters, never empty. */
export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (cleaned.length === 0 || cleaned === '.' || cleaned === '..') return 'attachment';
  if (cleaned.length <= 200) return cleaned;
  const extension = extensionOf(cleaned).slice(0, 10);
  return cleaned.slice(0, 200 - extension.length) + extension;
}

/** Gives the name the extension of its real type, so a PNG called `scan.pdf` is saved as
 * `scan.pdf.png` and a text file called `page.html` as `page.html.txt`. */
export function nameForType(filename: string, mimeType: string): string {
  const extensions = allowed[mimeType];
  if (!extensions || extensions.includes(extensionOf(filename))) return filename;
  return `${filename}${extensions[0]}`;
}

/** `Content-Disposition` with an ASCII fallback and the exact name per RFC 5987 / 6266. */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The `Content-Type` header to serve stored content with. */
export function servedContentType(mimeType: string): string {
  return mimeType.startsWith('text/') ? `${mimeType}; charset=utf-8` : mimeType;
}
