/**
 * What one vector tile gives the search index: places (the `place` layer),
 * streets (`transportation_name`), points of interest (`poi`) and house numbers
 * (`housenumber`, which carries no street: the nearest named street of the same
 * tile within HOUSE_STREET_MAX_M is taken). A street crossing many tiles gives
 * one piece per tile; pieces of one name are merged later (./search_merge.ts).
 */
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { foldText } from '../core/text_fold.js';

export type SearchType = 'place' | 'street' | 'poi' | 'house';

export interface SearchPiece {
  /** Merge key: pieces with the same key close to each other are one entry. */
  key: string;
  type: SearchType;
  osmKey: string;
  osmValue: string;
  name: string;
  nameFr: string;
  nameDe: string;
  street: string;
  housenumber: string;
  importance: number;
  /** Extent, degrees. */
  minx: number; miny: number; maxx: number; maxy: number;
  /** A point on the feature, degrees. */
  px: number; py: number;
}

/** Place classes by importance; the first three are the municipalities answers name as their `city`. */
export const PLACE_IMPORTANCE: Record<string, number> = {
  city: 1, town: 0.9, village: 0.8, suburb: 0.72, quarter: 0.66, neighbourhood: 0.62, hamlet: 0.6, isolated_dwelling: 0.45, locality: 0.45, island: 0.5,
};
const STREET_IMPORTANCE: Record<string, number> = {
  motorway: 0.5, trunk: 0.56, primary: 0.58, secondary: 0.57, tertiary: 0.56, minor: 0.55, service: 0.5, track: 0.4, path: 0.4, rail: 0.35, transit: 0.35,
};
const POI_IMPORTANCE = 0.5;
const HOUSE_IMPORTANCE = 0.3;
/** A house number further than this from every named street of its tile is indexed without a street. */
const HOUSE_STREET_MAX_M = 80;

type Props = Record<string, string | number | boolean>;

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

function names(p: Props): { name: string; nameFr: string; nameDe: string } {
  return { name: str(p.name) || str(p['name:latin']), nameFr: str(p['name:fr']), nameDe: str(p['name:de']) || str(p.name_de) };
}

function distToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

interface TileGeo { toLon(x: number): number; toLat(y: number): number; metresPerUnit: number }

function tileGeo(z: number, x: number, y: number, extent: number): TileGeo {
  const n = 2 ** z;
  const latOf = (my: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * my))) * 180) / Math.PI;
  const midLat = latOf((y + 0.5) / n);
  return {
    toLon: (u) => ((x + u / extent) / n) * 360 - 180,
    toLat: (v) => latOf((y + v / extent) / n),
    metresPerUnit: (40_075_016.686 * Math.cos((midLat * Math.PI) / 180)) / n / extent,
  };
}

function pieceOf(f: VectorTileFeature, geo: TileGeo, base: Omit<SearchPiece, 'minx' | 'miny' | 'maxx' | 'maxy' | 'px' | 'py'>): SearchPiece {
  const rings = f.loadGeometry();
  let minx = Infinity, miny = Infinity, maxx = -Infinity, maxy = -Infinity;
  for (const ring of rings) for (const p of ring) {
    minx = Math.min(minx, p.x); maxx = Math.max(maxx, p.x); miny = Math.min(miny, p.y); maxy = Math.max(maxy, p.y);
  }
  const first = rings[0] ?? [];
  const mid = first[Math.floor(first.length / 2)] ?? { x: (minx + maxx) / 2, y: (miny + maxy) / 2 };
  return { ...base, minx: geo.toLon(minx), maxx: geo.toLon(maxx), miny: geo.toLat(maxy), maxy: geo.toLat(miny), px: geo.toLon(mid.x), py: geo.toLat(mid.y) };
}

function inTile(f: VectorTileFeature, extent: number): boolean {
  // points in a tile's buffer belong to the neighbour: index each point once
  if (f.type !== 1) return true;
  const p = f.loadGeometry()[0]?.[0];
  return p !== undefined && p.x >= 0 && p.y >= 0 && p.x < extent && p.y < extent;
}

/** The search pieces of one decoded vector tile at z/x/y (XYZ). */
export function searchPiecesOfTile(bytes: Uint8Array, z: number, x: number, y: number): SearchPiece[] {
  const tile = new VectorTile(new PbfReader(bytes));
  const out: SearchPiece[] = [];
  const none = { street: '', housenumber: '' };
  const place = tile.layers.place;
  for (let i = 0; place && i < place.length; i++) {
    const f = place.feature(i);
    const p = f.properties as Props;
    const n = names(p);
    const cls = str(p.class);
    if (!n.name || !inTile(f, place.extent)) continue;
    const rank = typeof p.rank === 'number' ? p.rank : 10;
    const importance = (PLACE_IMPORTANCE[cls] ?? 0.45) + Math.max(0, 0.02 * (1 - rank / 20));
    out.push(pieceOf(f, tileGeo(z, x, y, place.extent), { key: `place|${foldText(n.name)}|${cls}`, type: 'place', osmKey: 'place', osmValue: cls, ...n, ...none, importance }));
  }
  const streets: { name: string; rings: { x: number; y: number }[][] }[] = [];
  const tn = tile.layers.transportation_name;
  for (let i = 0; tn && i < tn.length; i++) {
    const f = tn.feature(i);
    const p = f.properties as Props;
    const n = names(p);
    if (!n.name || f.type !== 2) continue;
    const cls = str(p.class);
    streets.push({ name: n.name, rings: f.loadGeometry() });
    out.push(pieceOf(f, tileGeo(z, x, y, tn.extent), { key: `street|${foldText(n.name)}`, type: 'street', osmKey: 'highway', osmValue: str(p.subclass) || cls, ...n, ...none, importance: STREET_IMPORTANCE[cls] ?? 0.45 }));
  }
  const poi = tile.layers.poi;
  for (let i = 0; poi && i < poi.length; i++) {
    const f = poi.feature(i);
    const p = f.properties as Props;
    const n = names(p);
    if (!n.name || !inTile(f, poi.extent)) continue;
    const cls = str(p.class), sub = str(p.subclass) || cls;
    const rank = typeof p.rank === 'number' ? p.rank : 50;
    out.push(pieceOf(f, tileGeo(z, x, y, poi.extent), { key: `poi|${foldText(n.name)}|${sub}`, type: 'poi', osmKey: cls || 'poi', osmValue: sub, ...n, ...none, importance: POI_IMPORTANCE + Math.max(0, 0.04 * (1 - rank / 100)) }));
  }
  const hn = tile.layers.housenumber;
  for (let i = 0; hn && i < hn.length; i++) {
    const f = hn.feature(i);
    const number = str((f.properties as Props).housenumber);
    if (!number || !inTile(f, hn.extent)) continue;
    const geo = tileGeo(z, x, y, hn.extent);
    const rings = f.loadGeometry();
    const pt = rings[0]?.[0];
    if (!pt) continue;
    let best = '', bestD = HOUSE_STREET_MAX_M / geo.metresPerUnit;
    for (const s of streets) for (const ring of s.rings) for (let k = 1; k < ring.length; k++) {
      const d = distToSegment(pt.x, pt.y, ring[k - 1].x, ring[k - 1].y, ring[k].x, ring[k].y);
      if (d < bestD) { bestD = d; best = s.name; }
    }
    out.push(pieceOf(f, geo, { key: `house|${foldText(best)}|${foldText(number)}`, type: 'house', osmKey: 'place', osmValue: 'house', name: '', nameFr: '', nameDe: '', street: best, housenumber: number, importance: HOUSE_IMPORTANCE }));
  }
  return out;
}
