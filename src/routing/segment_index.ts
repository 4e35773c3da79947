/**
 * Nearest routable edge to a coordinate: a uniform grid over the edges' segments
 * (CSR of segment ids per cell), searched ring by ring until no closer cell can
 * remain. Distances in a local flat projection, exact enough at snapping range.
 */
import type { QueryNetwork } from './routing_data.js';
import { metresPerDegree } from './geo_math.js';

export interface Snap {
  edge: number;
  /** Index of the segment's first coordinate (global coord index). */
  coord: number;
  /** Fraction of the edge's length from its from-node to the snapped point. */
  fraction: number;
  lon: number;
  lat: number;
  /** Metres from the query point. */
  distance: number;
  /** Directions the snap may be left or reached in: DIR_FORWARD | DIR_BACKWARD (snap_filter.ts). */
  directions: number;
}

export interface NearestOptions {
  /** Edges the caller can use (e.g. open to its profile). */
  accept: (edge: number) => boolean;
  /** Usable directions of the segment of `edge` starting at `coord` (0 = skip it); default both. */
  directions?: (edge: number, coord: number) => number;
  count?: number;
  maxDistance: number;
}

const CELL_DEG = 0.0015;

export class SegmentIndex {
  private readonly minLon: number;
  private readonly minLat: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cellStart: Uint32Array;
  private readonly cellSeg: Uint32Array;
  /** Edge of each coordinate's outgoing segment. */
  private readonly coordEdge: Int32Array;
  private readonly cumLen: Float64Array;

  constructor(private readonly net: QueryNetwork) {
    const { coordLon, coordLat, geomStart, edgeCount } = net;
    let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    for (let i = 0; i < coordLon.length; i++) {
      if (coordLon[i] < minLon) minLon = coordLon[i];
      if (coordLon[i] > maxLon) maxLon = coordLon[i];
      if (coordLat[i] < minLat) minLat = coordLat[i];
      if (coordLat[i] > maxLat) maxLat = coordLat[i];
    }
    if (!Number.isFinite(minLon)) { minLon = minLat = maxLon = maxLat = 0; }
    this.minLon = minLon;
    this.minLat = minLat;
    this.cols = Math.max(1, Math.ceil((maxLon - minLon) / CELL_DEG) + 1);
    this.rows = Math.max(1, Math.ceil((maxLat - minLat) / CELL_DEG) + 1);
    this.coordEdge = new Int32Array(coordLon.length).fill(-1);
    this.cumLen = new Float64Array(coordLon.length);
    const cells = this.cols * this.rows;
    const counts = new Uint32Array(cells + 1);
    const forEachCell = (i: number, fn: (cell: number) => void): void => {
      const c0 = this.col(Math.min(coordLon[i], coordLon[i + 1]));
      const c1 = this.col(Math.max(coordLon[i], coordLon[i + 1]));
      const r0 = this.row(Math.min(coordLat[i], coordLat[i + 1]));
      const r1 = this.row(Math.max(coordLat[i], coordLat[i + 1]));
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) fn(r * this.cols + c);
    };
    for (let e = 0; e < edgeCount; e++) {
      let acc = 0;
      for (let i = geomStart[e]; i < geomStart[e + 1] - 1; i++) {
        this.coordEdge[i] = e;
        this.cumLen[i] = acc;
        acc += segLen(coordLon[i], coordLat[i], coordLon[i + 1], coordLat[i + 1]);
        forEachCell(i, (cell) => counts[cell + 1]++);
      }
      this.cumLen[geomStart[e + 1] - 1] = acc;
    }
    for (let i = 0; i < cells; i++) counts[i + 1] += counts[i];
    this.cellStart = counts;
    this.cellSeg = new Uint32Array(counts[cells]);
    const fill = counts.slice(0, cells);
    for (let i = 0; i < coordLon.length - 1; i++) {
      if (this.coordEdge[i] < 0) continue;
      forEachCell(i, (cell) => { this.cellSeg[fill[cell]++] = i; });
    }
  }

  private col(lon: number): number { return Math.min(this.cols - 1, Math.max(0, Math.floor((lon - this.minLon) / CELL_DEG))); }
  private row(lat: number): number { return Math.min(this.rows - 1, Math.max(0, Math.floor((lat - this.minLat) / CELL_DEG))); }

  /** The `count` nearest accepted edges (one snap per edge), nearest first. */
  nearest(lon: number, lat: number, opts: NearestOptions): Snap[] {
    const count = opts.count ?? 1;
    const { x: mx, y: my } = metresPerDegree(lat);
    const best = new Map<number, Snap>();
    const cellMetres = CELL_DEG * Math.min(mx, my);
    const c0 = Math.floor((lon - this.minLon) / CELL_DEG);
    const r0 = Math.floor((lat - this.minLat) / CELL_DEG);
    const maxRing = Math.ceil(opts.maxDistance / cellMetres) + 1;
    const kth = (): number => {
      if (best.size < count) return Infinity;
      return [...best.values()].map((s) => s.distance).sort((a, b) => a - b)[count - 1];
    };
    const { coordLon, coordLat } = this.net;
    for (let ring = 0; ring <= maxRing; ring++) {
      // Every point of ring k is at least (k-1) cells away.
      if ((ring - 1) * cellMetres > Math.min(kth(), opts.maxDistance)) break;
      for (let r = r0 - ring; r <= r0 + ring; r++) {
        if (r < 0 || r >= this.rows) continue;
        const edgeRow = r === r0 - ring || r === r0 + ring;
        for (let c = c0 - ring; c <= c0 + ring; c += edgeRow ? 1 : 2 * ring || 1) {
          if (c < 0 || c >= this.cols) continue;
          const cell = r * this.cols + c;
          for (let k = this.cellStart[cell]; k < this.cellStart[cell + 1]; k++) {
            const i = this.cellSeg[k];
            const e = this.coordEdge[i];
            if (!opts.accept(e)) continue;
            // Project onto the segment in metres around the query point.
            const ax = (coordLon[i] - lon) * mx, ay = (coordLat[i] - lat) * my;
            const bx = (coordLon[i + 1] - lon) * mx, by = (coordLat[i + 1] - lat) * my;
            const dx = bx - ax, dy = by - ay;
            const l2 = dx * dx + dy * dy;
            let t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
            t = Math.max(0, Math.min(1, t));
            const px = ax + t * dx, py = ay + t * dy;
            const d = Math.sqrt(px * px + py * py);
            if (d > opts.maxDistance) continue;
            const prev = best.get(e);
            if (prev && prev.distance <= d) continue;
            const directions = opts.directions ? opts.directions(e, i) : 3;
            if (directions === 0) continue;
            const len = this.net.edgeLength[e];
            const along = this.cumLen[i] + t * (this.cumLen[i + 1] - this.cumLen[i]);
            best.set(e, {
              edge: e,
              coord: i,
              fraction: len > 0 ? Math.min(1, along / this.edgeGeomLength(e)) : 0,
              lon: coordLon[i] + t * (coordLon[i + 1] - coordLon[i]),
              lat: coordLat[i] + t * (coordLat[i + 1] - coordLat[i]),
              distance: d,
              directions,
            });
          }
        }
      }
    }
    return [...best.values()].sort((a, b) => a.distance - b.distance).slice(0, count);
  }

  private edgeGeomLength(e: number): number {
    return this.cumLen[this.net.geomStart[e + 1] - 1] || 1;
  }
}

function segLen(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const { x, y } = metresPerDegree((lat1 + lat2) / 2);
  return Math.hypot((lon2 - lon1) * x, (lat2 - lat1) * y);
}
