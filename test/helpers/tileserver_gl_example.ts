/** The example config.json of tileserver-gl's documentation (docs/config.rst of maptiler/tileserver-gl), as written there. */
export const TILESERVER_GL_DOC_EXAMPLE = {
  options: {
    paths: { root: '', fonts: 'fonts', sprites: 'sprites', icons: 'icons', styles: 'styles', mbtiles: 'data', pmtiles: 'data', files: 'files' },
    domains: ['localhost:8080', '127.0.0.1:8080'],
    allowedHosts: 'localhost,myapp.example.com',
    formatOptions: { jpeg: { quality: 80 }, webp: { quality: 90 } },
    maxScaleFactor: 3,
    maxSize: 2048,
    pbfAlias: 'pbf',
    serveAllFonts: false,
    serveAllStyles: false,
    serveStaticMaps: true,
    allowRemoteMarkerIcons: true,
    allowInlineMarkerImages: true,
    staticAttributionText: '© OpenMapTiles  © OpenStreetMaps',
    tileMargin: 0,
  },
  styles: {
    basic: { style: 'basic.json', tilejson: { type: 'overlay', bounds: [8.44806, 47.32023, 8.62537, 47.43468] } },
    hybrid: { style: 'satellite-hybrid.json', serve_rendered: false, tilejson: { format: 'webp' } },
    remote: { style: 'https://demotiles.maplibre.org/style.json' },
  },
  data: { 'zurich-vector': { mbtiles: 'zurich.mbtiles' } },
};
