/**
 * Compatibility with the four upstream OpenMapTiles styles: every source-layer
 * they draw and every field their filters, layouts and paints read must be
 * declared by the profile, and every class/subclass value they compare to must
 * be producible from OSM or Natural Earth input (or be a listed exception).
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { UPSTREAM_STYLES_DIR } from '../../helpers/paths.js';
import { OpenMapTilesProfile } from '../../../src/schema/openmaptiles_profile.js';
import { runSample } from './sample_features.js';

interface StyleUse {
  fields: Map<string, Set<string>>;
  values: Map<string, Set<string>>;
}

const COMPARISONS = new Set(['==', '!=', 'in', '!in', '<', '<=', '>', '>=', 'match']);
const PSEUDO_FIELDS = new Set(['$type', '$id']);

function addTo(map: Map<string, Set<string>>, key: string, v: string): void {
  const s = map.get(key) ?? new Set<string>();
  s.add(v);
  map.set(key, s);
}

function collect(expr: unknown, layer: string, use: StyleUse): void {
  if (typeof expr === 'string') {
    for (const m of expr.matchAll(/\{([^}]+)\}/g)) addTo(use.fields, layer, m[1]);
    return;
  }
  if (Array.isArray(expr)) {
    const [op, a1] = expr;
    if ((op === 'get' || op === 'has' || op === '!has') && typeof a1 === 'string' && expr.length === 2) addTo(use.fields, layer, a1);
    if (typeof op === 'string' && COMPARISONS.has(op)) {
      // Legacy filters name the field directly; expressions wrap it in ["get", f].
      const field = typeof a1 === 'string' ? a1 : Array.isArray(a1) && a1[0] === 'get' && typeof a1[1] === 'string' ? a1[1] : undefined;
      if (typeof a1 === 'string' && op !== 'match') addTo(use.fields, layer, a1);
      if (field === 'class' || field === 'subclass') {
        const operands = op === 'match' ? expr.slice(2, -1).filter((_, i) => i % 2 === 0) : expr.slice(2);
        for (const o of operands) {
          const list = Array.isArray(o) ? (o[0] === 'literal' ? o[1] : o) : [o];
          if (Array.isArray(list)) for (const v of list) if (typeof v === 'string') addTo(use.values, `${layer}.${field}`, v);
        }
      }
    }
    for (const e of expr) collect(e, layer, use);
    return;
  }
  if (expr !== null && typeof expr === 'object') for (const v of Object.values(expr)) collect(v, layer, use);
}

function readStyles(): { use: StyleUse; sourceLayers: Set<string>; count: number } {
  const use: StyleUse = { fields: new Map(), values: new Map() };
  const sourceLayers = new Set<string>();
  let count = 0;
  for (const dir of fs.readdirSync(UPSTREAM_STYLES_DIR)) {
    const file = path.join(UPSTREAM_STYLES_DIR, dir, 'style.json');
    if (!fs.existsSync(file)) continue;
    count++;
    const style = JSON.parse(fs.readFileSync(file, 'utf8')) as { layers: Array<Record<string, unknown>> };
    for (const l of style.layers) {
      const sl = l['source-layer'];
      if (typeof sl !== 'string') continue;
      sourceLayers.add(sl);
      collect(l.filter, sl, use);
      collect(l.layout, sl, use);
      collect(l.paint, sl, use);
    }
  }
  return { use, sourceLayers, count };
}

/** Values the styles test that OpenMapTiles v3 itself never writes (older schema versions or data we do not have). */
const EXCEPTIONS = new Set([
  'transportation.class=minor_road', // OpenMapTiles v2 name of `minor`
  'landcover.class=national_park',   // v2: national parks moved to the park layer
  'landuse.class=agriculture',       // not in the v3 landuse table (farmland is landcover)
  'landuse.class=park',              // parks are landcover grass / the park layer in v3
  'landcover.subclass=ice_shelf',    // Natural Earth glaciated areas / ice shelves, not in our Natural Earth set
  'park.class=public_park',          // only from an unusual protection_title="Public Park"
]);

function producedValues(): Map<string, Set<string>> {
  const produced = new Map<string, Set<string>>();
  for (const f of runSample().features) {
    for (const field of ['class', 'subclass']) {
      const v = f.attrs[field];
      if (typeof v === 'string') addTo(produced, `${f.layer}.${field}`, v);
    }
  }
  return produced;
}

describe('upstream styles against the profile', () => {
  const { use, sourceLayers, count } = readStyles();
  const profile = new OpenMapTilesProfile();
  const specs = new Map(profile.layers.map((l) => [l.id, l]));

  it('finds the four upstream styles', () => {
    assert.equal(count, 4);
  });

  it('declares every source-layer the styles draw', () => {
    const missing = [...sourceLayers].filter((l) => !specs.has(l));
    assert.deepEqual(missing, []);
  });

  it('declares every field the styles read', () => {
    const missing: string[] = [];
    for (const [layer, fields] of use.fields) {
      const spec = specs.get(layer);
      for (const f of fields) if (!PSEUDO_FIELDS.has(f) && spec?.fields[f] === undefined) missing.push(`${layer}.${f}`);
    }
    assert.deepEqual(missing, []);
  });

  it('can produce every class and subclass value the styles compare to, but the listed exceptions', () => {
    const produced = producedValues();
    const missing: string[] = [];
    for (const [key, values] of use.values) {
      for (const v of values) {
        const id = `${key}=${v}`;
        if (!produced.get(key)?.has(v) && !EXCEPTIONS.has(id)) missing.push(id);
      }
    }
    assert.deepEqual(missing.sort(), []);
  });

  it('lists as exceptions only values that the profile indeed cannot produce', () => {
    const produced = producedValues();
    const producible = [...EXCEPTIONS].filter((id) => {
      const [key, v] = id.split('=');
      return produced.get(key)?.has(v) ?? false;
    });
    assert.deepEqual(producible, []);
  });
});
