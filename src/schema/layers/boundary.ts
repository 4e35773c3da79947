/**
 * boundary: administrative boundaries as lines. Natural Earth country lines at
 * z0–z4 and state lines at z1–z4, then OSM ways of boundary relations
 * (admin_level 2–10, the lowest level a way takes part in) from z5 for
 * countries and states, z9 for levels 5–6, z11 for 7–8, z12 for 9–10.
 */
import type { FeatureCollector, LayerSpec, RelationMembership, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { compact, isTrue, parseIntTag } from '../tag_values.js';
import { addBanded } from '../zoom_bands.js';

// planetiler-openmaptiles uses 110m at z0, 50m at z1–z3 and 10m at z4; our set has no 50m lines, so 110m
// stretches to z1 and 10m starts at z2.
const NE_COUNTRY_LINES: Record<string, [number, number]> = {
  ne_110m_admin_0_boundary_lines_land: [0, 1],
  ne_10m_admin_0_boundary_lines_land: [2, 4],
};
const NE_STATE_LINES = 'ne_50m_admin_1_states_provinces_lines';
// Lease and overlay limits are not borders between countries.
const NE_NOT_BORDERS = /^(Lease limit|Overlay limit)/i;

/** planetiler-openmaptiles' minimum zoom per admin level. */
export function boundaryMinZoom(adminLevel: number, maritime: boolean): number {
  if (maritime && adminLevel <= 2) return 4;
  if (adminLevel <= 4) return 5;
  if (adminLevel <= 6) return 9;
  if (adminLevel <= 8) return 11;
  return 12;
}

function adminLevelOf(tags: OsmTags): number | undefined {
  if (tags.boundary !== 'administrative') return undefined;
  const l = parseIntTag(tags.admin_level);
  return l !== undefined && l >= 1 && l <= 10 ? Math.max(2, l) : undefined;
}

interface BoundaryInfo { adminLevel: number; disputed: boolean; claimedBy?: string; disputedName?: string; adm0L?: string; adm0R?: string }

/** A country relation whose ISO code OpenMapTiles writes as adm0_l/adm0_r on its borders. */
export function countryCode(tags: OsmTags): string | undefined {
  if (tags.type !== 'boundary' || tags.boundary !== 'administrative' || parseIntTag(tags.admin_level) !== 2) return undefined;
  const code = tags['ISO3166-1:alpha3'];
  return code !== undefined && code !== '' ? code : undefined;
}

function isDisputed(tags: OsmTags): boolean {
  return isTrue(tags.disputed) || isTrue(tags.dispute) || tags.border_status === 'dispute' ||
    tags.disputed_by !== undefined || tags.claimed_by !== undefined || tags.boundary === 'disputed';
}

/** OpenMapTiles' disputed_name: the name without blanks, " at " and "Extent of". */
function editName(name: string | undefined): string | undefined {
  return name?.replace(' at ', '').replace(/\s+/g, '').replace('Extentof', '');
}

function boundaryInfo(tags: OsmTags, relations: readonly RelationMembership[]): BoundaryInfo | undefined {
  let level = adminLevelOf(tags);
  let disputed = false;
  let claimedBy: string | undefined;
  let disputedName: string | undefined;
  for (const r of relations) {
    const l = adminLevelOf(r.tags);
    const relDisputed = isDisputed(r.tags);
    if (l === undefined && r.tags.boundary !== 'disputed') continue;
    if (relDisputed) {
      disputed = true;
      disputedName ??= r.tags.name;
      claimedBy ??= r.tags.claimed_by;
    }
    if (l !== undefined && (level === undefined || l < level)) level = l;
  }
  if (level === undefined) return undefined;
  if (isDisputed(tags)) {
    disputed = true;
    disputedName ??= tags.name;
    claimedBy ??= tags.claimed_by;
  }
  const info: BoundaryInfo = { adminLevel: level, disputed, claimedBy, disputedName: disputed ? editName(disputedName) : undefined };
  // only undisputed country borders name the countries on each side
  if (level === 2 && !disputed) {
    for (const r of relations) {
      const code = countryCode(r.tags);
      if (code === undefined) continue;
      if (r.side === 'left') info.adm0L ??= code;
      else if (r.side === 'right') info.adm0R ??= code;
    }
  }
  return info;
}

export class BoundaryLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'boundary',
    description: 'Administrative boundaries (countries, states, departments, districts, municipalities) as lines.',
    fields: {
      admin_level: 'Number', adm0_l: 'String', adm0_r: 'String', disputed: 'Number', disputed_name: 'String',
      claimed_by: 'String', maritime: 'Number',
    },
    minzoom: 0,
    maxzoom: 14,
    buffer: 4,
    mergeLinesBelowZoom: 14,
  };

  readonly naturalEarthTables = [...Object.keys(NE_COUNTRY_LINES), NE_STATE_LINES];

  wantsOsm(tags: OsmTags, osmType: OsmType, memberOf?: readonly RelationMembership[]): boolean {
    if (osmType !== 'way') return false;
    // Border ways often carry only boundary/maritime/coastline tags, their level is on the relation:
    // keep those tags for when the importer attaches the memberships.
    // The way's own disputed markers (and its name, for disputed_name) count too: the reader decides what to keep
    // before it has seen the relations, so these tags must be kept on their own.
    if (tags.boundary === 'administrative' || tags.maritime !== undefined || tags.natural === 'coastline' ||
      tags.boundary_type === 'maritime' || isDisputed(tags)) return true;
    return memberOf !== undefined && memberOf.some((r) => adminLevelOf(r.tags) !== undefined);
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    if (source.osmType !== 'way' || source.isPoint) return;
    const info = boundaryInfo(source.tags, source.relations);
    if (info === undefined) return;
    const tags = source.tags;
    const maritime = isTrue(tags.maritime) || tags.natural === 'coastline' || tags.boundary_type === 'maritime';
    addBanded(out, {
      layer: 'boundary', geometry: 'line', minzoom: boundaryMinZoom(info.adminLevel, maritime), maxzoom: 14, minPixelSize: 0,
      sortKey: info.adminLevel,
      attrs: compact({
        admin_level: info.adminLevel, disputed: info.disputed ? 1 : 0, maritime: maritime ? 1 : 0,
        claimed_by: info.claimedBy,
        disputed_name: info.disputedName,
      }),
    }, [{ fromZoom: 5, attrs: { adm0_l: info.adm0L, adm0_r: info.adm0R } }]);
  }

  processNaturalEarth(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    if (!source.canBeLine) return;
    const zooms = NE_COUNTRY_LINES[source.table];
    if (zooms !== undefined) {
      const cla = tags.featurecla ?? '';
      if (NE_NOT_BORDERS.test(cla)) return;
      out.add({
        layer: 'boundary', geometry: 'line', minzoom: zooms[0], maxzoom: zooms[1], minPixelSize: 0, sortKey: 2,
        // Natural Earth knows the countries on each side (ISO alpha-3, as OpenMapTiles writes for OSM borders).
        attrs: compact({ admin_level: 2, disputed: cla.startsWith('Disputed') ? 1 : 0, maritime: 0,
          adm0_l: validA3(tags.adm0_a3_l), adm0_r: validA3(tags.adm0_a3_r) }),
      });
    } else if (source.table === NE_STATE_LINES) {
      const minZoom = Number(tags.min_zoom ?? '99');
      if (!(minZoom <= 7.7)) return;
      out.add({
        layer: 'boundary', geometry: 'line', minzoom: minZoom <= 7 ? 1 : 4, maxzoom: 4, minPixelSize: 0, sortKey: 4,
        attrs: { admin_level: 4, disputed: 0, maritime: 0 },
      });
    }
  }
}

function validA3(v: string | undefined): string | undefined {
  return v !== undefined && /^[A-Z]{3}$/.test(v) ? v : undefined;
}
