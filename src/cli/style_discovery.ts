/**
 * Which styles a command serves when the configuration names none: those of
 * stylesDir (`<dir>/<id>/style.json` or `<dir>/<id>.json`), else the styles
 * bundled with this installation (its `styles/` directory, wherever the package
 * is installed, so `serve x.mbtiles` run from any directory has styles), else
 * none, said in a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { packageRoot } from '../server/viewer/package_root.js';

export type StyleFiles = Record<string, { path: string }>;

/** Styles of a directory: `<dir>/<id>/style.json` or `<dir>/<id>.json`. */
export function discoverStyles(dir: string): StyleFiles {
  const out: StyleFiles = {};
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    if (n.startsWith('.') || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(n)) continue;
    const nested = path.join(dir, n, 'style.json');
    if (fs.existsSync(nested)) out[n] = { path: nested };
    else if (n.endsWith('.json') && fs.statSync(path.join(dir, n)).isFile()) out[n.slice(0, -5)] = { path: path.join(dir, n) };
  }
  return out;
}

/** The styles shipped with this installation. */
export function bundledStylesDir(): string {
  return path.join(packageRoot(), 'styles');
}

/** Styles to add to a configuration without any: stylesDir's, else the bundled ones; warns when there are none. */
export function defaultStyles(stylesDir: string, logger: Logger, bundledDir = bundledStylesDir()): StyleFiles {
  const own = discoverStyles(stylesDir);
  if (Object.keys(own).length) return own;
  const bundled = path.resolve(bundledDir) === path.resolve(stylesDir) ? {} : discoverStyles(bundledDir);
  if (Object.keys(bundled).length) {
    logger.info(`no styles in ${stylesDir}: serving the bundled styles of ${bundledDir} (${Object.keys(bundled).join(', ')})`);
    return bundled;
  }
  logger.warn(`no styles: none configured, none in ${stylesDir}${bundledDir !== stylesDir ? ` nor in ${bundledDir}` : ''}; set "styles" or stylesDir (TUILERIE_STYLES_DIR) to serve maps`);
  return {};
}
