/**
 * LZ4 block decompression (the raw block format, not the frame format), as
 * osmium writes PBF blobs with `pbf_compression=lz4`: sequences of a token
 * (literal length, match length), literals, and a back-reference of 2 bytes.
 * The size of the output is known from the blob's raw_size. Throws an Error
 * saying what is wrong with corrupt input.
 */

export function lz4DecompressBlock(input: Uint8Array, rawSize: number): Uint8Array {
  const out = new Uint8Array(rawSize);
  let ip = 0, op = 0;
  const bad = (why: string) => new Error(why);
  while (ip < input.length) {
    const token = input[ip++];
    let literals = token >>> 4;
    if (literals === 15) {
      const ext = extendedLength(input, ip, 'literal');
      literals += ext.value;
      ip = ext.next;
    }
    if (ip + literals > input.length) throw bad('literals run past the end of the input');
    if (op + literals > rawSize) throw bad('output larger than the raw size');
    out.set(input.subarray(ip, ip + literals), op);
    ip += literals;
    op += literals;
    if (ip >= input.length) break; // the last sequence has literals only
    if (ip + 2 > input.length) throw bad('match offset runs past the end');
    const offset = input[ip] | (input[ip + 1] << 8);
    ip += 2;
    if (offset === 0 || offset > op) throw bad(`match offset ${offset} outside the output so far (${op} bytes)`);
    let length = (token & 15) + 4;
    if ((token & 15) === 15) {
      const ext = extendedLength(input, ip, 'match');
      length += ext.value;
      ip = ext.next;
    }
    if (op + length > rawSize) throw bad('output larger than the raw size');
    // the match may overlap what it writes (a repeated pattern): copy forwards byte by byte
    for (let from = op - offset, end = op + length; op < end;) out[op++] = out[from++];
  }
  if (op !== rawSize) throw bad(`decompressed to ${op} bytes, header says ${rawSize}`);
  return out;
}

/** A length's extra bytes: added up until one is not 255. */
function extendedLength(input: Uint8Array, at: number, what: string): { value: number; next: number } {
  let value = 0, ip = at, b: number;
  do {
    if (ip >= input.length) throw new Error(`${what} length runs past the end`);
    b = input[ip++];
    value += b;
  } while (b === 255);
  return { value, next: ip };
}
