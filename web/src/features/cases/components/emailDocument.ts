/**
 * The document an email's HTML is shown in (the `srcdoc` of a sandboxed frame). The server
 * sanitised the HTML already; this is the second wall, in the browser: a strict Content
 * Security Policy (no scripts, no frames, no fetches, images only inline or our own
 * attachments until the agent asks for remote ones), no referrer, and the markup cleaned once
 * more by walking an inert DOM: active elements removed, event handlers and unsafe links
 * dropped, links opened in a new tab without opener or referrer.
 */

const REMOTE_SRC = 'data-pw-remote-src';

/** Elements that run code, load documents, submit data or change how the page is read. */
const DROPPED_ELEMENTS = [
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'meta',
  'link',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'noscript',
  'template',
  'portal',
  'svg',
  'math',
].join(',');

/** Attributes that fetch, navigate or submit on their own. */
const DROPPED_ATTRIBUTES = new Set([
  'srcset',
  'ping',
  'action',
  'formaction',
  'background',
  'poster',
  'xlink:href',
]);

const SAFE_LINK = /^(?:https?:|mailto:|tel:|#)/i;
const ATTACHMENT_PATH = '/api/cases/attachments/';

export function contentSecurityPolicy(origin: string, remoteImages: boolean): string {
  const images = ['data:', `${origin}${ATTACHMENT_PATH}`, ...(remoteImages ? ['https:'] : [])];
  return [
    "default-src 'none'",
    `img-src ${images.join(' ')}`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function isOwnAttachment(src: string, origin: string): boolean {
  return src.startsWith(ATTACHMENT_PATH) || src.startsWith(`${origin}${ATTACHMENT_PATH}`);
}

function cleanAttributes(element: Element, origin: string, remoteImages: boolean): void {
  for (const attribute of Array.from(element.attributes)) {
    const name = attribute.name.toLowerCase();
    if (name.startsWith('on') || DROPPED_ATTRIBUTES.has(name)) element.removeAttribute(attribute.name);
  }
  const tag = element.tagName.toLowerCase();
  if (tag === 'img') {
    const src = element.getAttribute('src') ?? '';
    if (src && !src.startsWith('data:image/') && !isOwnAttachment(src, origin))
      element.removeAttribute('src');
    const remote = element.getAttribute(REMOTE_SRC) ?? '';
    if (remoteImages && /^https:\/\//i.test(remote)) element.setAttribute('src', remote);
  } else if (element.hasAttribute('src')) {
    element.removeAttribute('src');
  }
  if (element.hasAttribute('href')) {
    const href = (element.getAttribute('href') ?? '').trim();
    if (!SAFE_LINK.test(href)) element.removeAttribute('href');
    else if (!href.startsWith('#')) {
      element.setAttribute('target', '_blank');
      element.setAttribute('rel', 'noopener noreferrer');
    }
  }
}

export interface EmailDocument {
  srcDoc: string;
  /** Images the sanitiser parked in `data-pw-remote-src`: the agent may choose to load them. */
  hasRemoteImages: boolean;
  /** Quoted history the sanitiser marked `pw-quoted`: folded unless `showQuoted`. */
  hasQuoted: boolean;
}

const BASE_STYLE =
  'body{margin:8px;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:14px;' +
  'line-height:1.5;color:#212529;overflow-wrap:anywhere}img{max-width:100%;height:auto}' +
  'blockquote{margin:0 0 0 8px;padding-left:8px;border-left:2px solid #ced4da;color:#495057}';

export interface EmailDocumentOptions {
  /** The app's origin: our own attachment images may load from it. */
  origin: string;
  remoteImages: boolean;
  showQuoted: boolean;
}

export function emailDocument(html: string, options: EmailDocumentOptions): EmailDocument {
  // DOMParser makes an inert document: nothing in it runs or loads while it is cleaned.
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  for (const element of Array.from(parsed.querySelectorAll(DROPPED_ELEMENTS))) element.remove();
  for (const element of Array.from(parsed.querySelectorAll('*')))
    cleanAttributes(element, options.origin, options.remoteImages);
  const hasRemoteImages = parsed.querySelector(`img[${REMOTE_SRC}]`) !== null;
  const hasQuoted = parsed.querySelector('.pw-quoted') !== null;
  // After the mail's own styles, so they cannot unfold it.
  const folding = options.showQuoted ? '' : '<style>.pw-quoted{display:none!important}</style>';
  const headStyles = Array.from(parsed.head.querySelectorAll('style'))
    .map((style) => style.outerHTML)
    .join('');
  const csp = contentSecurityPolicy(options.origin, options.remoteImages);
  const srcDoc =
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    '<meta name="referrer" content="no-referrer">' +
    `<style>${BASE_STYLE}</style>${headStyles}${folding}</head><body>${parsed.body.innerHTML}</body></html>`;
  return { srcDoc, hasRemoteImages, hasQuoted };
}
