/** Parses XML with saxes (namespace-aware) and returns its elements as qualified names in document order, with attributes and text. */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  uri: string;
  attributes: Record<string, string>;
  text: string;
  path: string;
}

export function parseXml(xml: string): XmlElement[] {
  const parser = new SaxesParser({ xmlns: true });
  const out: XmlElement[] = [];
  const stack: XmlElement[] = [];
  parser.on('error', (e) => { throw e; });
  parser.on('opentag', (t) => {
    const attributes: Record<string, string> = {};
    for (const [k, a] of Object.entries(t.attributes)) attributes[k] = typeof a === 'string' ? a : a.value;
    const el: XmlElement = { name: t.local ?? t.name, uri: t.uri ?? '', attributes, text: '', path: [...stack.map((s) => s.name), t.local ?? t.name].join('/') };
    out.push(el);
    stack.push(el);
  });
  parser.on('text', (s) => { if (stack.length) stack[stack.length - 1].text += s; });
  parser.on('closetag', () => { stack.pop(); });
  parser.write(xml).close();
  return out;
}
