/** aeroway: aerodrome, apron, runway, taxiway and helipad areas, runway and taxiway lines (z10), gates (z14). */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { compact } from '../tag_values.js';

const AREA_CLASSES = new Set(['aerodrome', 'heliport', 'runway', 'helipad', 'taxiway', 'apron']);
const LINE_CLASSES = new Set(['runway', 'taxiway']);

export class AerowayLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'aeroway',
    description: 'Airport areas, runways, taxiways and gates.',
    fields: { ref: 'String', class: 'String' },
    minzoom: 10,
    maxzoom: 14,
    buffer: 4,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    const a = tags.aeroway, aa = tags['area:aeroway'];
    if (osmType === 'node') return a === 'gate';
    return (a !== undefined && AREA_CLASSES.has(a)) || (aa !== undefined && AREA_CLASSES.has(aa));
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    const a = tags.aeroway;
    const ref = tags.ref;
    if (source.isPoint) {
      if (a === 'gate') out.add({ layer: 'aeroway', geometry: 'point', minzoom: 14, maxzoom: 14, attrs: compact({ class: a, ref }) });
      return;
    }
    if (source.canBePolygon && !(a !== undefined && LINE_CLASSES.has(a) && source.canBeLine && tags.area !== 'yes')) {
      const cls = a !== undefined && AREA_CLASSES.has(a) ? a : tags['area:aeroway'];
      if (cls === undefined || !AREA_CLASSES.has(cls)) return;
      out.add({ layer: 'aeroway', geometry: 'polygon', minzoom: 10, maxzoom: 14, minPixelSize: 2, attrs: compact({ class: cls, ref }) });
    } else if (source.canBeLine && a !== undefined && LINE_CLASSES.has(a)) {
      out.add({ layer: 'aeroway', geometry: 'line', minzoom: 10, maxzoom: 14, minPixelSize: 0, attrs: compact({ class: a, ref }) });
    }
  }
}
