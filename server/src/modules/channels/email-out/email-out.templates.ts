// One layout for every mail Pitwall writes, in the recipient's language: a header with the
// brand, the body as escaped paragraphs, a signature and a footer. Replies to customers sign
// with the agent's name; notices (password reset, assignment, SLA) with the team. Both parts
// are rendered from the same plain text, so the text part is never an afterthought.
import { type Language, translator } from '../../../platform/i18n.js';

export interface RenderedMail {
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

// Only http(s) links become anchors; each part is escaped on its own, so a URL cannot break out.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

function escapeLine(line: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(URL_IN_TEXT)) {
    const url = escapeHtml(match[0]);
    html += `${escapeHtml(line.slice(last, match.index))}<a href="${url}" style="color:#1c7ed6">${url}</a>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(line.slice(last));
}

/** Plain text as HTML: blank lines separate paragraphs, single line breaks are kept. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n\s*\n/)
    .filter((paragraph) => paragraph.trim() !== '')
    .map(
      (paragraph) =>
        `<p style="margin:0 0 16px 0">${paragraph.split('\n').map(escapeLine).join('<br>\n')}</p>`,
    )
    .join('\n');
}

interface LayoutParts {
  language: Language;
  subject: string;
  body: string;
  signature: string[];
  footer: string;
}

function layout(parts: LayoutParts): RenderedMail {
  const t = translator(parts.language);
  const text = [parts.body.trim(), parts.signature.join('\n'), `-- \n${parts.footer}`].join('\n\n');
  const html = `<!doctype html>
<html lang="${parts.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f1f3f5">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f3f5">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:6px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#212529">
<tr><td style="padding:16px 24px;border-bottom:3px solid #e03131;font-size:16px;font-weight:bold">${escapeHtml(t('mail.layout.brand'))}</td></tr>
<tr><td style="padding:24px 24px 8px 24px">
${textToHtml(parts.body)}
<p style="margin:0 0 16px 0" data-pw-signature="">${parts.signature.map(escapeLine).join('<br>\n')}</p>
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e9ecef;font-size:12px;color:#868e96">${escapeLine(parts.footer)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  return { text: `${text}\n`, html };
}

/** A system notice (password reset, assignment, SLA warning), signed by the team. */
export function renderNotice(input: { language: Language; subject: string; text: string }): RenderedMail {
  const t = translator(input.language);
  return layout({
    language: input.language,
    subject: input.subject,
    body: input.text,
    signature: [t('mail.layout.noticeSignature')],
    footer: t('mail.layout.noticeFooter'),
  });
}

/** An agent's public reply as the customer receives it, signed by the agent. */
export function renderReply(input: {
  language: Language;
  subject: string;
  text: string;
  author: string;
  caseNumber: string;
  portalLink: string;
}): RenderedMail {
  const t = translator(input.language);
  return layout({
    language: input.language,
    subject: input.subject,
    body: input.text,
    signature: [t('mail.layout.closing'), input.author, t('mail.layout.team')],
    footer: t('mail.layout.replyFooter', { number: input.caseNumber, link: input.portalLink }),
  });
}
