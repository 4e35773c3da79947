/**
 * The page the Chromium backend loads: one MapLibre map kept between renders
 * (its tile cache makes neighbouring metatiles cheap) and `tuilerieRender(o)`,
 * which moves the camera, waits until everything is loaded and returns the
 * drawing buffer (or a crop of it) as run-length coded, base64 RGBA
 * (./readback_runs.ts says why): bottom row first, premultiplied alpha.
 *
 * Fast path (`o.fast`): MapLibre repaints the whole frame for every tile that
 * arrives; we skip the painter until the map reports `idle` and then draw once.
 * It wraps the private `map.painter.render`, so maplibre-gl is pinned and a
 * pixel-diff test compares it with the stock path. The sky is skipped when it
 * is transparent (`painter.drawFunctions.sky`, private too): see createMap.
 */

import { encodeRuns } from './readback_runs.js';

export const RENDER_PAGE_SCRIPT = String.raw`
import * as maplibregl from './maplibre-gl.mjs';

const encodeRuns = ${encodeRuns.toString()};

const container = document.getElementById('map');
let map = null;
let styleKey = null;
let hold = false;
let errors = [];
let style = null;

function createMap(o) {
  map = new maplibregl.Map({
    container,
    style,
    center: o.center,
    zoom: o.zoom,
    bearing: o.bearing,
    pitch: o.pitch,
    pixelRatio: o.pixelRatio,
    interactive: false,
    attributionControl: false,
    fadeDuration: 0,
    trackResize: false,
    refreshExpiredTiles: false,
    validateStyle: false,
    maxCanvasSize: [16384, 16384],
    minZoom: -2,
    maxZoom: 24,
    maxPitch: 85,
    canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false },
  });
  map.on('error', (e) => { errors.push(String(e && e.error && e.error.message || e)); });
  const painter = map.painter;
  const draw = painter.render.bind(painter);
  painter.render = (...args) => { if (!hold) draw(...args); };
  // MapLibre draws the sky over the whole frame every time, with a shader that SwiftShader runs slowly (about
  // as long as all the layers of a z14 map together). A sky whose colours are transparent (a style without
  // "sky" gets that) changes no pixel: it is blended over the cleared frame at the far plane. Skip it then.
  const drawSky = painter.drawFunctions.sky;
  painter.drawFunctions = { ...painter.drawFunctions, sky: (mesh, ctx) => {
    const sky = ctx.data.sky;
    if (!sky || sky['sky-color'].a > 0 || sky['horizon-color'].a > 0) drawSky(mesh, ctx);
  } };
}

function waitIdle() {
  return new Promise((resolve) => {
    const onIdle = () => {
      if (hold) {
        hold = false;
        map.triggerRepaint();
        return;
      }
      map.off('idle', onIdle);
      resolve();
    };
    map.on('idle', onIdle);
    map.triggerRepaint();
  });
}

let size = '';

window.tuilerieRender = async (o) => {
  const tStart = performance.now();
  errors = [];
  // the style crosses the protocol only when it changes
  if (o.style) style = typeof o.style === 'string' ? JSON.parse(o.style) : o.style;
  hold = !!o.fast;
  // resizing reallocates the drawing buffer even at the same size: only when it changed
  const newSize = o.width + 'x' + o.height + '@' + o.pixelRatio;
  if (newSize !== size) {
    container.style.width = o.width + 'px';
    container.style.height = o.height + 'px';
  }
  if (map && styleKey !== o.styleKey) {
    // another style or new data: a new map (setStyle kept drawing tiles of the data before an update in place)
    map.remove();
    map = null;
  }
  if (!map) {
    createMap(o);
  } else {
    if (map.getPixelRatio() !== o.pixelRatio) map.setPixelRatio(o.pixelRatio);
    if (newSize !== size) map.resize();
    map.jumpTo({ center: o.center, zoom: o.zoom, bearing: o.bearing, pitch: o.pitch });
  }
  styleKey = o.styleKey;
  size = newSize;
  const t0 = performance.now();
  await waitIdle();
  const t1 = performance.now();
  const gl = map.painter.context.gl;
  // one pixel first: it waits for SwiftShader to finish the frame, so the timings tell drawing from reading
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  const tf = performance.now();
  const pr = gl.drawingBufferWidth / o.width;
  const c = o.crop || { left: 0, top: 0, width: o.width, height: o.height };
  const width = Math.round(c.width * pr), height = Math.round(c.height * pr);
  const pixels = new Uint8Array(width * height * 4);
  gl.readPixels(Math.round(c.left * pr), gl.drawingBufferHeight - Math.round(c.top * pr) - height, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  const t2 = performance.now();
  const data = encodeRuns(new Uint32Array(pixels.buffer)).toBase64();
  const t3 = performance.now();
  // a big image leaves in slices (tuilerieSlice): one protocol message of tens of MB would be parsed in one go by the server
  const inline = data.length <= SLICE;
  lastData = inline ? '' : data;
  return { width, height, errors, data: inline ? data : '', length: data.length, timings: { setup: t0 - tStart, draw: t1 - t0, raster: tf - t1, read: t2 - tf, pack: t3 - t2 } };
};
const SLICE = 1 << 20;
let lastData = '';
window.tuilerieSlice = (i) => {
  const out = lastData.slice(i * SLICE, (i + 1) * SLICE);
  if ((i + 1) * SLICE >= lastData.length) lastData = '';
  return out;
};
window.tuilerieReady = true;
`;

export const RENDER_PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="./maplibre-gl.css">
<style>html,body{margin:0;padding:0;overflow:hidden;background:transparent}#map{position:absolute;top:0;left:0}</style>
</head><body><div id="map"></div><script type="module" src="./render.js"></script></body></html>`;
