/** Helpers shared by the XML readers (.osm, osmChange). */
import { TuilerieError } from '../core/errors.js';

/** A numeric attribute, or a BAD_INPUT error naming the file, element and attribute. */
export function numberAttr(file: string, a: Record<string, string>, key: string, el: string): number {
  const v = Number(a[key]);
  if (a[key] === undefined || a[key] === '' || !Number.isFinite(v)) throw badXml(file, `<${el}> with missing or invalid ${key}='${a[key] ?? ''}'`);
  return v;
}

export function badXml(file: string, what: string): TuilerieError {
  return new TuilerieError('BAD_INPUT', `${file}: ${what}`);
}

/** Text of a byte stream, chunk by chunk, refusing bytes that are not UTF-8 (a binary file given as XML). */
export async function* utf8Chunks(source: AsyncIterable<Buffer>, notText: () => Error): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of source) {
    let s: string;
    try {
      s = decoder.decode(chunk, { stream: true });
    } catch {
      throw notText();
    }
    yield s;
  }
}
