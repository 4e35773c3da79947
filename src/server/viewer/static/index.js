import { el, copyField, getJson, exists, ROOT } from './dom.js';

const origin = ROOT;
const enc = encodeURIComponent;

function styleCard(s, rasterOk) {
  const styleUrl = `${origin}/styles/${enc(s.id)}/style.json`;
  return el('article', { class: 'card', 'data-style': s.id },
    el('h3', {}, el('a', { href: `${origin}/viewer/style/${enc(s.id)}` }, s.name || s.id)),
    el('p', { class: 'muted' }, `id: ${s.id}`),
    el('p', {}, el('a', { class: 'button', href: `${origin}/viewer/style/${enc(s.id)}` }, 'Open map')),
    copyField('MapLibre style URL (also QGIS Vector Tiles → Style URL)', styleUrl),
    rasterOk ? copyField('QGIS XYZ raster tiles', `${origin}/styles/${enc(s.id)}/{z}/{x}/{y}.png`) : null,
    rasterOk ? copyField('Raster TileJSON', `${origin}/styles/${enc(s.id)}.json`) : null,
  );
}

function dataCard(d) {
  const vector = d.format === 'pbf';
  const layers = Array.isArray(d.vector_layers) ? d.vector_layers.map((l) => l.id) : [];
  return el('article', { class: 'card', 'data-source': d.id },
    el('h3', {}, el('a', { href: `${origin}/viewer/data/${enc(d.id)}` }, d.name || d.id)),
    el('p', { class: 'muted' }, `id: ${d.id} · ${d.format} · z${d.minzoom}–${d.maxzoom}`),
    layers.length ? el('p', { class: 'layers' }, `layers: ${layers.join(', ')}`) : null,
    el('p', {}, el('a', { class: 'button', href: `${origin}/viewer/data/${enc(d.id)}` }, vector ? 'Inspect tiles' : 'View')),
    copyField('TileJSON (MapLibre source "url")', `${origin}/data/${enc(d.id)}.json`),
    copyField(vector ? 'QGIS Vector Tiles XYZ URL' : 'QGIS XYZ tiles', `${origin}/data/${enc(d.id)}/{z}/{x}/{y}.${vector ? 'pbf' : d.format}`),
  );
}

/** From /routing/status.json: 'ready', 'preparing' (`tuilerie start` is still building the graph) or 'absent'. */
function routingCard(status) {
  if (status === 'preparing') {
    return el('article', { class: 'card', 'data-service': 'routing', 'data-state': 'preparing' }, el('h3', {}, 'Routing (OSRM API)'),
      el('p', { class: 'muted' }, 'The routing graph is being prepared: routes will be available in a few minutes (tiles are served already).'));
  }
  if (status !== 'ready') return null;
  return el('article', { class: 'card', 'data-service': 'routing', 'data-state': 'ready' }, el('h3', {}, el('a', { href: `${origin}/routing` }, 'Routing (OSRM API)')),
    el('p', { class: 'muted' }, 'Profiles driving, cycling, walking: /route, /nearest, /table, /trip'),
    el('p', {}, el('a', { class: 'button', href: `${origin}/routing` }, 'Route demo')),
    copyField('OSRM route URL', `${origin}/route/v1/driving/{lon},{lat};{lon},{lat}`));
}

function fill(id, cards, empty) {
  const box = document.getElementById(id);
  box.replaceChildren(...(cards.length ? cards : [el('p', { class: 'muted' }, empty)]));
}

async function main() {
  const [styles, data] = await Promise.all([
    getJson(`${origin}/styles.json`).catch(() => []),
    getJson(`${origin}/data.json`).catch(() => []),
  ]);
  // Raster tiles and WMTS come from other modules; offer their URLs only when the server has them
  // (asked through the raster TileJSON, which costs no rendering).
  const rasterOk = styles.length > 0 && await exists(`${origin}/styles/${enc(styles[0].id)}.json`);
  fill('styles', styles.map((s) => styleCard(s, rasterOk)), 'No style configured.');
  fill('data', data.map(dataCard), 'No data source configured.');
  const wmts = `${origin}/wmts/1.0.0/WMTSCapabilities.xml`;
  const wms = `${origin}/wms?SERVICE=WMS&REQUEST=GetCapabilities`;
  const [wmtsOk, wmsOk, routing] = await Promise.all([
    exists(wmts), exists(wms),
    getJson(`${origin}/routing/status.json`).then((r) => r.status).catch(() => 'absent'),
  ]);
  const services = [
    wmtsOk ? el('article', { class: 'card', 'data-service': 'wmts' }, el('h3', {}, 'WMTS'),
      el('p', { class: 'muted' }, 'Tile matrix sets: GoogleMapsCompatible (256 px), GoogleMapsCompatible512, LAMB93 (Lambert-93, EPSG:2154)'),
      copyField('QGIS WMS/WMTS capabilities URL', wmts),
      copyField('WMTS KVP endpoint (ArcGIS)', `${origin}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities`)) : null,
    wmsOk ? el('article', { class: 'card', 'data-service': 'wms' }, el('h3', {}, 'WMS'),
      el('p', { class: 'muted' }, 'WMS 1.3.0 and 1.1.1 in EPSG:2154, EPSG:3857, EPSG:4326, CRS:84, EPSG:4258, EPSG:3035'),
      copyField('QGIS WMS/WMTS capabilities URL', wms)) : null,
    routingCard(routing),
  ].filter((c) => c !== null);
  if (services.length) {
    document.getElementById('services').hidden = false;
    document.getElementById('service-list').replaceChildren(...services);
  }
  document.body.dataset.ready = 'true';
}

/** The plan form's place box: towns and districts from /search (when the server has an index). */
function planPlaces() {
  const input = document.getElementById('plan-place');
  const list = document.getElementById('plan-places');
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      const res = await fetch(`${origin}/search?q=${enc(q)}&limit=8`).catch(() => undefined);
      if (!res || !res.ok) return;
      const names = (await res.json()).features.filter((f) => ['city', 'district', 'locality'].includes(f.properties.type)).map((f) => f.properties.name);
      list.replaceChildren(...[...new Set(names)].map((n) => el('option', { value: n })));
    }, 150);
  });
}
planPlaces();

main().catch((e) => {
  document.getElementById('styles').replaceChildren(el('p', { class: 'error' }, `Cannot list styles: ${e.message}`));
});
