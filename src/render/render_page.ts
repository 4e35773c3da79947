/**
 * The page the Chromium backend loads: one MapLibre map kept between renders
 * (its tile cache makes neighbouring metatiles cheap) and `tuilerieRender(o)`,
 * which moves the camera, waits until everything is loaded and sends the
 * drawing buffer (RGBA, bottom row first, premultiplied alpha) back over a
 * WebSocket to the asset server (readback_socket.ts).
 *
 * Fast path (`o.fast`): MapLibre repaints the whole frame for every tile that
 * arrives; we skip the painter until the map reports `idle` and then draw once.
 * It wraps the private `map.painter.render`, so maplibre-gl is pinned and a
 * pixel-diff test compares it with the stock path.
 */

export const RENDER_PAGE_SCRIPT = String.raw`
import * as maplibregl from './maplibre-gl.mjs';

const container = document.getElementById('map');
let map = null;
let styleKey = null;
let hold = false;
let errors = [];
const readback = new Promise((resolve, reject) => {
  const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/readback');
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => resolve(ws);
  ws.onerror = () => reject(new Error('readback socket failed'));
});

function createMap(o) {
  map = new maplibregl.Map({
    container,
    style: o.style,
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

window.tuilerieRender = async (o) => {
  errors = [];
  container.style.width = o.width + 'px';
  container.style.height = o.height + 'px';
  hold = !!o.fast;
  if (!map) {
    createMap(o);
  } else {
    if (map.getPixelRatio() !== o.pixelRatio) map.setPixelRatio(o.pixelRatio);
    map.resize();
    if (styleKey !== o.styleKey) map.setStyle(o.style, { diff: false });
    map.jumpTo({ center: o.center, zoom: o.zoom, bearing: o.bearing, pitch: o.pitch });
  }
  styleKey = o.styleKey;
  const t0 = performance.now();
  await waitIdle();
  const t1 = performance.now();
  const gl = map.painter.context.gl;
  const width = gl.drawingBufferWidth, height = gl.drawingBufferHeight;
  const message = new ArrayBuffer(4 + width * height * 4);
  new DataView(message).setUint32(0, o.uploadId, true);
  gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(message, 4));
  const t2 = performance.now();
  const socket = await readback;
  if (socket.readyState !== WebSocket.OPEN) throw new Error('readback socket closed');
  socket.send(message);
  const t3 = performance.now();
  return { width, height, errors, timings: { draw: t1 - t0, read: t2 - t1, upload: t3 - t2 } };
};
window.tuilerieReady = true;
`;

export const RENDER_PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="./maplibre-gl.css">
<style>html,body{margin:0;padding:0;overflow:hidden;background:transparent}#map{position:absolute;top:0;left:0}</style>
</head><body><div id="map"></div><script type="module" src="./render.js"></script></body></html>`;
