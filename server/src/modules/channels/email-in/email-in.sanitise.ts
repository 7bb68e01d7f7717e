// HTML of inbound mail, made safe to show inside the agent workspace: an allow-list of
// tags and attributes, no scripts, styles, forms, frames or event handlers; links open in
// a new tab without a referrer; remote images do not load until someone asks (the viewer
// reads `data-pw-remote-src`); `cid:` images point at the stored attachment's preview.
import sanitizeHtml from 'sanitize-html';

const allowedTags = [
  ...['a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup'],
  ...['dd', 'del', 'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img'],
  ...['ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'small', 'span', 'strike', 'strong', 'sub'],
  ...['sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul'],
];

const cellAttributes = ['colspan', 'rowspan', 'align', 'valign', 'width', 'height'];

/** Classes mail clients put on quoted history; they become `pw-quoted` so the viewer can fold it. */
const QUOTE_MARKERS = /\b(gmail_quote|gmail_extra|moz-cite-prefix|yahoo_quoted|OutlookMessageHeader)\b/;
const QUOTE_IDS = /^(divRplyFwdMsg|appendonsend|mail-editor-reference-message-container)$/;
const ATTACHMENT_PREVIEW = /^\/api\/cases\/attachments\/[0-9a-f-]{36}\/preview$/;

export interface SanitiseOptions {
  /** Content-ID (without angle brackets) → the stored attachment's preview URL. */
  inlineImages?: ReadonlyMap<string, string>;
}

function withQuoteMark(attribs: Record<string, string>, quoted: boolean): Record<string, string> {
  const { class: _class, id: _id, ...rest } = attribs;
  return quoted ? { ...rest, class: 'pw-quoted' } : rest;
}

function imageSource(src: string, inlineImages: ReadonlyMap<string, string>): Record<string, string> {
  const trimmed = src.trim();
  if (/^cid:/i.test(trimmed)) {
    const cid = trimmed.slice(4).replace(/^<|>$/g, '');
    const url = inlineImages.get(cid) ?? inlineImages.get(decodeURIComponent(cid));
    return url ? { src: url } : { 'data-pw-missing-cid': cid.slice(0, 200) };
  }
  if (/^https?:\/\//i.test(trimmed)) return { 'data-pw-remote-src': trimmed };
  if (ATTACHMENT_PREVIEW.test(trimmed)) return { src: trimmed };
  return {};
}

export function sanitiseEmailHtml(html: string, options: SanitiseOptions = {}): string {
  const inlineImages = options.inlineImages ?? new Map<string, string>();
  return sanitizeHtml(html, {
    allowedTags,
    disallowedTagsMode: 'discard',
    // Their text is never shown: a <style> or <title> must not turn into visible text.
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'xml'],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'title', 'width', 'height', 'data-pw-remote-src', 'data-pw-missing-cid'],
      td: cellAttributes,
      th: cellAttributes,
      table: ['border', 'cellpadding', 'cellspacing', 'width', 'align'],
      font: ['color', 'size', 'face'],
      ol: ['start', 'type'],
      blockquote: ['class'],
      div: ['class'],
      span: ['class'],
      '*': ['dir', 'lang'],
    },
    allowedClasses: { blockquote: ['pw-quoted'], div: ['pw-quoted'], span: ['pw-quoted'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    allowedStyles: {},
    parseStyleAttributes: false,
    transformTags: {
      a: (tagName, attribs) => {
        const href = (attribs.href ?? '').trim();
        const absolute = /^(https?:|mailto:|tel:)/i.test(href);
        const kept: Record<string, string> = { rel: 'noopener noreferrer', target: '_blank' };
        if (absolute) kept.href = href;
        if (attribs.title) kept.title = attribs.title;
        return { tagName, attribs: kept };
      },
      img: (tagName, attribs) => {
        const { src, srcset: _srcset, ...rest } = attribs;
        return { tagName, attribs: { ...rest, ...imageSource(src ?? '', inlineImages) } };
      },
      blockquote: (tagName, attribs) => ({ tagName, attribs: withQuoteMark(attribs, true) }),
      div: (tagName, attribs) => ({
        tagName,
        attribs: withQuoteMark(
          attribs,
          QUOTE_MARKERS.test(attribs.class ?? '') || QUOTE_IDS.test(attribs.id ?? ''),
        ),
      }),
      span: (tagName, attribs) => ({ tagName, attribs: withQuoteMark(attribs, false) }),
    },
  });
}
