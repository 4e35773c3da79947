/**
 * Where tests find the shared real data: one setting, TUILERIE_TEST_DATA
 * (default ../shared/data beside the checkout), so the same tests run on a
 * Geofabrik download by pointing it elsewhere.
 */
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATA = path.resolve(process.env.TUILERIE_TEST_DATA ?? path.join(REPO_ROOT, '..', 'shared', 'data'));
export const OSM_DIR = path.join(SHARED_DATA, 'osm');
export const NATURAL_EARTH_DIR = path.join(SHARED_DATA, 'naturalearth');
export const UPSTREAM_STYLES_DIR = path.join(SHARED_DATA, 'styles');
export const FIXTURES_DIR = path.join(SHARED_DATA, 'fixtures');
export const CLI = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

export function osmFile(name: string): string {
  return path.join(OSM_DIR, name);
}

/** A fresh temporary directory per test, removed by the caller's after hook. */
export function tempDir(prefix = 'tuilerie-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
