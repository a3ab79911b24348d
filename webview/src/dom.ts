/** Tiny DOM helpers: elements from attributes and children (text is always text, never HTML). */
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | ((e: Event) => void)>;

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/**
 * A small, safe subset of markdown: paragraphs, "- " lists, **bold**, `code`, [text](https://…).
 * Links call `open` (the host opens them externally); nothing is parsed as HTML.
 */
export function markdown(text: string, open: (url: string) => void): DocumentFragment {
  const frag = document.createDocumentFragment();
  const blocks = text.replace(/\r\n/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const fence = /^```[\w-]*\n([\s\S]*?)\n?```$/.exec(block.trim());
    if (fence) {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.textContent = fence[1];
      pre.append(code);
      frag.append(pre);
      continue;
    }
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (!lines.length) continue;
    if (lines.every((l) => /^\s*\d+\. /.test(l))) {
      const ol = document.createElement('ol');
      for (const l of lines) {
        const li = document.createElement('li');
        li.append(inline(l.replace(/^\s*\d+\. /, ''), open));
        ol.append(li);
      }
      frag.append(ol);
    } else if (lines.every((l) => /^\s*[-*] /.test(l))) {
      const ul = document.createElement('ul');
      for (const l of lines) {
        const li = document.createElement('li');
        li.append(inline(l.replace(/^\s*[-*] /, ''), open));
        ul.append(li);
      }
      frag.append(ul);
    } else if (lines.length === 1 && blocks.length === 1 && !/\n/.test(text)) {
      frag.append(inline(lines[0], open));
    } else {
      const p = document.createElement('p');
      lines.forEach((l, i) => {
        if (i) p.append(document.createElement('br'));
        p.append(inline(l, open));
      });
      frag.append(p);
    }
  }
  return frag;
}

function inline(text: string, open: (url: string) => void): DocumentFragment {
  const frag = document.createDocumentFragment();
  const re = /(\*\*([^*]+)\*\*|`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)|\*([^*\s][^*]*)\*)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) frag.append(text.slice(last, m.index));
    if (m[2] !== undefined) {
      // Bold may hold code or a link (e.g. **`demo-cluster`**): its content is inline text too.
      const b = document.createElement('strong');
      b.append(inline(m[2], open));
      frag.append(b);
    } else if (m[6] !== undefined) {
      const i = document.createElement('em');
      i.append(inline(m[6], open));
      frag.append(i);
    } else if (m[3] !== undefined) {
      const c = document.createElement('code');
      c.textContent = m[3];
      frag.append(c);
    } else {
      const a = document.createElement('a');
      a.textContent = m[4];
      a.href = m[5];
      const url = m[5];
      a.addEventListener('click', (e) => {
        e.preventDefault();
        open(url);
      });
      frag.append(a);
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) frag.append(text.slice(last));
  return frag;
}
