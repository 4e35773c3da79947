/**
 * The WMTS tile matrix sets we serve. Two are Web Mercator quadtrees backed by
 * the raster tile service (256 px = OGC GoogleMapsCompatible, and a 512 px
 * variant); LAMB93 is the French national grid for EPSG:2154 as IGN's
 * Géoplateforme (ROK4) publishes it: origin (0, 12 000 000), 256 px tiles,
 * resolutions roughly those of Web Mercator at 48° N, covering metropolitan
 * France. Its tiles are rendered by reprojection. We publish its levels 0–18
 * only (IGN's grid goes on to 21, 0.05 m/px): level 18 (0.4 m/px) already
 * matches the precision of our z14 vector tiles (4096 units across a 1.6 km
 * tile at 48° N), and GIS clients fetch a window at the deepest level unless
 * told a size (`gdal_translate -projwin` without `-outsize` asked for a
 * 20 000 px square at 0.05 m/px).
 */
import { EARTH_CIRCUMFERENCE } from '../core/tile_math.js';

export interface TileMatrix {
  id: string;
  /** Ground metres (or CRS units) per pixel. */
  cellSize: number;
  /** cellSize / 0.28 mm, the OGC standardized rendering pixel size. */
  scaleDenominator: number;
  /** x, y of the top-left corner of the matrix in the CRS, east then north. */
  topLeft: [number, number];
  tileWidth: number;
  tileHeight: number;
  matrixWidth: number;
  matrixHeight: number;
}

export interface TileMatrixSet {
  id: string;
  /** Code as in ./crs.ts (`EPSG:3857`). */
  crs: string;
  title: string;
  wellKnownScaleSet?: string;
  matrices: TileMatrix[];
  /** For Web Mercator quadtrees: the XYZ tile size the raster service draws (level = XYZ zoom). */
  quadtreeTileSize?: 256 | 512;
}

/** OGC's standardized rendering pixel, metres. */
export const STANDARD_PIXEL_SIZE = 0.00028;

const HALF_WORLD = EARTH_CIRCUMFERENCE / 2;

function mercatorQuadtree(opts: { id: string; title: string; tileSize: 256 | 512; maxLevel: number; wellKnownScaleSet?: string }): TileMatrixSet {
  const matrices: TileMatrix[] = [];
  for (let z = 0; z <= opts.maxLevel; z++) {
    const cellSize = EARTH_CIRCUMFERENCE / (opts.tileSize * 2 ** z);
    matrices.push({
      id: String(z),
      cellSize,
      scaleDenominator: cellSize / STANDARD_PIXEL_SIZE,
      topLeft: [-HALF_WORLD, HALF_WORLD],
      tileWidth: opts.tileSize,
      tileHeight: opts.tileSize,
      matrixWidth: 2 ** z,
      matrixHeight: 2 ** z,
    });
  }
  return { id: opts.id, crs: 'EPSG:3857', title: opts.title, wellKnownScaleSet: opts.wellKnownScaleSet, matrices, quadtreeTileSize: opts.tileSize };
}

/**
 * LAMB93 as published by the Géoplateforme (ROK4 tile matrix set "LAMB93"):
 * cell sizes and matrix sizes per level, which are rounded individually and
 * are not exact powers of two apart, so they are listed rather than derived.
 */
const LAMB93_LEVELS: ReadonlyArray<[cellSize: number, matrixWidth: number, matrixHeight: number]> = [
  [104579.224549894, 2, 2],
  [52277.5323537905, 2, 2],
  [26135.4870785954, 2, 2],
  [13066.8913818, 2, 3],
  [6533.2286041135, 2, 5],
  [3266.5595244627, 3, 9],
  [1633.2660045974, 5, 16],
  [816.629554986, 8, 30],
  [408.3139146768, 14, 59],
  [204.1567415109, 26, 117],
  [102.0783167832, 51, 232],
  [51.0391448966, 100, 462],
  [25.5195690743, 199, 922],
  [12.7597836936, 396, 1842],
  [6.379891636, 791, 3682],
  [3.1899457653, 1581, 7363],
  [1.5949728695, 3161, 14724],
  [0.7974864315, 6321, 29447],
  [0.3987432149, 12641, 58892],
];

function lamb93(): TileMatrixSet {
  return {
    id: 'LAMB93',
    crs: 'EPSG:2154',
    title: 'Lambert-93 (Géoplateforme LAMB93 grid)',
    matrices: LAMB93_LEVELS.map(([cellSize, matrixWidth, matrixHeight], z) => ({
      id: String(z),
      cellSize,
      scaleDenominator: cellSize / STANDARD_PIXEL_SIZE,
      topLeft: [0, 12_000_000],
      tileWidth: 256,
      tileHeight: 256,
      matrixWidth,
      matrixHeight,
    })),
  };
}

export const TILE_MATRIX_SETS: readonly TileMatrixSet[] = Object.freeze([
  mercatorQuadtree({ id: 'GoogleMapsCompatible', title: 'Web Mercator, 256 px tiles', tileSize: 256, maxLevel: 20, wellKnownScaleSet: 'urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible' }),
  mercatorQuadtree({ id: 'GoogleMapsCompatible512', title: 'Web Mercator, 512 px tiles', tileSize: 512, maxLevel: 19 }),
  lamb93(),
]);

/** A set by identifier, case-insensitively (clients retype them). */
export function findTileMatrixSet(id: string): TileMatrixSet | undefined {
  const want = id.toLowerCase();
  return TILE_MATRIX_SETS.find((s) => s.id.toLowerCase() === want);
}

/** CRS extent of one tile: [minx, miny, maxx, maxy]. Rows count down from the top. */
export function tileExtent(m: TileMatrix, row: number, col: number): [number, number, number, number] {
  const w = m.tileWidth * m.cellSize, h = m.tileHeight * m.cellSize;
  const minx = m.topLeft[0] + col * w;
  const maxy = m.topLeft[1] - row * h;
  return [minx, maxy - h, minx + w, maxy];
}

/** The tile (row, col) holding a CRS point at a level, unclamped. */
export function tileAt(m: TileMatrix, x: number, y: number): { row: number; col: number } {
  return {
    col: Math.floor((x - m.topLeft[0]) / (m.tileWidth * m.cellSize)),
    row: Math.floor((m.topLeft[1] - y) / (m.tileHeight * m.cellSize)),
  };
}
