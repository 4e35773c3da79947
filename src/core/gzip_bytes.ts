/**
 * Whether bytes are a gzip stream, from its two magic bytes (RFC 1952). Archives
 * store vector tiles gzipped or not, often without saying which in their
 * metadata, so readers trust the bytes.
 */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}
