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
import { PolygonExtent, RectExtent, type SeaExtent } from './sea_extent.js';
import { dataOutline, type LonLatPoints } from './data_outline.js';
import type { OpenEndRule } from './open_ends.js';
import { landDrawnAsSea } from './sea_orientation.js';
import { signedArea } from './ring_tree.js';
import type { PolygonGeometry } from '../../core/geometry.js';

/** Open ends closer than this are joined (osmcoastline's default --close-distance). */
const CLOSE_DISTANCE_M = 1;
const EARTH_CIRCUMFERENCE_M = 40075016.686;

export interface CoastlineSummary {
  ways: number;
  /** Closed rings inside the extent, and pieces crossing its boundary. */
  rings: number;
  crossing: number;
  /** Open ends joined to the data's outline as cuts of the extract (only when no extent was given). */
  cutEnds: number;
  /** What the sea was closed along: the --bbox rectangle or the nodes' extent, the --clip outline, or the data's outline. */
  extent: 'rectangle' | 'clip' | 'data';
  /** Pieces or rings found broken (open end inside the extent, crossing, missing nodes). */
  broken: number;
  seaPolygons: number;
  /** Broken islands in the sea left without sea, their sea around them kept (coastline_broken_islet). */
  brokenIslets: number;
  /** Sea polygons left out because they hold land's density of data: coast drawn the wrong way round (coastline_reversed_coast). */
  seaReversed: number;
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
  /**
   * No extent was given (no --bbox, no --clip): the sea is closed along the data's outline, through the nodes and
   * the inputs' header boxes, and open ends near it are taken as the cuts of an extract.
   */
  derived?: { points: LonLatPoints; headerBoxes: readonly (Bounds | undefined)[] };
  errors: DataErrors;
  process: (f: SourceFeature) => void;
}

/** An open end farther than this share of the outline's size (square root of its area) from it is no cut. */
const CUT_END_SHARE = 0.15;

function seaExtent(o: SeaStageOptions): { extent: SeaExtent; kind: CoastlineSummary['extent']; cutEnds?: OpenEndRule } {
  const [w, s, e, n] = o.bounds;
  const rect = new RectExtent([lonToX(w), latToY(n), lonToX(e), latToY(s)]);
  const clipRing = o.clip?.polygons.length === 1 ? o.clip.polygons[0][0] : undefined;
  if (clipRing) return { extent: new PolygonExtent(clipRing), kind: 'clip' };
  const outline = o.derived && dataOutline(o.derived.points, o.derived.headerBoxes);
  if (!outline) return { extent: rect, kind: 'rectangle' };
  return { extent: new PolygonExtent(outline), kind: 'data', cutEnds: { maxDistance: CUT_END_SHARE * Math.sqrt(signedArea(outline)) } };
}

export function runSeaStage(o: SeaStageOptions): CoastlineSummary {
  const [, s, , n] = o.bounds;
  const { extent, kind, cutEnds } = seaExtent(o);
  const metresPerUnit = EARTH_CIRCUMFERENCE_M * Math.cos((((s + n) / 2) * Math.PI) / 180);
  const chains = joinCoastlines(o.coast, o.nodes, o.errors);
  const sea = new SeaBuilder(extent, { closeDistance: CLOSE_DISTANCE_M / metresPerUnit, errors: o.errors, cutEnds }).build(chains);
  const reversed = landDrawnAsSea({ polygons: sea.polygons, extent, nodes: o.nodes, coastNodeIds: o.coast.sortedNodeIds() });
  const polygons = sea.polygons.filter((_, i) => !reversed[i]);
  const seaReversed = sea.polygons.length - polygons.length;
  o.errors.count('coastline_reversed_coast', seaReversed);
  polygons.forEach((rings, i) => {
    const geometry = { type: 'polygon' as const, polygons: [rings] };
    let area: number | undefined;
    o.process({
      source: 'coastline', table: 'water_polygons', id: i + 1, tags: { natural: 'water' },
      isPoint: false, canBeLine: false, canBePolygon: true, relations: [],
      geometry: () => geometry, areaM2: () => (area ??= areaSquareMetres(geometry)), lengthM: () => 0,
    });
  });
  return { ways: o.coast.size, extent: kind, ...sea.stats, seaPolygons: polygons.length, seaReversed };
}
