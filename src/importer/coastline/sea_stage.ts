/**
 * Stage `coastline`: the coastline ways kept during the OSM read → sea polygons of
 * the import's extent → the profile (as `coastline` source features). The only
 * entry point of the coastline modules into the pipeline.
 */
import type { DataErrors } from '../../core/data_errors.js';
import type { Bounds } from '../../core/tile_math.js';
import { latToY, lonToX } from '../../core/tile_math.js';
import type { NodeStore } from '../../osm/node_store.js';
import type { SourceFeature } from '../../schema/profile.js';
import { areaSquareMetres } from '../feature_geometry.js';
import { joinCoastlines } from './coastline_chains.js';
import type { CoastlineWays } from './coastline_ways.js';
import { SeaBuilder } from './sea_polygons.js';
import { PolygonExtent, RectExtent } from './sea_extent.js';
import type { PolygonGeometry } from '../../core/geometry.js';

/** Open ends closer than this are joined (osmcoastline's default --close-distance). */
const CLOSE_DISTANCE_M = 1;
const EARTH_CIRCUMFERENCE_M = 40075016.686;

export interface CoastlineSummary {
  ways: number;
  /** Closed rings inside the extent, and pieces crossing its boundary. */
  rings: number;
  crossing: number;
  /** Pieces or rings found broken (open end inside the extent, crossing, missing nodes). */
  broken: number;
  seaPolygons: number;
  /** Sea polygons left out because broken coastline bounds or crosses them. */
  seaLeftOut: number;
  /** True when the pieces crossing the extent's boundary do not alternate in and out: no sea was made at all. */
  seaWithheld: boolean;
}

export interface SeaStageOptions {
  coast: CoastlineWays;
  nodes: NodeStore;
  /** The import's extent, [west, south, east, north]. */
  bounds: Bounds;
  /** The --clip outline when there is no --bbox: a single polygon's outer ring becomes the outline the sea is closed along. */
  clip?: PolygonGeometry;
  errors: DataErrors;
  process: (f: SourceFeature) => void;
}

export function runSeaStage(o: SeaStageOptions): CoastlineSummary {
  const [w, s, e, n] = o.bounds;
  const outline = o.clip?.polygons.length === 1 ? o.clip.polygons[0][0] : undefined;
  const extent = outline ? new PolygonExtent(outline) : new RectExtent([lonToX(w), latToY(n), lonToX(e), latToY(s)]);
  const metresPerUnit = EARTH_CIRCUMFERENCE_M * Math.cos((((s + n) / 2) * Math.PI) / 180);
  const chains = joinCoastlines(o.coast, o.nodes, o.errors);
  const sea = new SeaBuilder(extent, CLOSE_DISTANCE_M / metresPerUnit, o.errors).build(chains);
  sea.polygons.forEach((rings, i) => {
    const geometry = { type: 'polygon' as const, polygons: [rings] };
    let area: number | undefined;
    o.process({
      source: 'coastline', table: 'water_polygons', id: i + 1, tags: { natural: 'water' },
      isPoint: false, canBeLine: false, canBePolygon: true, relations: [],
      geometry: () => geometry, areaM2: () => (area ??= areaSquareMetres(geometry)), lengthM: () => 0,
    });
  });
  return { ways: o.coast.size, ...sea.stats };
}
