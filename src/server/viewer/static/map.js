import { Map as MapLibreMap, NavigationControl, ScaleControl } from '../maplibre-gl/maplibre-gl.mjs';
import { el, copyField, getJson, ROOT } from './dom.js';

const origin = ROOT;
const enc = encodeURIComponent;
// …/viewer/{style|data}/{id}, whatever prefix a reverse proxy put before it
const [kind, rawId] = window.location.pathname.split('/').slice(-2);
const id = decodeURIComponent(rawId || '');
// Read by the browser test and handy in a console: load state and every map error.
const state = { kind, id, loaded: false, errors: [] };
window.tuilerie = state;

function colorFor(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return `hsl(${h % 360}, 75%, 58%)`;
}

/**
 * Where to look first: the data's bounds when they are one town's (a zoom with content), else its
 * centre (the importer puts it on the densest part) at its zoom: the bounds of several extracts
 * open at z7–8, where vector tiles hold little.
 */
function viewOf(tj) {
  const b = tj.bounds;
  const c = tj.center;
  const small = Array.isArray(b) && b.length === 4 && b[2] - b[0] < 0.3 && b[3] - b[1] < 0.2;
  if (small) return { bounds: b, fitBoundsOptions: { padding: 20 } };
  if (Array.isArray(c) && c.length >= 2) return { center: [c[0], c[1]], zoom: c[2] ?? Math.max(tj.minzoom ?? 0, 12) };
  if (Array.isArray(b) && b.length === 4 && b[2] - b[0] < 90 && b[3] - b[1] < 60) return { bounds: b, fitBoundsOptions: { padding: 20 } };
  return { center: [7.34, 47.75], zoom: 12 };
}

function inspectorStyle(tj) {
  const src = { type: 'vector', url: `${origin}/data/${enc(tj.id)}.json` };
  const layers = [{ id: 'background', type: 'background', paint: { 'background-color': '#15181c' } }];
  for (const l of tj.vector_layers || []) {
    const c = colorFor(l.id);
    layers.push(
      { id: `${l.id}-fill`, type: 'fill', source: 'src', 'source-layer': l.id, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': c, 'fill-opacity': 0.12 } },
      { id: `${l.id}-line`, type: 'line', source: 'src', 'source-layer': l.id, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': c, 'line-width': 1 } },
      { id: `${l.id}-circle`, type: 'circle', source: 'src', 'source-layer': l.id, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': c, 'circle-radius': 3, 'circle-stroke-color': '#000', 'circle-stroke-width': 0.5 } },
    );
  }
  return { version: 8, name: `${tj.name || tj.id} (inspector)`, sources: { src }, layers };
}

function rasterStyle(tj) {
  return { version: 8, sources: { src: { type: 'raster', url: `${origin}/data/${enc(tj.id)}.json`, tileSize: 256 } }, layers: [{ id: 'raster', type: 'raster', source: 'src' }] };
}

function legend(map, tj) {
  const rows = (tj.vector_layers || []).map((l) => {
    const box = el('input', { type: 'checkbox', checked: 'checked', onchange: () => {
      for (const suffix of ['fill', 'line', 'circle']) map.setLayoutProperty(`${l.id}-${suffix}`, 'visibility', box.checked ? 'visible' : 'none');
    } });
    return el('label', { class: 'legend-row' }, box, el('span', { class: 'swatch', style: `background:${colorFor(l.id)}` }), l.id);
  });
  document.getElementById('legend').replaceChildren(el('h2', {}, 'Layers'), ...rows);
}

/**
 * One entry per feature: queryRenderedFeatures answers a feature once per style layer drawing it (fill and
 * line of a polygon) and once per tile it crosses (each piece with its own id); entries that would read
 * the same (layer, geometry type, attributes) are one.
 */
function uniqueFeatures(features) {
  const seen = new Set();
  return features.filter((f) => {
    const key = `${f.sourceLayer}|${f.geometry.type.replace('Multi', '')}|${JSON.stringify(f.properties)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
window.tuilerieUniqueFeatures = uniqueFeatures;

function showFeatures(features) {
  const box = document.getElementById('inspect');
  if (!features.length) {
    box.replaceChildren('Hover a feature to see its attributes.');
    return;
  }
  const items = uniqueFeatures(features).slice(0, 8).map((f) => el('div', { class: 'feature' },
    el('h3', {}, el('span', { class: 'swatch', style: `background:${colorFor(f.sourceLayer || '')}` }), `${f.sourceLayer} · ${f.geometry.type}`),
    el('table', {}, ...Object.entries(f.properties).map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, String(v))))),
  ));
  box.replaceChildren(...items);
}

/** Label language: the server rewrites the style's text fields to name:xx with a fallback to name. */
function languagePicker(map, styleUrl) {
  const options = [['', 'as in the style'], ['fr', 'français'], ['de', 'Deutsch'], ['en', 'English'], ['it', 'italiano'], ['nl', 'Nederlands']];
  const select = el('select', { onchange: () => map.setStyle(select.value ? `${styleUrl}?lang=${enc(select.value)}` : styleUrl) },
    ...options.map(([v, label]) => el('option', { value: v }, label)));
  return el('div', { class: 'copy' }, el('label', {}, 'Label language'), select);
}

function reportError(message) {
  state.errors.push(message);
  document.getElementById('inspect').prepend(el('p', { class: 'error' }, message));
}

async function main() {
  let map;
  if (kind === 'style') {
    const styleUrl = `${origin}/styles/${enc(id)}/style.json`;
    const style = await getJson(styleUrl);
    document.title = `${style.name || id} · Tuilerie`;
    document.getElementById('title').textContent = style.name || id;
    document.getElementById('urls').replaceChildren(copyField('MapLibre style URL', styleUrl));
    const vector = Object.values(style.sources || {}).find((s) => s.type === 'vector' && s.url);
    const view = vector ? viewOf(await getJson(vector.url)) : { center: style.center || [7.34, 47.75], zoom: style.zoom ?? 12 };
    map = new MapLibreMap({ container: 'map', style: styleUrl, hash: true, ...view });
    document.getElementById('urls').append(languagePicker(map, styleUrl));
  } else if (kind === 'data') {
    const tj = await getJson(`${origin}/data/${enc(id)}.json`);
    document.title = `${tj.name || id} · Tuilerie inspector`;
    document.getElementById('title').textContent = `${tj.name || id} (inspector)`;
    document.getElementById('urls').replaceChildren(
      copyField('TileJSON URL', `${origin}/data/${enc(id)}.json`),
      copyField('XYZ tile URL', tj.tiles && tj.tiles[0] ? tj.tiles[0] : ''),
    );
    const vector = tj.format === 'pbf';
    map = new MapLibreMap({ container: 'map', style: vector ? inspectorStyle(tj) : rasterStyle(tj), hash: true, ...viewOf(tj) });
    if (vector) {
      legend(map, tj);
      showFeatures([]);
      map.on('mousemove', (e) => {
        const { x, y } = e.point;
        const features = map.queryRenderedFeatures([[x - 4, y - 4], [x + 4, y + 4]]);
        map.getCanvas().style.cursor = features.length ? 'crosshair' : '';
        showFeatures(features);
      });
    }
  } else {
    throw new Error(`unknown page ${window.location.pathname}`);
  }
  window.tuilerieMap = map;
  map.addControl(new NavigationControl(), 'top-right');
  map.addControl(new ScaleControl(), 'bottom-left');
  map.on('error', (e) => reportError(e.error ? e.error.message : String(e)));
  map.on('load', () => { state.loaded = true; });
}

main().catch((e) => reportError(e.message));
