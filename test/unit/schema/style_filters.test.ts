/**
 * Every layer of the four upstream styles must find features in our output:
 * its filter (evaluated by the style-spec package) must accept at least one
 * feature the profile writes for a broad tag sample, at a zoom where both the
 * style layer and the feature exist. The exceptions are named, with the reason.
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { featureFilter } from '@maplibre/maplibre-gl-style-spec';
import { UPSTREAM_STYLES_DIR } from '../../helpers/paths.js';
import type { OutputFeature } from '../../../src/schema/profile.js';
import { runSample } from './sample_features.js';

const NEVER_MATCHED: Record<string, string> = {
  'dark-matter/landcover_ice_shelf': 'Antarctic ice shelves: no such Natural Earth file in our set',
  'maptiler-basic/landcover-ice-shelf': 'Antarctic ice shelves: no such Natural Earth file in our set',
  'osm-bright/landcover-ice-shelf': 'Antarctic ice shelves: no such Natural Earth file in our set',
  'positron/landcover_ice_shelf': 'Antarctic ice shelves: no such Natural Earth file in our set',
  'dark-matter/landuse_park': 'landuse class park is OpenMapTiles v2',
  'maptiler-basic/landuse': 'landuse class agriculture is OpenMapTiles v2',
  'maptiler-basic/landuse_overlay_national_park': 'landcover class national_park is OpenMapTiles v2',
  'maptiler-basic/tunnel_minor': 'class minor_road is OpenMapTiles v2',
  'maptiler-basic/bridge_minor case': 'class minor_road is OpenMapTiles v2',
  'maptiler-basic/bridge_minor': 'class minor_road is OpenMapTiles v2',
  'osm-bright/landcover-grass-park': 'park class public_park only from protection_title="Public Park"',
  'dark-matter/water_name': 'lake centre lines (osm-lakelines) are not computed: lake labels are points',
  'osm-bright/water-name-lakeline': 'lake centre lines (osm-lakelines) are not computed: lake labels are points',
  'positron/water_name': 'lake centre lines (osm-lakelines) are not computed: lake labels are points',
  'dark-matter/place_country_other': 'OpenMapTiles writes iso_a2 for every country',
  'maptiler-basic/country_label-other': 'OpenMapTiles writes iso_a2 for every country',
  'osm-bright/place-country-other': 'OpenMapTiles writes iso_a2 for every country',
  'positron/place_country_other': 'OpenMapTiles writes iso_a2 for every country',
};

const GEOMETRY_TYPE: Record<string, 1 | 2 | 3> = { point: 1, pointOnSurface: 1, labelPoint: 1, line: 2, polygon: 3 };

function matches(filter: unknown, rootKey: string, features: OutputFeature[], minzoom: number, maxzoom: number): boolean {
  const f = featureFilter(filter as never, rootKey);
  for (const feature of features) {
    // Features of z14 are overzoomed beyond it.
    const top = feature.maxzoom === 14 ? 24 : feature.maxzoom;
    for (let z = Math.max(minzoom, feature.minzoom); z <= top && z < maxzoom; z++) {
      const vt = { type: GEOMETRY_TYPE[feature.geometry], properties: feature.attrs, id: feature.id };
      if (f.filter({ zoom: z } as never, vt as never)) return true;
    }
  }
  return false;
}

describe('upstream style filters against the profile output', () => {
  const sample = runSample();
  const unmatched: string[] = [];
  let layers = 0;
  for (const dir of fs.readdirSync(UPSTREAM_STYLES_DIR).sort()) {
    const file = path.join(UPSTREAM_STYLES_DIR, dir, 'style.json');
    if (!fs.existsSync(file)) continue;
    const style = JSON.parse(fs.readFileSync(file, 'utf8')) as { layers: Array<Record<string, unknown>> };
    style.layers.forEach((l, i) => {
      const sourceLayer = l['source-layer'];
      if (typeof sourceLayer !== 'string') return;
      layers++;
      const ok = matches(l.filter, `layers[${i}].filter`, sample.layer(sourceLayer),
        typeof l.minzoom === 'number' ? l.minzoom : 0, typeof l.maxzoom === 'number' ? l.maxzoom : 24);
      if (!ok) unmatched.push(`${dir}/${String(l.id)}`);
    });
  }

  it('evaluates the filters of the 200+ style layers that draw our data', () => {
    assert.ok(layers > 200, `${layers}`);
  });

  it('gives every style layer some features, but the listed exceptions', () => {
    assert.deepEqual(unmatched.filter((id) => NEVER_MATCHED[id] === undefined), []);
  });

  it('lists as exceptions only layers that indeed get nothing', () => {
    assert.deepEqual(Object.keys(NEVER_MATCHED).filter((id) => !unmatched.includes(id)), []);
  });
});
