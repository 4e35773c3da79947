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
  // the layers list their bands in zoom order: sorting (a copy, a closure) only when they are not
  const sorted = inZoomOrder(bands) ? bands : [...bands].sort((a, b) => a.fromZoom - b.fromZoom);
  let current: Attrs = { ...feature.attrs };
  let start = feature.minzoom;
  const froms: number[] = [];
  const attrsOf: Attrs[] = [];
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
    pushBand(froms, attrsOf, start, current);
    start = band.fromZoom;
    current = next;
  }
  pushBand(froms, attrsOf, start, current);
  for (let i = 0; i < froms.length; i++) {
    const to = i + 1 < froms.length ? froms[i + 1] - 1 : feature.maxzoom;
    out.add({ ...feature, minzoom: froms[i], maxzoom: to, attrs: attrsOf[i] });
  }
}

/** Whether `bands` are in ascending fromZoom order already (what sorting them, stably, would keep as it is). */
export function inZoomOrder(bands: readonly ZoomBand[]): boolean {
  for (let i = 1; i < bands.length; i++) if (bands[i - 1].fromZoom > bands[i].fromZoom) return false;
  return true;
}

/** Appends a band starting at `from`, unless its attributes are those of the band before (then that band goes on). */
function pushBand(froms: number[], attrsOf: Attrs[], from: number, attrs: Attrs): void {
  const n = attrsOf.length;
  if (n > 0 && sameAttrs(attrsOf[n - 1], attrs)) return;
  froms.push(from);
  attrsOf.push(attrs);
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
