/** A small well-formedness check for the XML reports: balanced tags, quoted attributes, escaped text. */
export function checkWellFormedXml(xml: string): { root: string; count(tag: string): number } {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const counts = new Map<string, number>();
  const stack: string[] = [];
  let root = '';
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    if (m[6]) throw new Error(`stray "<" at ${m.index}`);
    if (m[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(m[5])) throw new Error(`unescaped & in text at ${m.index}`);
      if (stack.length === 0 && m[5].trim() !== '') throw new Error('text outside the root element');
      continue;
    }
    const [, close, name = '', , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`mismatched </${name}> at ${m.index}`);
      continue;
    }
    if (stack.length === 0) {
      if (root) throw new Error('more than one root element');
      root = name;
    }
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (!selfClose) stack.push(name);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return { root, count: (t) => counts.get(t) ?? 0 };
}
