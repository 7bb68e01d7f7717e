// The HTML of inbound mail against known XSS vectors (OWASP XSS filter evasion cheat sheet
// style): nothing that runs, styles, frames, embeds or submits survives.
import { describe, expect, it } from 'vitest';
import { sanitiseEmailHtml } from './email-in.sanitise.js';

const vectors = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  "<IMG SRC=javascript:alert('XSS')>",
  "<IMG SRC=JaVaScRiPt:alert('XSS')>",
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  '<a onmouseover="alert(document.cookie)">xxs link</a>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
  '<IMG SRC=# onmouseover="alert(\'xxs\')">',
  '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
  '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<IMG SRC="jav\tascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">',
  '<IMG SRC=" &#14;  javascript:alert(\'XSS\');">',
  '<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>',
  '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
  '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
  '<iframe src=https://xss.example/scriptlet.html <',
  '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
  '<BODY BACKGROUND="javascript:alert(\'XSS\')">',
  '<IMG DYNSRC="javascript:alert(\'XSS\')">',
  '<STYLE>li {list-style-image: url("javascript:alert(\'XSS\')");}</STYLE><UL><LI>XSS</br>',
  "<svg/onload=alert('XSS')>",
  '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
  '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
  '<IFRAME SRC="javascript:alert(\'XSS\');"></IFRAME>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<FRAMESET><FRAME SRC="javascript:alert(\'XSS\');"></FRAMESET>',
  '<TABLE BACKGROUND="javascript:alert(\'XSS\')"><TD BACKGROUND="javascript:alert(\'XSS\')">',
  '<DIV STYLE="background-image: url(javascript:alert(\'XSS\'))">',
  '<DIV STYLE="width: expression(alert(\'XSS\'));">',
  '<IMG STYLE="xss:expr/*XSS*/ession(alert(\'XSS\'))">',
  '<OBJECT TYPE="text/x-scriptlet" DATA="https://xss.example/scriptlet.html"></OBJECT>',
  '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv">',
  '<form action="https://phish.example/login"><input name="password" type="password"><button>Login</button></form>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="  javascript:alert(1)">x</a><a href="vbscript:msgbox(1)">y</a>',
  '<details open ontoggle=alert(1)>',
  '<base href="javascript:alert(\'XSS\');//">',
  '<xml><i><b>&lt;img src=1 onerror=alert(1)&gt;</b></i></xml>',
];

const forbidden = [
  /<script/i,
  /on\w+=/i,
  /javascript:/i,
  /<iframe/i,
  /<object/i,
  /<embed/i,
  /<form/i,
  /srcdoc/i,
  /<style/i,
  /expression\(/i,
];

describe('sanitiseEmailHtml', () => {
  it(`neutralises ${vectors.length} known XSS vectors`, () => {
    expect(vectors.length).toBeGreaterThanOrEqual(30);
    for (const vector of vectors) {
      const output = sanitiseEmailHtml(`<p>before</p>${vector}<p>after</p>`);
      for (const pattern of forbidden) expect(output, `${vector} → ${output}`).not.toMatch(pattern);
    }
  });

  it('blocks remote images until asked, points cid images at the attachment and opens links safely', () => {
    const preview = '/api/cases/attachments/0b5f6c52-9a4e-4a63-9d0e-9b7d9f1c2a11/preview';
    const output = sanitiseEmailHtml(
      '<img src="https://tracker.example/p.gif" srcset="https://a 2x"><img src="cid:logo@x"><img src="cid:unknown@x"><img src="/api/cases/1/close"><a href="https://example.com" target="_self" onclick="x">e</a><a href="/relative">r</a>',
      { inlineImages: new Map([['logo@x', preview]]) },
    );
    expect(output).toBe(
      `<img data-pw-remote-src="https://tracker.example/p.gif" /><img src="${preview}" /><img data-pw-missing-cid="unknown@x" /><img /><a rel="noopener noreferrer" target="_blank" href="https://example.com">e</a><a rel="noopener noreferrer" target="_blank">r</a>`,
    );
  });

  it('keeps formatting, drops styles and classes except the fold mark on quoted history', () => {
    const output = sanitiseEmailHtml(
      '<div class="WordSection1" style="color:red"><b>Hi</b><table><tr><td colspan="2">x</td></tr></table></div><div class="gmail_quote">old</div><div id="divRplyFwdMsg">From: us</div>',
    );
    expect(output).toBe(
      '<div><b>Hi</b><table><tr><td colspan="2">x</td></tr></table></div><div class="pw-quoted">old</div><div class="pw-quoted">From: us</div>',
    );
  });
});
