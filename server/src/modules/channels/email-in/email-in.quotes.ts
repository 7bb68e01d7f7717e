// Splits a plain-text mail body into what the sender wrote now and the history below it
// (quoted lines, "On … wrote:" / "Am … schrieb …:" headers, Outlook's original-message
// blocks, the signature after "-- "). The history is kept, shown folded. Replies written
// between quoted lines (interleaved) stay in the body: folding them would hide the answer.

export interface SplitBody {
  body: string;
  quoted: string | null;
}

const ATTRIBUTION = [
  /^On\s.{1,400}\swrote:\s*$/i,
  /^Am\s.{1,400}\sschrieb\s.{0,400}:\s*$/i,
  /^Le\s.{1,400}\sa écrit\s*:\s*$/i,
  /^Op\s.{1,400}\sschreef\s.{0,400}:\s*$/i,
  /^Den\s.{1,400}\sskrev\s.{0,400}:\s*$/i,
];
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Originalnachricht|Forwarded message|Weitergeleitete Nachricht)\s*-{2,}\s*$/i;
const OUTLOOK_FROM = /^\s*\*?(From|Von|Från|Van):\*?\s/i;
const OUTLOOK_NEXT = /^\s*\*?(Sent|Gesendet|Date|Datum|To|An|Subject|Betreff|Skickat|Verzonden|Cc):\*?\s/i;
const UNDERSCORES = /^\s*_{10,}\s*$/;

function isAttribution(lines: string[], index: number): number {
  const line = lines[index] ?? '';
  if (ATTRIBUTION.some((pattern) => pattern.test(line))) return index;
  // Clients wrap long attribution lines: "On Mon, 3 Nov 2026 at 10:12, Erika Muster <" + "erika@…> wrote:"
  const joined = `${line} ${lines[index + 1] ?? ''}`;
  if (/^(On|Am|Le|Op|Den)\s/i.test(line) && ATTRIBUTION.some((pattern) => pattern.test(joined))) return index;
  return -1;
}

function isOutlookHeader(lines: string[], index: number): boolean {
  const line = lines[index] ?? '';
  if (ORIGINAL_MESSAGE.test(line)) return true;
  const start = UNDERSCORES.test(line) ? index + 1 : index;
  if (!OUTLOOK_FROM.test(lines[start] ?? '')) return false;
  return lines.slice(start + 1, start + 4).some((next) => OUTLOOK_NEXT.test(next));
}

/** The first line of a trailing block of quoted (">") lines, or -1 when quotes are interleaved. */
function trailingQuoteStart(lines: string[], end: number): number {
  const first = lines.findIndex((line, index) => index < end && /^\s*>/.test(line));
  if (first < 0) return -1;
  for (let index = first; index < end; index++) {
    const line = lines[index] ?? '';
    if (line.trim() !== '' && !/^\s*>/.test(line)) return -1;
  }
  return first;
}

export function splitQuotedText(text: string): SplitBody {
  const normalised = text.replace(/\r\n?/g, '\n');
  const lines = normalised.split('\n');
  let cut = lines.length;
  const signature = lines.findIndex((line) => line === '-- ' || line === '--');
  if (signature >= 0) cut = signature;
  for (let index = 0; index < cut; index++) {
    const attribution = isAttribution(lines, index);
    if (attribution >= 0 || isOutlookHeader(lines, index)) {
      cut = index;
      break;
    }
  }
  const quoteStart = trailingQuoteStart(lines, cut);
  if (quoteStart >= 0) {
    cut = quoteStart;
    // "On … wrote:" right above the quote (possibly wrapped over two lines) belongs to it.
    for (let back = Math.max(0, quoteStart - 3); back < quoteStart; back++) {
      if (isAttribution(lines, back) >= 0) {
        cut = back;
        break;
      }
    }
  }
  const body = lines.slice(0, cut).join('\n').trimEnd();
  const quoted = lines.slice(cut).join('\n').trim();
  // A mail that is nothing but history (a bare forward) shows all of it.
  if (body.trim() === '') return { body: normalised.trim(), quoted: null };
  return { body, quoted: quoted === '' ? null : quoted };
}
