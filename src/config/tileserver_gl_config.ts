/**
 * A tileserver-gl `config.json` read as ours, so a deployment moves over with its
 * file unchanged. Its shape (docs/config.rst of maptiler/tileserver-gl):
 *
 *   { "options": { "paths": { "root", "mbtiles", "pmtiles", "styles", "fonts", … }, … },
 *     "styles": { id: { "style": "file.json" | URL, "serve_rendered", "serve_data", "tilejson" } },
 *     "data":   { id: { "mbtiles": "file" } | { "pmtiles": "file" | URL } } }
 *
 * Paths resolve as tileserver-gl resolves them: `root` against the config file's
 * directory, the others against `root`. What has a Tuilerie equivalent is mapped
 * onto it; everything else gives one warning naming the option and why it does
 * not apply. Tuilerie keys may sit beside them (e.g. "publicUrl") and are checked
 * as usual.
 */
import path from 'node:path';

type Obj = Record<string, unknown>;

export interface TranslatedConfig {
  /** A layer of our config (absolute paths). */
  values: Obj;
  /** One line per option that does not apply, for the log. */
  warnings: string[];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** tileserver-gl's keys: our schema has neither `options` nor `data`, so either one tells the two apart. */
export function isTileserverGlConfig(o: Obj): boolean {
  return Object.hasOwn(o, 'options') || Object.hasOwn(o, 'data');
}

/** Options with no Tuilerie equivalent, and what Tuilerie does instead. */
const IGNORED_OPTIONS: Record<string, string> = {
  domains: 'tile URLs use this server\'s own address (publicUrl, or the request\'s Host)',
  allowedHosts: 'set "publicUrl" for fixed URLs; forwarded hosts are trusted only with "trustProxy"',
  frontPage: 'Tuilerie serves its own landing page',
  maxScaleFactor: 'raster tiles come at @2x and @3x, static maps up to raster.maxPixels',
  tileMargin: 'raster tiles are rendered in metatiles (raster.metaSize), labels are placed across tile edges',
  minRendererPoolSizes: 'one browser renders every scale (raster.poolSize pages)',
  maxRendererPoolSizes: 'one browser renders every scale (raster.poolSize pages)',
  pbfAlias: 'vector tiles are served at .pbf (and .mvt) only',
  serveAllFonts: 'every font Tuilerie has is served',
  serveStaticMaps: 'static maps are always served',
  watermark: 'no watermark is drawn',
  staticAttributionText: 'no attribution is drawn into static maps',
  allowRemoteMarkerIcons: 'marker icons are images of the style\'s sprite, never fetched',
  allowInlineMarkerImages: 'marker icons are images of the style\'s sprite, never inline',
  leafletRetina: 'the viewer is MapLibre GL, which asks for what the screen needs',
  dataDecorator: 'not supported',
  sparse: 'empty or missing tiles answer cache.missingTileStatus (204 unless set to 404)',
};

const IGNORED_PATHS: Record<string, string> = {
  fonts: 'fonts are Tuilerie\'s own glyphs (Noto and Open Sans families, with fallbacks for other names)',
  icons: 'static-map marker icons are images of the style\'s sprite',
  files: '/files is not served',
};

const IGNORED_DATA_KEYS: Record<string, string> = {
  encoding: 'no elevation API',
  tileSize: 'the tile size is read from the archive',
  sparse: IGNORED_OPTIONS.sparse,
  s3Profile: 's3:// archives are not read',
  s3Region: 's3:// archives are not read',
  s3UrlFormat: 's3:// archives are not read',
  requestPayer: 's3:// archives are not read',
};

interface Paths {
  root: string;
  styles: string;
  mbtiles: string;
  pmtiles: string;
  sprites: string;
}

function pathsOf(options: Obj, configDir: string, warn: (m: string) => void): Paths {
  const p = isObj(options.paths) ? options.paths : {};
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  const root = path.resolve(configDir, str('root'));
  for (const k of Object.keys(p)) {
    if (['root', 'styles', 'mbtiles', 'pmtiles', 'sprites'].includes(k)) continue;
    warn(`options.paths.${k}: ${IGNORED_PATHS[k] ?? 'unknown tileserver-gl path, ignored'}`);
  }
  return { root, styles: path.resolve(root, str('styles')), mbtiles: path.resolve(root, str('mbtiles')), pmtiles: path.resolve(root, str('pmtiles')), sprites: path.resolve(root, str('sprites')) };
}

function translateOptions(options: Obj, paths: Paths, out: Obj, warn: (m: string) => void): void {
  const raster: Obj = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'paths') continue;
    if (key === 'maxSize' && typeof value === 'number') {
      raster.maxPixels = Math.min(8192, Math.max(256, Math.round(value)));
      if (raster.maxPixels !== value) warn(`options.maxSize ${value}: Tuilerie takes 256 to 8192, using ${raster.maxPixels as number}`);
    } else if (key === 'formatOptions' && isObj(value)) {
      const qualities = ['jpeg', 'webp'].map((f) => (isObj(value[f]) ? (value[f] as Obj).quality : undefined)).filter((q): q is number => typeof q === 'number');
      if (qualities.length) raster.quality = Math.min(100, Math.max(1, Math.round(qualities[0])));
      if (new Set(qualities).size > 1) warn(`options.formatOptions: one quality serves JPEG and WebP here; using ${raster.quality as number}`);
      for (const [fmt, opts] of Object.entries(value)) {
        for (const k of Object.keys(isObj(opts) ? opts : {})) if (!((fmt === 'jpeg' || fmt === 'webp') && k === 'quality')) warn(`options.formatOptions.${fmt}.${k}: not applied (only the JPEG/WebP quality is, as raster.quality)`);
      }
    } else if (key === 'serveAllStyles' && value === true) {
      out.stylesDir = paths.styles;
      warn(`options.serveAllStyles: the .json styles of ${paths.styles} are served only when "styles" lists none`);
    } else if (key === 'serveAllStyles' || (key === 'serveStaticMaps' && value !== false)) {
      // the defaults: nothing to say
    } else {
      warn(`options.${key}: ${IGNORED_OPTIONS[key] ?? 'unknown tileserver-gl option, ignored'}`);
    }
  }
  if (Object.keys(raster).length) out.raster = { ...(isObj(out.raster) ? out.raster : {}), ...raster };
}

function translateData(data: Obj, paths: Paths, warn: (m: string) => void): Obj {
  const sources: Obj = {};
  for (const [id, entry] of Object.entries(data)) {
    if (!isObj(entry)) {
      warn(`data.${id}: expected an object with "mbtiles" or "pmtiles"; skipped`);
      continue;
    }
    const mbtiles = typeof entry.mbtiles === 'string' ? entry.mbtiles : undefined;
    const pmtiles = typeof entry.pmtiles === 'string' ? entry.pmtiles : undefined;
    if (mbtiles !== undefined) sources[id] = { path: path.resolve(paths.mbtiles, mbtiles) };
    else if (pmtiles !== undefined && /^s3:\/\//i.test(pmtiles)) warn(`data.${id}: s3:// archives are not read (serve it over https, or copy it here); skipped`);
    else if (pmtiles !== undefined) sources[id] = { path: isUrl(pmtiles) ? pmtiles : path.resolve(paths.pmtiles, pmtiles) };
    else warn(`data.${id}: neither "mbtiles" nor "pmtiles"; skipped`);
    for (const k of Object.keys(entry)) {
      if (k === 'mbtiles' || k === 'pmtiles') continue;
      warn(`data.${id}.${k}: ${IGNORED_DATA_KEYS[k] ?? 'unknown tileserver-gl data option, ignored'}`);
    }
  }
  return sources;
}

function translateStyles(styles: Obj, paths: Paths, warn: (m: string) => void): Obj {
  const out: Obj = {};
  for (const [id, entry] of Object.entries(styles)) {
    if (!isObj(entry) || typeof entry.style !== 'string') {
      warn(`styles.${id}: expected an object with "style"; skipped`);
      continue;
    }
    if (isUrl(entry.style)) {
      warn(`styles.${id}: remote styles are not fetched (${entry.style.slice(0, 80)}); save it under ${paths.styles}; skipped`);
      continue;
    }
    const style: Obj = { path: path.resolve(paths.styles, entry.style), spritesDir: paths.sprites };
    if (entry.serve_rendered === false) style.rendered = false;
    out[id] = style;
    for (const k of Object.keys(entry)) {
      if (k === 'style' || k === 'serve_rendered') continue;
      if (k === 'serve_data' && entry.serve_data !== false) continue;
      const why = k === 'serve_data' ? 'the style and its data stay served (the renderer reads them over HTTP)' : k === 'tilejson' ? 'the raster TileJSON is built from the data source\'s metadata' : 'unknown tileserver-gl style option, ignored';
      warn(`styles.${id}.${k}: ${why}`);
    }
  }
  return out;
}

/** Our config layer for a tileserver-gl config read from `configDir`. */
export function fromTileserverGlConfig(config: Obj, configDir: string): TranslatedConfig {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(`tileserver-gl config: ${m}`);
  const options = isObj(config.options) ? config.options : {};
  const paths = pathsOf(options, configDir, warn);
  const values: Obj = {};
  for (const [k, v] of Object.entries(config)) if (k !== 'options' && k !== 'styles' && k !== 'data') values[k] = v;
  translateOptions(options, paths, values, warn);
  values.sources = translateData(isObj(config.data) ? config.data : {}, paths, warn);
  // tileserver-gl serves archives its styles name without a data entry: ours are found in dataDir
  if (Object.keys(values.sources as Obj).length === 0 && values.dataDir === undefined) values.dataDir = paths.mbtiles;
  values.styles = translateStyles(isObj(config.styles) ? config.styles : {}, paths, warn);
  return { values, warnings };
}
