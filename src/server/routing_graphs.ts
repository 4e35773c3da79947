/**
 * The routing graph the server answers OSRM requests from: the `.routing` file
 * beside the first served archive that has one (`X.mbtiles` → `X.routing`),
 * loaded when first asked for and reloaded when its file changes (a new import
 * replaces it by rename), checked with one stat per call.
 */
import fs from 'node:fs';
import type { Logger } from '../core/logger.js';
import { OsrmService } from '../routing/osrm_service.js';
import { Router } from '../routing/router.js';
import { isBeingBuilt } from '../routing/routing_build_marker.js';
import { readRoutingData } from '../routing/routing_data.js';
import type { SourceRegistry } from './source_registry.js';

/** Loads a `.routing` file into a ready OSRM service. */
export function loadOsrmService(file: string): OsrmService {
  return new OsrmService(new Router(readRoutingData(file)));
}

export interface RoutingGraphsOptions {
  sources: Pick<SourceRegistry, 'list'>;
  logger: Logger;
}

export class RoutingGraphs {
  private service: OsrmService | undefined;
  private loaded: { file: string; mtimeMs: number; size: number } | undefined;
  private readonly failed = new Map<string, number>();

  constructor(private readonly opts: RoutingGraphsOptions) {}

  /** The service over the current graph, or undefined when no served archive has one. */
  current(): OsrmService | undefined {
    if (this.service && this.loaded) {
      const st = statOrNull(this.loaded.file);
      if (st && st.mtimeMs === this.loaded.mtimeMs && st.size === this.loaded.size) return this.service;
      this.service = undefined;
      this.loaded = undefined;
    }
    for (const file of this.candidates()) {
      const st = statOrNull(file);
      if (!st || this.failed.get(file) === st.mtimeMs) continue;
      try {
        const t = Date.now();
        this.service = loadOsrmService(file);
        this.loaded = { file, mtimeMs: st.mtimeMs, size: st.size };
        this.opts.logger.info('routing graph loaded', { file, ms: Date.now() - t });
        return this.service;
      } catch (e) {
        this.failed.set(file, st.mtimeMs);
        this.opts.logger.warn(`routing graph ${file} skipped: ${(e as Error).message}`);
      }
    }
    return undefined;
  }

  /** True when some served archive's graph is being built by a live process (`tuilerie start`). */
  preparing(): boolean {
    return this.candidates().some(isBeingBuilt);
  }

  private candidates(): string[] {
    return this.opts.sources.list().map((e) => e.path.replace(/\.(mbtiles|pmtiles)$/i, '') + '.routing');
  }
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}
