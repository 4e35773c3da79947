/**
 * Default opener of tile archives for the server (MBTiles, PMTiles files or
 * PMTiles URLs, by content). Injected into the registry so tests use fakes.
 */
import { openTileSource } from '../archive/open_tile_source.js';
import type { Logger } from '../core/logger.js';
import type { OpenTileSource } from './source_registry.js';

export function defaultSourceOpener(logger: Logger): OpenTileSource {
  return (location: string) => openTileSource(location, { logger });
}
