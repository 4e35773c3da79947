/** What capabilities documents say about one layer (a style) and about the service. */
import type { Bounds } from '../core/tile_math.js';

/** The service as capabilities describe it (config `ogc`). */
export interface OgcServiceInfo {
  title: string;
  abstract: string;
  fees: string;
  accessConstraints: string;
  contactOrganization: string;
  contactPerson: string;
  contactEmail: string;
}

/** A legend image of a layer (WMS GetLegendGraphic). */
export interface LegendUrl {
  href: string;
  width: number;
  height: number;
}

export interface OgcLayer {
  /** Layer name clients request: a style id (its aliases answer too, but are not listed). */
  name: string;
  title: string;
  abstract?: string;
  /** The style id it draws. */
  styleId: string;
  /** Extent of the data, degrees; the world when unknown. */
  bounds: Bounds;
  attribution?: { title: string; url?: string };
  /** Draws a background over the whole map (false: a transparent overlay). */
  opaque: boolean;
  legend?: LegendUrl;
  /** Draws vector data GetFeatureInfo can query. */
  queryable?: boolean;
}

/** Web Mercator's whole world, degrees. */
export const WORLD_BOUNDS: Bounds = [-180, -85.0511287798066, 180, 85.0511287798066];
