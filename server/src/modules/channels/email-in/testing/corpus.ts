// A generated corpus of malformed and unusual mail (nothing large is committed): broken
// MIME structure, wrong and unknown charsets, missing and duplicate headers, 8-bit and
// 1 MB headers, zero-byte and huge attachments, S/MIME, invites, TNEF, automatic mail.
const CRLF = '\r\n';
let serial = 0;

export interface CorpusMail {
  name: string;
  raw: Buffer;
}

function headers(extra: Record<string, string> = {}, omit: string[] = []): string {
  serial += 1;
  const base: Record<string, string> = {
    From: `Corpus Sender <corpus-${serial % 7}@customer.test>`,
    To: 'service-de@pitwall.test',
    Subject: `Corpus mail ${serial}`,
    Date: 'Mon, 23 Nov 2026 10:00:00 +0100',
    'Message-ID': `<corpus-${serial}-${Date.now()}@customer.test>`,
    'MIME-Version': '1.0',
    ...extra,
  };
  return Object.entries(base)
    .filter(([name]) => !omit.includes(name))
    .map(([name, value]) => `${name}: ${value}`)
    .join(CRLF);
}

const text = (body: string, extra: Record<string, string> = {}, omit: string[] = []) =>
  `${headers({ 'Content-Type': 'text/plain; charset=utf-8', ...extra }, omit)}${CRLF}${CRLF}${body}`;
const multipart = (
  type: string,
  boundary: string,
  parts: string[],
  close = true,
  extra: Record<string, string> = {},
) =>
  `${headers({ 'Content-Type': `${type}; boundary="${boundary}"`, ...extra })}${CRLF}${CRLF}preamble${CRLF}${parts.map((p) => `--${boundary}${CRLF}${p}`).join(CRLF)}${close ? `${CRLF}--${boundary}--${CRLF}` : ''}`;
const part = (type: string, body: string, extra = '') => `Content-Type: ${type}${CRLF}${extra}${CRLF}${body}`;
const file = (type: string, name: string, content: Buffer) =>
  `Content-Type: ${type}; name="${name}"${CRLF}Content-Disposition: attachment; filename="${name}"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${content.toString('base64').replace(/.{76}/g, `$&${CRLF}`)}`;

function nested(depth: number): string {
  let inner = part('text/plain', 'deep inside');
  for (let level = depth; level > 0; level--)
    inner = `Content-Type: multipart/mixed; boundary="n${level}"${CRLF}${CRLF}--n${level}${CRLF}${inner}${CRLF}--n${level}--`;
  return `${headers()}${CRLF}${inner}`;
}

export function malformedCorpus(options: { largeBytes?: number } = {}): CorpusMail[] {
  const large = options.largeBytes ?? 18 * 1024 * 1024; // base64 makes this a ~25 MB mail
  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  const items: Array<[string, string | Buffer]> = [
    ['plain and simple', text('Hello')],
    [
      'boundary declared, never used',
      `${headers({ 'Content-Type': 'multipart/mixed; boundary="nope"' })}${CRLF}${CRLF}just text`,
    ],
    ['closing boundary missing', multipart('multipart/mixed', 'b1', [part('text/plain', 'no end')], false)],
    [
      'boundary mismatch in nested part',
      multipart('multipart/mixed', 'b2', [
        `Content-Type: multipart/alternative; boundary="inner"${CRLF}${CRLF}--other${CRLF}${part('text/plain', 'x')}`,
      ]),
    ],
    [
      'multipart without boundary parameter',
      `${headers({ 'Content-Type': 'multipart/mixed' })}${CRLF}${CRLF}--x${CRLF}text`,
    ],
    [
      'utf-8 declared, latin-1 bytes',
      Buffer.concat([
        latin1(text('', { 'Content-Type': 'text/plain; charset=utf-8' })),
        latin1('Gr\xfc\xdfe aus K\xf6ln'),
      ]),
    ],
    ['unknown charset', text('Hallo', { 'Content-Type': 'text/plain; charset=x-klingon' })],
    ['UTF-7 body', text('Hi +AOQ-', { 'Content-Type': 'text/plain; charset=utf-7' })],
    [
      'ISO-2022-JP body',
      Buffer.concat([
        Buffer.from(text('', { 'Content-Type': 'text/plain; charset=iso-2022-jp' })),
        Buffer.from([0x1b, 0x24, 0x42, 0x24, 0x33, 0x1b, 0x28, 0x42]),
      ]),
    ],
    ['missing From', text('who?', {}, ['From'])],
    ['missing Subject', text('no subject', {}, ['Subject'])],
    ['missing Date', text('no date', {}, ['Date'])],
    ['missing Message-ID', text('no id', {}, ['Message-ID'])],
    ['missing MIME-Version and Content-Type', text('bare', {}, ['MIME-Version', 'Content-Type'])],
    ['duplicate From', `From: a@customer.test${CRLF}${text('two senders')}`],
    ['duplicate Subject', `Subject: First${CRLF}${text('two subjects')}`],
    ['duplicate Message-ID', `Message-ID: <dup-a@customer.test>${CRLF}${text('two ids')}`],
    [
      '8-bit UTF-8 in headers',
      text('body', {
        Subject: 'Grüße aus München – Ladekabel',
        From: 'Jürgen Müller <juergen.corpus@customer.test>',
      }),
    ],
    [
      '8-bit latin-1 in headers',
      Buffer.concat([latin1(`Subject: Gr\xfc\xdfe${CRLF}`), Buffer.from(text('body', {}, ['Subject']))]),
    ],
    ['malformed encoded-word', text('body', { Subject: '=?utf-8?B?not*base64?= =?utf-8?Q?broken' })],
    ['encoded-word with unknown charset', text('body', { Subject: '=?x-unknown?Q?Hallo?=' })],
    ['1 MB header line', text('big header', { 'X-Long': 'a'.repeat(1024 * 1024) })],
    ['10,000 character subject', text('long subject', { Subject: 'S'.repeat(10_000) })],
    [
      'many headers',
      `${Array.from({ length: 3000 }, (_, i) => `X-Trace-${i}: ${'t'.repeat(100)}`).join(CRLF)}${CRLF}${text('many headers')}`,
    ],
    ['header line without colon', `${headers()}${CRLF}this is not a header${CRLF}${CRLF}body`],
    ['continuation line first', ` folded${CRLF}${text('starts folded')}`],
    [
      'zero-byte attachment',
      multipart('multipart/mixed', 'z', [
        part('text/plain', 'see file'),
        file('application/pdf', 'empty.pdf', Buffer.alloc(0)),
      ]),
    ],
    [
      'a 25 MB mail with one large attachment',
      multipart('multipart/mixed', 'big', [
        part('text/plain', 'large file'),
        file('application/octet-stream', 'large.bin', Buffer.alloc(large, 7)),
      ]),
    ],
    [
      'S/MIME signed',
      multipart('multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256', 'sig', [
        part('text/plain', 'signed text'),
        file('application/pkcs7-signature', 'smime.p7s', Buffer.from([0x30, 0x82, 0x01, 0x00, 1, 2, 3])),
      ]),
    ],
    [
      'S/MIME encrypted',
      `${headers({ 'Content-Type': 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"', 'Content-Transfer-Encoding': 'base64', 'Content-Disposition': 'attachment; filename="smime.p7m"' })}${CRLF}${CRLF}${Buffer.from([0x30, 0x80, 6, 9, 0x2a]).toString('base64')}`,
    ],
    [
      'calendar invite',
      multipart('multipart/alternative', 'cal', [
        part('text/plain', 'Termin'),
        part(
          'text/calendar; method=REQUEST; charset=utf-8',
          'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Werkstatt\r\nDTSTART:20261201T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR',
        ),
      ]),
    ],
    [
      'TNEF winmail.dat',
      multipart('multipart/mixed', 'tnef', [
        part('text/plain', 'see attachment'),
        file(
          'application/ms-tnef',
          'winmail.dat',
          Buffer.concat([Buffer.from([0x78, 0x9f, 0x3e, 0x22]), Buffer.alloc(100, 3)]),
        ),
      ]),
    ],
    ['HTML only', text('<p>Only <b>HTML</b></p>', { 'Content-Type': 'text/html; charset=utf-8' })],
    [
      'HTML with script and styles',
      text('<style>p{}</style><p onclick="x()">Hi<script>alert(1)</script></p>', {
        'Content-Type': 'text/html',
      }),
    ],
    [
      'text and HTML alternative',
      multipart('multipart/alternative', 'alt', [
        part('text/plain', 'plain'),
        part('text/html', '<p>html</p>'),
      ]),
    ],
    ['ten levels of nesting', nested(10)],
    [
      'forwarded message/rfc822',
      multipart('multipart/mixed', 'fwd', [
        part('text/plain', 'FYI'),
        part('message/rfc822', text('the original')),
      ]),
    ],
    ['cid reference without the part', text('<img src="cid:missing@x">', { 'Content-Type': 'text/html' })],
    [
      'inline image with cid',
      multipart('multipart/related', 'rel', [
        part('text/html', '<img src="cid:pic@x">'),
        `Content-Type: image/png${CRLF}Content-ID: <pic@x>${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${png.toString('base64')}`,
      ]),
    ],
    [
      'base64 with invalid characters',
      text('SGVsbG8*!@#$%^&*()gV29ybGQ=', { 'Content-Transfer-Encoding': 'base64' }),
    ],
    [
      'broken quoted-printable',
      text('soft break =\r\nat end =ZZ and =', { 'Content-Transfer-Encoding': 'quoted-printable' }),
    ],
    ['unknown transfer encoding', text('x', { 'Content-Transfer-Encoding': 'x-uuencode' })],
    ['NUL bytes in the body', text('before\u0000after')],
    ['bare LF line ends', text('line one\nline two').replace(/\r\n/g, '\n')],
    ['bare CR line ends', text('line one\rline two').replace(/\r\n/g, '\r')],
    ['headers only, no body', `${headers()}${CRLF}`],
    ['From without an address', text('anonymous', { From: 'Just A Name' })],
    ['From with an invalid address', text('invalid', { From: 'not-an-address' })],
    ['several From addresses', text('group', { From: 'a@customer.test, b@customer.test' })],
    ['international domain in From', text('idn', { From: 'kunde@müller-autos.de' })],
    [
      '500 recipients in To',
      text('many', { To: Array.from({ length: 500 }, (_, i) => `r${i}@customer.test`).join(', ') }),
    ],
    [
      '2,000 MIME parts',
      multipart(
        'multipart/mixed',
        'many',
        Array.from({ length: 2000 }, (_, i) => part('text/plain', `part ${i}`)),
      ),
    ],
    [
      'format=flowed',
      text('flowed \r\ntext', { 'Content-Type': 'text/plain; charset=utf-8; format=flowed; delsp=yes' }),
    ],
    [
      'RFC 2231 encoded filename',
      multipart('multipart/mixed', 'r2231', [
        part('text/plain', 'x'),
        `Content-Type: application/pdf${CRLF}Content-Disposition: attachment; filename*=UTF-8''%C3%BCbersicht.pdf${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${Buffer.from('%PDF-1.4\n%%EOF').toString('base64')}`,
      ]),
    ],
    [
      'path traversal in filename',
      multipart('multipart/mixed', 'pt', [
        part('text/plain', 'x'),
        file('text/plain', '../../etc/passwd', Buffer.from('root:x:0:0')),
      ]),
    ],
    [
      'executable attachment',
      multipart('multipart/mixed', 'exe', [
        part('text/plain', 'run me'),
        file(
          'application/x-msdownload',
          'setup.exe',
          Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]),
        ),
      ]),
    ],
    [
      'PNG labelled as PDF',
      multipart('multipart/mixed', 'lie', [
        part('text/plain', 'x'),
        file('application/pdf', 'scan.pdf', png),
      ]),
    ],
    ['out-of-office', text('I am away', { 'Auto-Submitted': 'auto-replied', Subject: 'Abwesenheitsnotiz' })],
    [
      'delivery status notification',
      multipart(
        'multipart/report; report-type=delivery-status',
        'dsn',
        [
          part('text/plain', 'failed'),
          part(
            'message/delivery-status',
            'Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; gone@customer.test\r\nAction: failed\r\nStatus: 5.1.1',
          ),
        ],
        true,
        { From: 'MAILER-DAEMON@mx.customer.test' },
      ),
    ],
    [
      'read receipt',
      multipart('multipart/report; report-type=disposition-notification', 'mdn', [
        part('text/plain', 'read'),
        part('message/disposition-notification', 'Disposition: manual-action/MDN-sent-manually; displayed'),
      ]),
    ],
    ['mailing list', text('newsletter', { Precedence: 'list', 'List-Id': '<news.customer.test>' })],
  ];
  return items.map(([name, raw]) => ({ name, raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8') }));
}
