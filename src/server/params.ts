/** Validation of path parameters: every route parses its input here and fails with BAD_REQUEST and a message. */
import type { TilesetMetadata } from '../archive/tile_source.js';
import { TuilerieError } from '../core/errors.js';

const INT_RE = /^(0|[1-9][0-9]{0,14})$/;

function parseIntParam(name: string, raw: string): number {
  if (!INT_RE.test(raw)) throw new TuilerieError('BAD_REQUEST', `${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

/** z/x/y as integers inside the grid and the source's zoom range. */
export function parseTileCoords(params: { z: string; x: string; y: string }, meta: Pick<TilesetMetadata, 'minzoom' | 'maxzoom'>): { z: number; x: number; y: number } {
  const z = parseIntParam('z', params.z);
  const x = parseIntParam('x', params.x);
  const y = parseIntParam('y', params.y);
  if (z < meta.minzoom || z > meta.maxzoom) {
    throw new TuilerieError('BAD_REQUEST', `zoom ${z} is outside this source's range ${meta.minzoom}–${meta.maxzoom}`);
  }
  const n = 2 ** z;
  if (x >= n || y >= n) throw new TuilerieError('BAD_REQUEST', `tile ${z}/${x}/${y} is outside the grid: x and y must be in 0…${n - 1} at zoom ${z}`);
  return { z, x, y };
}

/**
 * A name used to look something up (source, style, font, sprite): no path
 * separators, no `..`, no control characters, so it can never escape a directory.
 */
export function assertSafeName(name: string, what: string): string {
  if (name.length === 0 || name.length > 256 || name.includes('/') || name.includes('\\') || name.includes('..') || /[\u0000-\u001f]/.test(name)) {
    throw new TuilerieError('BAD_REQUEST', `invalid ${what} name "${name.slice(0, 64)}": no '/', '\\' or '..' allowed`);
  }
  return name;
}
