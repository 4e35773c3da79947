/**
 * The options of a city plan, validated once for both the CLI and HTTP: every
 * value arrives as a string (argv, query) or JSON, and leaves typed and bounded.
 */
import { TuilerieError } from '../core/errors.js';
import type { Bounds } from '../core/tile_math.js';
import { PAPER_NAMES, type Orientation, type PaperName } from './paper.js';

export type PlanFormat = 'pdf' | 'png' | 'svg';
export type PlanLang = 'fr' | 'de';
export type IndexPlacement = 'side' | 'page';

export interface PlanOptions {
  place?: string;
  bbox?: Bounds;
  paper: PaperName;
  orientation: Orientation;
  /** Scale denominator (5000 = 1:5,000); undefined chooses the largest standard scale that fits. */
  scale?: number;
  dpi: number;
  style: string;
  lang: PlanLang;
  index: IndexPlacement;
  format: PlanFormat;
  /** Title instead of the place name. */
  title?: string;
}

export const PLAN_LIMITS = Object.freeze({
  minDpi: 72,
  maxDpi: 600,
  minScale: 500,
  maxScale: 250_000,
  /** Map raster pixels (A0 at 300 dpi is about 1.4e8). */
  maxMapPixels: 160e6,
  /** Longest side of a bbox, in degrees: beyond this a city plan makes no sense. */
  maxBboxDegrees: 2,
});

const KEYS = ['place', 'bbox', 'paper', 'orientation', 'scale', 'dpi', 'style', 'lang', 'index', 'format', 'title'] as const;

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** Candidates sorted by edit distance to `name` (case and accents ignored), closest first. */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const n = fold(name);
  const scored = [...new Set(candidates)].map((c) => {
    const f = fold(c);
    // a prefix or substring match is closer than any edit distance
    const d = f.startsWith(n) ? 0 : f.includes(n) ? 0.5 : editDistance(n, f);
    return { c, d };
  });
  const limit = Math.max(3, Math.ceil(n.length / 2));
  return scored.filter((s) => s.d <= limit).sort((a, b) => a.d - b.d || a.c.localeCompare(b.c)).slice(0, max).map((s) => s.c);
}

function oneOf<T extends string>(key: string, v: unknown, allowed: readonly T[], dflt: T): T {
  if (v === undefined || v === '') return dflt;
  const s = String(v);
  const hit = allowed.find((a) => a.toLowerCase() === s.toLowerCase());
  if (!hit) throw new TuilerieError('BAD_REQUEST', `${key} "${s}" is not one of ${allowed.join(', ')}`);
  return hit;
}

function numberIn(key: string, v: unknown, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).replace(/^1:/, '').replace(/[_,\s]/g, ''));
  if (!Number.isFinite(n)) throw new TuilerieError('BAD_REQUEST', `${key} "${String(v)}" is not a number`);
  if (n < min || n > max) throw new TuilerieError('TOO_BIG', `${key} ${n} is outside ${min}–${max}`);
  return n;
}

export function parseBbox(v: unknown): Bounds {
  const parts = Array.isArray(v) ? v.map(Number) : String(v).split(',').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) throw new TuilerieError('BAD_REQUEST', `bbox "${String(v)}": expected W,S,E,N in degrees`);
  const [w, s, e, n] = parts;
  if (w >= e || s >= n || w < -180 || e > 180 || s < -85 || n > 85) throw new TuilerieError('BAD_REQUEST', `bbox "${String(v)}": expected W,S,E,N with W < E and S < N`);
  if (e - w > PLAN_LIMITS.maxBboxDegrees || n - s > PLAN_LIMITS.maxBboxDegrees) throw new TuilerieError('TOO_BIG', `bbox "${String(v)}" spans more than ${PLAN_LIMITS.maxBboxDegrees}°: a city plan covers a town, not a region`);
  return [w, s, e, n];
}

/** Options from loosely typed input (argv strings or JSON). Unknown keys are an error naming the closest one. */
export function parsePlanOptions(raw: Record<string, unknown>, defaults: { format?: PlanFormat } = {}): PlanOptions {
  for (const k of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(k)) {
      const near = closestNames(k, KEYS, 1)[0];
      throw new TuilerieError('BAD_REQUEST', `unknown plan option "${k}"${near ? ` (did you mean "${near}"?)` : ''}`);
    }
  }
  const place = raw.place === undefined || raw.place === '' ? undefined : String(raw.place).trim();
  const bbox = raw.bbox === undefined || raw.bbox === '' ? undefined : parseBbox(raw.bbox);
  if (!place && !bbox) throw new TuilerieError('BAD_REQUEST', 'a plan needs place (a town or district name) or bbox (W,S,E,N)');
  if (place && bbox) throw new TuilerieError('BAD_REQUEST', 'give place or bbox, not both');
  const scale = numberIn('scale', raw.scale, PLAN_LIMITS.minScale, PLAN_LIMITS.maxScale);
  const dpi = numberIn('dpi', raw.dpi, PLAN_LIMITS.minDpi, PLAN_LIMITS.maxDpi) ?? 300;
  const style = raw.style === undefined || raw.style === '' ? 'print' : String(raw.style);
  if (!/^[\w.-]{1,64}$/.test(style)) throw new TuilerieError('BAD_REQUEST', `style "${style}" is not a style id`);
  const title = raw.title === undefined ? undefined : String(raw.title).slice(0, 120);
  return {
    place,
    bbox,
    paper: oneOf('paper', raw.paper, PAPER_NAMES, 'A3'),
    orientation: oneOf('orientation', raw.orientation, ['portrait', 'landscape'] as const, 'landscape'),
    scale: scale === undefined ? undefined : Math.round(scale),
    dpi: Math.round(dpi),
    style,
    lang: oneOf('lang', raw.lang, ['fr', 'de'] as const, 'fr'),
    index: oneOf('index', raw.index, ['side', 'page'] as const, 'side'),
    format: oneOf('format', raw.format, ['pdf', 'png', 'svg'] as const, defaults.format ?? 'pdf'),
    title,
  };
}
