/**
 * The routers createApp mounts, in order. Adding a feature = one import and one
 * line here (see the doc comment of ./app.ts). The viewer owns '/' and stays last.
 */
import type { FeatureRouterEntry } from './server_deps.js';
import { healthRoutes } from './health_routes.js';
import { dataRoutes } from './data_routes.js';
import { styleRoutes } from './style_routes.js';
import { indexRoutes } from './index_routes.js';
import { fontRoutes } from './fonts_routes.js';
import { spriteRoutes } from './sprite_routes.js';
import { routingRoutes } from './routing_routes.js';
import { rasterRoutes } from './raster_routes.js';
import { ogcRoutes } from './ogc_routes.js';
import { printRoutes } from './print_routes.js';
import { searchRoutes } from './search_routes.js';
import { viewerRoutes } from './viewer/viewer_routes.js';

export const FEATURE_ROUTERS: FeatureRouterEntry[] = [
  { name: 'health', mount: '/', create: healthRoutes },
  { name: 'data', mount: '/', create: dataRoutes },
  { name: 'styles', mount: '/', create: styleRoutes },
  { name: 'index', mount: '/', create: indexRoutes },
  { name: 'fonts', mount: '/', create: fontRoutes },
  { name: 'sprites', mount: '/', create: spriteRoutes },
  { name: 'routing', mount: '/', create: routingRoutes },
  { name: 'raster', mount: '/', create: rasterRoutes },
  { name: 'ogc', mount: '/', create: ogcRoutes },
  { name: 'print', mount: '/', create: printRoutes },
  { name: 'search', mount: '/', create: searchRoutes },
  { name: 'viewer', mount: '/', create: viewerRoutes },
];
