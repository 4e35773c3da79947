/**
 * What an import was made from, as one string stored in the archive metadata
 * (`tuilerie_inputs`): every input's absolute path, size, modification time and
 * a hash of its first 64 KiB (the PBF header block, which carries the replication
 * timestamp), plus settings that change the output (schema version, zooms).
 * `start` re-imports when the fingerprint of its inputs differs from the stored
 * one, whatever the file times say (a folder of older extracts, a copy that kept
 * the times of another file).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const FINGERPRINT_METADATA_KEY = 'tuilerie_inputs';
const HEAD_BYTES = 64 * 1024;

function head(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
    return crypto.createHash('sha256').update(buf.subarray(0, n)).digest('hex');
  } finally {
    fs.closeSync(fd);
  }
}

/** Fingerprint of input files and output-shaping settings (order of `inputs` does not matter). */
export function inputFingerprint(inputs: string[], settings: Record<string, string | number> = {}): string {
  const files = inputs.map((f) => path.resolve(f)).sort().map((f) => {
    const st = fs.statSync(f);
    return { path: f, size: st.size, mtimeMs: Math.round(st.mtimeMs), head: head(f) };
  });
  const ordered = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  return 'v1:' + crypto.createHash('sha256').update(JSON.stringify({ files, settings: ordered })).digest('hex');
}
