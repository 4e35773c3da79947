/**
 * The checkout (or installed package) directory: where `assets/` and
 * `node_modules/` are, whether this code runs from `src/` through tsx or from
 * `dist/src/` after tsc.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && !dir.endsWith(`${path.sep}dist`)) break;
    const up = path.dirname(dir);
    if (up === dir) {
      dir = process.cwd();
      break;
    }
    dir = up;
  }
  cached = dir;
  return dir;
}
