/**
 * OpenMapTiles adds some attributes only from a given zoom (planetiler's
 * `setAttrWithMinzoom`). The contract has one attribute set per output feature,
 * so a feature is written as consecutive zoom bands, each with the attributes
 * valid there; bands whose attributes do not change are folded together.
 */
import type { Attrs, FeatureCollector, OutputFeature } from './profile.js';

export interface ZoomBand {
  /** First zoom of the band. */
  fromZoom: number;
  /** Attributes added from this zoom on (undefined values are skipped). */
  attrs: Record<string, string | number | boolean | undefined>;
}

export interface BandedFeature extends Omit<OutputFeature, 'attrs' | 'minzoom' | 'maxzoom'> {
  minzoom: number;
  maxzoom: number;
  attrs: Attrs;
}

export function addBanded(out: FeatureCollector, feature: BandedFeature, bands: readonly ZoomBand[]): void {
  if (feature.minzoom > feature.maxzoom) return;
  const sorted = [...bands].sort((a, b) => a.fromZoom - b.fromZoom);
  let current: Attrs = { ...feature.attrs };
  let start = feature.minzoom;
  const emitted: Array<{ from: number; attrs: Attrs }> = [];
  const push = (from: number, attrs: Attrs): void => {
    const last = emitted[emitted.length - 1];
    if (last !== undefined && sameAttrs(last.attrs, attrs)) return;
    emitted.push({ from, attrs });
  };
  for (const band of sorted) {
    if (band.fromZoom > feature.maxzoom) break;
    const next: Attrs = { ...current };
    for (const k in band.attrs) {
      const v = band.attrs[k];
      if (v !== undefined && v !== '') next[k] = v;
    }
    if (band.fromZoom <= start) {
      current = next;
      continue;
    }
    push(start, current);
    start = band.fromZoom;
    current = next;
  }
  push(start, current);
  for (let i = 0; i < emitted.length; i++) {
    const to = i + 1 < emitted.length ? emitted[i + 1].from - 1 : feature.maxzoom;
    out.add({ ...feature, minzoom: emitted[i].from, maxzoom: to, attrs: emitted[i].attrs });
  }
}

function sameAttrs(a: Attrs, b: Attrs): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * Label density that changes with zoom (planetiler's label-grid limit functions): one copy of the
 * feature per zoom band, each with its grid limit. `limits` are [fromZoom, limit] pairs, ascending.
 */
export function addWithGridLimits(
  out: FeatureCollector,
  feature: OutputFeature & { labelGrid: NonNullable<OutputFeature['labelGrid']> },
  limits: ReadonlyArray<readonly [number, number]>,
): void {
  for (let i = 0; i < limits.length; i++) {
    const from = Math.max(feature.minzoom, limits[i][0]);
    const to = Math.min(feature.maxzoom, i + 1 < limits.length ? limits[i + 1][0] - 1 : feature.maxzoom);
    if (from > to) continue;
    out.add({ ...feature, minzoom: from, maxzoom: to, labelGrid: { ...feature.labelGrid, limit: limits[i][1] } });
  }
}
