/**
 * Search snippets are HTML with only <mark> highlights. The server escapes the rest already;
 * this keeps the text and the <mark> elements and drops every other tag and every attribute.
 */
export function sanitizeSnippet(html: string): string {
  const source = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body;
  const clean = document.createElement('div');
  const copy = (from: Node, to: Node): void => {
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) to.appendChild(document.createTextNode(node.textContent ?? ''));
      else if (node.nodeName === 'MARK') copy(node, to.appendChild(document.createElement('mark')));
      else if (node.nodeType === Node.ELEMENT_NODE && !['SCRIPT', 'STYLE'].includes(node.nodeName))
        copy(node, to);
    }
  };
  copy(source, clean);
  return clean.innerHTML;
}
