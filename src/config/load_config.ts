/**
 * Builds the one configuration: defaults < JSON file < environment < CLI flags.
 * Each layer is checked against CONFIG_SCHEMA on its own, so an error names the
 * key, the layer it came from and the closest valid key; the result is frozen.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import { CONFIG_SCHEMA, type KeySpec, type ScalarKey } from './config_schema.js';
import { closestName } from './closest_name.js';
import { fromTileserverGlConfig, isTileserverGlConfig } from './tileserver_gl_config.js';
import type { TuilerieConfig } from './config_types.js';

export interface LoadConfigOptions {
  /** JSON config file. */
  file?: string;
  /** Environment (only variables declared in the schema are read). */
  env?: Record<string, string | undefined>;
  /** CLI flags as a nested object of the schema's shape (e.g. `{ port: 9000, sources: { a: { path } } }`). */
  flags?: Record<string, unknown>;
  /** Directory relative paths resolve against when there is no file (default: cwd). */
  baseDir?: string;
  /** Told what a tileserver-gl config file holds that does not apply here (one line per option). */
  onWarning?: (message: string) => void;
}

type Obj = Record<string, unknown>;
const ID_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Names every JavaScript object answers to: as keys or ids they would reach Object.prototype. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function describeType(spec: ScalarKey): string {
  const base = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', 'string[]': 'a list of strings' }[spec.type];
  const range = spec.min !== undefined || spec.max !== undefined ? ` between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}` : '';
  const values = spec.values ? ` (one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')})` : '';
  return base + range + values;
}

/** Parses an environment string into the key's type; undefined when it cannot. */
function fromEnvString(spec: ScalarKey, raw: string): unknown {
  switch (spec.type) {
    case 'integer':
    case 'number':
      return raw.trim() === '' ? raw : Number(raw);
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return raw;
    case 'string[]':
      return raw.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
    default:
      return raw;
  }
}

function checkScalar(spec: ScalarKey, v: unknown): boolean {
  let ok: boolean;
  switch (spec.type) {
    case 'integer': ok = typeof v === 'number' && Number.isInteger(v); break;
    case 'number': ok = typeof v === 'number' && Number.isFinite(v); break;
    case 'string': ok = typeof v === 'string'; break;
    case 'boolean': ok = typeof v === 'boolean'; break;
    case 'string[]': ok = Array.isArray(v) && v.every((x) => typeof x === 'string'); break;
  }
  if (!ok) return false;
  if (typeof v === 'number' && ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max))) return false;
  if (spec.values && !spec.values.includes(v as string | number)) return false;
  return true;
}

/** Checks one layer against the schema; pushes readable problems into `errors`. */
function checkLayer(layer: Obj, specs: Record<string, KeySpec>, prefix: string, origin: string, errors: string[]): void {
  for (const [key, value] of Object.entries(layer)) {
    const name = prefix + key;
    // own keys only: `specs.constructor` is Object, which is no key of ours
    const spec = Object.hasOwn(specs, key) ? specs[key] : undefined;
    if (!spec) {
      const near = closestName(key, Object.keys(specs));
      errors.push(`unknown config key "${name}" (${origin})${near ? `; did you mean "${prefix}${near}"?` : `; valid keys here: ${Object.keys(specs).join(', ')}`}`);
      continue;
    }
    if (spec.kind === 'scalar') {
      if (!checkScalar(spec, value)) errors.push(`config key "${name}" must be ${describeType(spec)}, got ${JSON.stringify(value)} (${origin})`);
    } else if (spec.kind === 'group') {
      if (!isObj(value)) errors.push(`config key "${name}" must be an object (${origin})`);
      else checkLayer(value, spec.keys, name + '.', origin, errors);
    } else {
      if (!isObj(value)) {
        errors.push(`config key "${name}" must be an object of id → {${Object.keys(spec.entry).join(', ')}} (${origin})`);
        continue;
      }
      for (const [id, entry] of Object.entries(value)) {
        if (RESERVED.has(id)) {
          errors.push(`config key "${name}.${id}": "${id}" is a reserved name; choose another id (${origin})`);
          continue;
        }
        if (!ID_RE.test(id) || id.includes('..')) errors.push(`config key "${name}.${id}": id may hold only letters, digits, '_', '-', '.' (${origin})`);
        if (typeof entry === 'string' && spec.entry.path) continue; // shorthand: id: "file.mbtiles"
        if (!isObj(entry)) {
          errors.push(`config key "${name}.${id}" must be an object with ${Object.keys(spec.entry).map((k) => `"${k}"`).join(', ')} (${origin})`);
          continue;
        }
        checkLayer(entry, spec.entry, `${name}.${id}.`, origin, errors);
        for (const [field, fspec] of Object.entries(spec.entry)) {
          if (fspec.required && entry[field] === undefined) errors.push(`config key "${name}.${id}.${field}" is required (${origin})`);
        }
      }
    }
  }
}

/** One layer per environment variable set, so an error names the variable. */
function envLayers(env: Record<string, string | undefined>, specs: Record<string, KeySpec>, at: string[] = []): Array<{ origin: string; values: Obj }> {
  const out: Array<{ origin: string; values: Obj }> = [];
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.kind === 'group') out.push(...envLayers(env, spec.keys, [...at, key]));
    else if (spec.kind === 'scalar' && spec.env && env[spec.env] !== undefined) {
      let values: Obj = { [key]: fromEnvString(spec, env[spec.env] as string) };
      for (const k of [...at].reverse()) values = { [k]: values };
      out.push({ origin: `environment variable ${spec.env}`, values });
    }
  }
  return out;
}

/** Deep merge of layers: groups merge key by key, map entries merge by id, scalars and lists replace. */
function merge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (RESERVED.has(k)) continue; // refused by checkLayer; never assigned (out.__proto__ = v would replace the prototype)
    out[k] = isObj(v) && isObj(out[k]) ? merge(out[k] as Obj, v) : v;
  }
  return out;
}

function defaults(specs: Record<string, KeySpec>): Obj {
  const out: Obj = {};
  for (const [k, spec] of Object.entries(specs)) {
    if (spec.kind === 'scalar') out[k] = spec.default;
    else if (spec.kind === 'group') out[k] = defaults(spec.keys);
    else out[k] = {};
  }
  return out;
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

function finishMap(raw: Obj, spec: KeySpec, baseDir: string): Obj {
  if (spec.kind !== 'map') return raw;
  const out: Obj = {};
  for (const [id, entry0] of Object.entries(raw)) {
    const entry = typeof entry0 === 'string' ? { path: entry0 } : (entry0 as Obj);
    const full: Obj = {};
    for (const [field, fspec] of Object.entries(spec.entry)) full[field] = entry[field] ?? fspec.default;
    // PMTiles can be read over HTTP range requests: URLs stay as written.
    full.path = /^https?:\/\//i.test(String(entry.path)) ? String(entry.path) : path.resolve(baseDir, String(entry.path));
    if (typeof full.spritesDir === 'string' && full.spritesDir) full.spritesDir = path.resolve(baseDir, full.spritesDir);
    out[id] = full;
  }
  return out;
}

/** Validates already-parsed layers and returns the frozen configuration. */
export function buildConfig(layers: Array<{ origin: string; values: Obj }>, baseDir: string): TuilerieConfig {
  const errors: string[] = [];
  for (const layer of layers) checkLayer(layer.values, CONFIG_SCHEMA, '', layer.origin, errors);
  let merged = defaults(CONFIG_SCHEMA);
  for (const layer of layers) merged = merge(merged, layer.values);
  const publicUrl = String(merged.publicUrl ?? '');
  if (publicUrl) {
    try {
      const u = new URL(publicUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    } catch {
      errors.push(`config key "publicUrl" must be an absolute http(s) URL, got ${JSON.stringify(publicUrl)}`);
    }
  }
  const http = merged.http as { requestTimeoutMs: number; headersTimeoutMs: number };
  if (errors.length === 0 && http.headersTimeoutMs > http.requestTimeoutMs) errors.push(`config key "http.headersTimeoutMs" (${http.headersTimeoutMs}) must not exceed "http.requestTimeoutMs" (${http.requestTimeoutMs})`);
  if (errors.length) {
    throw new TuilerieError('CONFIG_ERROR', `invalid configuration:\n  - ${errors.join('\n  - ')}`, { details: { errors } });
  }
  merged.publicUrl = publicUrl.replace(/\/+$/, '');
  merged.dataDir = path.resolve(baseDir, String(merged.dataDir));
  merged.stylesDir = path.resolve(baseDir, String(merged.stylesDir));
  // a relative cache directory lives with the data, whatever directory the process runs from
  const raster = merged.raster as Obj;
  raster.cacheDir = raster.cacheDir ? path.resolve(String(merged.dataDir), String(raster.cacheDir)) : '';
  merged.sources = finishMap(merged.sources as Obj, CONFIG_SCHEMA.sources, baseDir);
  merged.styles = finishMap(merged.styles as Obj, CONFIG_SCHEMA.styles, baseDir);
  return deepFreeze(merged) as unknown as TuilerieConfig;
}

/** Reads the layers (file, env, flags) and builds the configuration. */
export function loadConfig(opts: LoadConfigOptions = {}): TuilerieConfig {
  const layers: Array<{ origin: string; values: Obj }> = [];
  let baseDir = opts.baseDir ?? process.cwd();
  if (opts.file) {
    let text: string;
    try {
      text = fs.readFileSync(opts.file, 'utf8');
    } catch (e) {
      throw new TuilerieError('CONFIG_ERROR', `cannot read config file ${opts.file}: ${(e as Error).message}`, { cause: e });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new TuilerieError('CONFIG_ERROR', `config file ${opts.file} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    if (!isObj(parsed)) throw new TuilerieError('CONFIG_ERROR', `config file ${opts.file} must hold a JSON object`);
    baseDir = path.dirname(path.resolve(opts.file));
    if (isTileserverGlConfig(parsed)) {
      const translated = fromTileserverGlConfig(parsed, baseDir);
      for (const w of translated.warnings) opts.onWarning?.(w);
      layers.push({ origin: `file ${opts.file} (tileserver-gl)`, values: translated.values });
    } else {
      layers.push({ origin: `file ${opts.file}`, values: parsed });
    }
  }
  if (opts.env) layers.push(...envLayers(opts.env, CONFIG_SCHEMA));
  if (opts.flags) layers.push({ origin: 'command line', values: opts.flags });
  return buildConfig(layers, baseDir);
}
