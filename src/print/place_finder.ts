/**
 * Finds a town or district by name in the imported data: place points (the
 * `place` layer) and, for small extracts without one, the town hall named after
 * the commune. The extent is a radius by kind of place, kept to the data's
 * bounds. Unknown names are answered with the closest names the data has.
 */
import { TuilerieError } from '../core/errors.js';
import { latToY, lonToX, xToLon, yToLat } from '../core/tile_math.js';
import type { TileSource } from '../archive/tile_source.js';
import { readFeatures, tilesOver } from './tile_features.js';
import { closestNames } from './plan_options.js';
import { groundMetres, mercBoxOf, type MercBox } from './plan_scale.js';

export interface FoundPlace {
  name: string;
  /** Place class (city, town, village, suburb…) or `town_hall`. */
  kind: string;
  lon: number;
  lat: number;
  /** What the plan should show. */
  extent: MercBox;
}

/** Ground radius shown around a place point, by class. */
const RADIUS_M: Record<string, number> = {
  city: 3000, town: 1500, village: 800, suburb: 800, quarter: 500, neighbourhood: 350, hamlet: 300,
  isolated_dwelling: 150, locality: 300, island: 1000, town_hall: 1500,
};

/** Preference when several features share the name. */
const KIND_ORDER = ['city', 'town', 'village', 'suburb', 'quarter', 'neighbourhood', 'hamlet', 'town_hall'];

/** Largest number of tiles scanned for names; past it a coarser zoom is read. */
const MAX_SCAN_TILES = 4096;

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[\s'’-]+/g, ' ').trim();

interface Candidate { name: string; kind: string; x: number; y: number; rank: number }

export class PlaceFinder {
  private candidates?: Promise<Candidate[]>;

  constructor(private readonly source: TileSource) {}

  /** The place named `name` (case and accents ignored); NOT_FOUND with suggestions otherwise. */
  async find(name: string): Promise<FoundPlace> {
    const all = await this.scan();
    const wanted = fold(name);
    const hits = all.filter((c) => fold(c.name) === wanted);
    if (!hits.length) {
      const near = closestNames(name, all.map((c) => c.name));
      throw new TuilerieError('NOT_FOUND', `no place named "${name}" in the data${near.length ? `; closest names: ${near.join(', ')}` : ''}. Give another name or --bbox W,S,E,N`, { details: { suggestions: near } });
    }
    const order = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
    hits.sort((a, b) => order(a.kind) - order(b.kind) || a.rank - b.rank);
    const best = hits[0];
    return { name: best.name, kind: best.kind, lon: xToLon(best.x), lat: yToLat(best.y), extent: this.extentOf(best) };
  }

  private extentOf(c: Candidate): MercBox {
    const lat = yToLat(c.y);
    const r = (RADIUS_M[c.kind] ?? 1000) / groundMetres(1, lat);
    const around = { x0: c.x - r, y0: c.y - r, x1: c.x + r, y1: c.y + r };
    const b = this.source.metadata().bounds;
    if (!b) return around;
    const data = mercBoxOf(b);
    const clipped = { x0: Math.max(around.x0, data.x0), y0: Math.max(around.y0, data.y0), x1: Math.min(around.x1, data.x1), y1: Math.min(around.y1, data.y1) };
    // a place at the edge of an extract still gets its own surroundings
    return clipped.x1 > clipped.x0 && clipped.y1 > clipped.y0 ? clipped : around;
  }

  private scan(): Promise<Candidate[]> {
    this.candidates ??= this.doScan();
    return this.candidates;
  }

  private async doScan(): Promise<Candidate[]> {
    const meta = this.source.metadata();
    const b = meta.bounds ?? [-180, -85, 180, 85];
    const box = mercBoxOf(b);
    let z = Math.min(14, meta.maxzoom);
    while (z > meta.minzoom && tilesOver(box, z).count > MAX_SCAN_TILES) z--;
    const features = await readFeatures(this.source, {
      z,
      box,
      layers: ['place', 'poi'],
      filter: (layer, p) => typeof p.name === 'string' && (layer === 'place' ? p.class !== 'country' && p.class !== 'continent' && p.class !== 'state' : p.class === 'town_hall' && p.subclass === 'townhall'),
    });
    const seen = new Map<string, Candidate>();
    for (const f of features) {
      const pt = f.geometry[0]?.[0];
      if (!pt) continue;
      const kind = f.layer === 'poi' ? 'town_hall' : String(f.properties.class);
      const name = String(f.properties.name);
      const key = `${kind}|${name}|${Math.round(pt[0] * 1e5)}|${Math.round(pt[1] * 1e5)}`;
      if (!seen.has(key)) seen.set(key, { name, kind, x: pt[0], y: pt[1], rank: Number(f.properties.rank ?? 99) });
    }
    return [...seen.values()];
  }
}

/** A bbox as an extent (for --bbox). */
export function extentOfBbox(b: [number, number, number, number]): MercBox {
  return { x0: lonToX(b[0]), y0: latToY(b[3]), x1: lonToX(b[2]), y1: latToY(b[1]) };
}
