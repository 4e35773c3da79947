/** What an import needs, already validated by the CLI (or a test). */
import type { Logger } from '../core/logger.js';
import type { CoastlineSummary } from './coastline/sea_stage.js';

export interface ImportOptions {
  inputs: string[];
  out: string;
  /** [west, south, east, north]: only tiles intersecting it are written. */
  bbox?: [number, number, number, number];
  /** A GeoJSON (Multi)Polygon file: only tiles intersecting the outline are written. */
  clip?: string;
  minzoom: number;
  maxzoom: number;
  threads: number;
  naturalEarthDir?: string;
  name?: string;
  attribution?: string;
  description?: string;
  /**
   * Memory budget in bytes: tile features past their share of it go to sorted runs in temporary files. Unset: all in
   * memory.
   */
  maxMemoryBytes?: number;
  /** Most tile feature runs the tiles stage reads at once (default: derived from maxMemoryBytes; tile_run_merge.ts). */
  mergeFanIn?: number;
  /** Where the temporary directory goes (default: beside the output). */
  tmpDir?: string;
  /** More metadata keys written into the archive (e.g. the fingerprint of the inputs `start` compares). */
  metadata?: Record<string, string>;
  /** Keep the update store beside the archive (FILE.mbtiles.store/) so `update` can apply OSM changes. */
  updatable?: boolean;
  /** The profile's name in schema/profiles.ts, recorded in the update store. */
  profileName?: string;
  logger: Logger;
  /** A terminal to draw progress bars on; log lines otherwise. */
  tty?: NodeJS.WriteStream;
}

export interface StageTiming {
  stage: string;
  ms: number;
  /** CPU time of the process during the stage, every thread (ms / cpuMs says how many cores were busy). */
  cpuMs: number;
  /** Peak resident memory during the stage. */
  peakRssBytes: number;
}

export interface ImportSummary {
  stages: StageTiming[];
  featuresPerLayer: Record<string, number>;
  tilesPerZoom: Record<number, number>;
  tiles: number;
  bytes: number;
  dataErrors: Record<string, number>;
  osm: { nodes: number; ways: number; relations: number; duplicates: number };
  peakRssBytes: number;
  /** The memory budget the import ran with (none: unbounded). */
  maxMemoryBytes?: number;
  /** Peak bytes of temporary files (tile feature runs, node locations). */
  peakTempBytes: number;
  /** Whether node locations went to a temporary file (past their share of the memory budget). */
  nodesOnDisk: boolean;
  bounds: [number, number, number, number];
  /** The sea built from OSM coastlines, when the input has any. */
  coastline?: CoastlineSummary;
  totalMs: number;
  /** Bytes of the update store (an updatable import). */
  storeBytes?: number;
}
