/**
 * Where a JSON path (`$.containerDefinitions[0].memory`, as taskdef-validate reports them) is in
 * a JSON text: the offsets of the member's key (or of the array element / root value), so that
 * problems can be shown as diagnostics on the right spot. Tolerant: on a syntax error it returns
 * what it found so far. No vscode, no I/O.
 */
export interface Span {
  start: number;
  end: number;
}

export function locateJsonPaths(text: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return text.slice(start + 1, i - 1);
    }
  };
  const value = (path: string, keySpan?: Span): void => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      for (;;) {
        ws();
        if (text[i] === '}') {
          i++;
          break;
        }
        if (text[i] !== '"') throw new Error('expected key');
        const ks = i;
        const key = str();
        const span = { start: ks, end: i };
        ws();
        if (text[i] !== ':') throw new Error('expected :');
        i++;
        value(`${path}.${key}`, span);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          break;
        } else throw new Error('expected , or }');
      }
    } else if (c === '[') {
      i++;
      let n = 0;
      for (;;) {
        ws();
        if (text[i] === ']') {
          i++;
          break;
        }
        value(`${path}[${n++}]`);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          break;
        } else throw new Error('expected , or ]');
      }
    } else if (c === '"') {
      str();
    } else {
      const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!m) throw new Error('unexpected token');
      i += m[0].length;
    }
    spans.set(path, keySpan ?? { start, end: i });
  };
  try {
    value('$');
  } catch {
    // keep what was found
  }
  return spans;
}

/** The span of `path`, or of its nearest located ancestor (e.g. a missing member's object). */
export function locate(spans: Map<string, Span>, path: string): Span | undefined {
  for (let p = path; p; ) {
    const found = spans.get(p);
    if (found) return found;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return spans.get('$');
}
