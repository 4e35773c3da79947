/** What capabilities documents say about one layer: a style, or an alias of one (partners keep their old layer names). */
import type { Bounds } from '../core/tile_math.js';

export interface OgcLayer {
  /** Layer name clients request: a style id or one of its aliases. */
  name: string;
  title: string;
  abstract?: string;
  /** The style id it draws. */
  styleId: string;
  /** Extent of the data, degrees; the world when unknown. */
  bounds: Bounds;
  attribution?: string;
  /** Draws vector data GetFeatureInfo can query. */
  queryable?: boolean;
}

/** Web Mercator's whole world, degrees. */
export const WORLD_BOUNDS: Bounds = [-180, -85.0511287798066, 180, 85.0511287798066];
