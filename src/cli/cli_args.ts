/** Parsing of option values shared by several commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import { closestName } from '../config/closest_name.js';

export function parseZoom(s: string, flag: string): number {
  const z = Number(s);
  if (!Number.isInteger(z) || z < 0 || z > 22) throw new TuilerieError('BAD_REQUEST', `${flag} must be an integer from 0 to 22 (got ${s})`);
  return z;
}

export function parseBbox(s: string): [number, number, number, number] {
  const p = s.split(',').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isFinite(n))) throw new TuilerieError('BAD_REQUEST', `--bbox must be W,S,E,N in degrees (got ${s})`);
  const [w, so, e, n] = p;
  if (w < -180 || e > 180 || so < -90 || n > 90 || w >= e || so >= n) throw new TuilerieError('BAD_REQUEST', `--bbox ${s}: expected west < east within ±180 and south < north within ±90`);
  return [w, so, e, n];
}

/** Parses `0-14` or `5` into an inclusive zoom range. */
export function parseZoomRange(s: string, flag: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw new TuilerieError('BAD_REQUEST', `${flag} must be a zoom or a range like 0-14 (got ${s})`);
  const a = parseZoom(m[1], flag), b = m[2] !== undefined ? parseZoom(m[2], flag) : a;
  if (a > b) throw new TuilerieError('BAD_REQUEST', `${flag} ${s}: the range is inverted`);
  return [a, b];
}

/**
 * node:util parseArgs with positionals allowed and `-h/--help` added; a usage
 * mistake becomes a BAD_REQUEST: an unknown option names the closest valid one,
 * other mistakes carry the command's help.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, help: string) {
  const all = { ...options, help: { type: 'boolean' as const, short: 'h' } };
  try {
    return parseArgs({ args, allowPositionals: true as const, strict: true as const, options: all });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const command = /tuilerie ([a-z-]+)/.exec(help)?.[1] ?? '';
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'(-[^']*)'/.exec(err.message)?.[1] ?? err.message;
      const bare = given.replace(/^-+/, '').replace(/=.*$/, '');
      const near = closestName(bare, Object.keys(all));
      throw new TuilerieError('BAD_REQUEST', `unknown option ${given}${near ? `; did you mean --${near}?` : ''} (\`tuilerie ${command} --help\` lists the options)`);
    }
    throw new TuilerieError('BAD_REQUEST', `${err.message}\n\n${help}`);
  }
}

/** `--threads`: a whole number from 1 to 256, or undefined when the flag is absent (the command picks its default). */
export function parseThreads(s: string | undefined, command: string): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new TuilerieError('BAD_REQUEST', `${command}: --threads must be a positive integer up to 256 (got ${s})`);
  return n;
}

/** A byte size: a number with an optional K, M, G or T suffix (binary units: 3G = 3 GiB). */
export function parseByteSize(s: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(s.trim());
  const n = m ? Number(m[1]) * 1024 ** ' KMGT'.indexOf((m[2] || ' ').toUpperCase()) : NaN;
  if (!m || !Number.isFinite(n) || n < 1) throw new TuilerieError('BAD_REQUEST', `${flag} must be a size such as 3G, 512M or 2048K (got ${s})`);
  return Math.floor(n);
}

/** A duration such as 24h, 30m, 90s, 2d or 500ms, in milliseconds. */
export function parseDuration(s: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/i.exec(s.trim());
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const n = m ? Number(m[1]) * unit[m[2].toLowerCase()] : NaN;
  if (!m || !Number.isFinite(n) || n < 1000) throw new TuilerieError('BAD_REQUEST', `${flag} must be a duration of at least 1s such as 24h, 30m, 90s or 2d (got ${s})`);
  return Math.round(n);
}

/** Name of the configuration file read from the working directory when neither --config nor TUILERIE_CONFIG is given. */
export const DEFAULT_CONFIG_FILE = 'tuilerie.json';

/**
 * The configuration file: --config, else the TUILERIE_CONFIG variable, else
 * ./tuilerie.json when it exists, else none (defaults and environment only).
 */
export function configFileFrom(flag: string | undefined, env: NodeJS.ProcessEnv, cwd = process.cwd()): string | undefined {
  if (flag) return flag;
  if (env.TUILERIE_CONFIG) return env.TUILERIE_CONFIG;
  const local = path.join(cwd, DEFAULT_CONFIG_FILE);
  return fs.existsSync(local) ? local : undefined;
}
