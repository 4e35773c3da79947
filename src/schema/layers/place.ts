/**
 * place: labels of continents, countries, states, cities down to isolated
 * dwellings, and islands. Countries come from Natural Earth (regional OSM
 * extracts rarely hold the country node); cities are ranked by a close Natural
 * Earth populated place of the same name, as planetiler-openmaptiles does,
 * else by class and population.
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { LayerContext, OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { squareMetresToWorldArea, worldArea } from '../geometry_measure.js';
import { omtFeatureId, parseIntTag } from '../tag_values.js';
import { addWithGridLimits } from '../zoom_bands.js';

const CITY_CLASSES = ['city', 'town', 'village', 'hamlet', 'suburb', 'quarter', 'neighbourhood', 'isolated_dwelling'];
const MAJOR = new Set(['city', 'town', 'village']);
const NE_PLACES = ['ne_10m_populated_places_simple'];
const NE_COUNTRIES = 'ne_50m_admin_0_countries';
const NO_LIMIT = 1000;
/** planetiler-openmaptiles' LABEL_GRID_LIMITS: 4 per cell up to z8, 8 at z9, 12 at z10, 14 at z11–z12, no limit above. */
const CITY_GRID_LIMITS: ReadonlyArray<readonly [number, number]> = [[0, 4], [9, 8], [10, 12], [11, 14], [13, NO_LIMIT]];

/** The first two-letter code among Natural Earth's ISO fields (France and Norway have ISO_A2 = -99). */
export function neIsoA2(tags: OsmTags): string | undefined {
  for (const k of ['ISO_A2', 'ISO_A2_EH', 'WB_A2', 'iso_a2']) {
    const v = tags[k];
    if (v !== undefined && /^[A-Z]{2}$/.test(v)) return v;
  }
  return undefined;
}

/** The lowest rank a country of this area may have: under 25,000 km² (Luxembourg, Cyprus, island states) 4, from z3. */
export function smallCountryRank(areaKm2: number): number {
  return areaKm2 < 25_000 ? 4 : 1;
}

/** planetiler-openmaptiles' minimum zoom of a city-like place. */
export function cityMinZoom(place: string, rank: number | undefined, population: number): number {
  if (rank === 1) return 2;
  if (rank !== undefined && rank <= 8) return Math.max(3, rank - 1);
  const ord = CITY_CLASSES.indexOf(place);
  // Without a Natural Earth match, large towns still show before z7 (OpenMapTiles' ranks follow population).
  if (ord <= 1 && population >= 1_000_000) return 4;
  if (ord <= 1 && population >= 250_000) return 5;
  if (ord <= 1 && population >= 100_000) return 6;
  if (ord <= 1) return 7;
  if (ord <= 2) return 8;
  if (ord <= 4) return 11;
  return 14;
}

function islandRank(area: number): number {
  if (area > squareMetresToWorldArea(40_000_000)) return 3;
  if (area > squareMetresToWorldArea(15_000_000)) return 4;
  if (area > squareMetresToWorldArea(1_000_000)) return 5;
  return 6;
}

export class PlaceLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'place',
    description: 'Labels of continents, countries, states, settlements, neighbourhoods and islands.',
    fields: { ...nameFieldSpecs(), class: 'String', rank: 'Number', capital: 'Number', iso_a2: 'String' },
    minzoom: 0,
    maxzoom: 14,
    buffer: 256,
  };

  readonly naturalEarthTables = [...NE_PLACES, NE_COUNTRIES];

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    if (tags.place === undefined || tags.name === undefined) return false;
    // Relations only as island outlines: admin relations often carry a place tag too.
    return osmType !== 'relation' || (tags.place === 'island' && tags.type === 'multipolygon');
  }

  processOsm(source: SourceFeature, out: FeatureCollector, ctx: LayerContext): void {
    const tags = source.tags;
    const place = tags.place;
    const names = omtNames(tags);
    if (place === undefined || names.name === undefined) return;
    const id = omtFeatureId(source.id, source.osmType);
    if (place === 'island') {
      this.island(source, out, names, id);
      return;
    }
    if (!source.isPoint) return;
    if (place === 'continent') {
      out.add({ layer: 'place', geometry: 'point', minzoom: 0, maxzoom: 3, id, attrs: { ...names, class: 'continent', rank: 1 } });
    } else if (place === 'state' || place === 'province') {
      out.add({ layer: 'place', geometry: 'point', minzoom: 3, maxzoom: 14, id, sortKey: 6, attrs: { ...names, class: place, rank: 6 } });
    } else if (CITY_CLASSES.includes(place)) {
      this.city(source, out, ctx, names, id);
    }
  }

  private city(source: SourceFeature, out: FeatureCollector, ctx: LayerContext, names: Record<string, string | number | boolean>, id: number | undefined): void {
    const tags = source.tags;
    const place = tags.place as string;
    let rank: number | undefined;
    if (MAJOR.has(place)) {
      const g = source.geometry();
      if (g.type === 'point' && g.coords.length >= 2) {
        const candidates = [tags.name, tags['name:en'], tags['name:fr'], tags['name:de']].filter((n): n is string => n !== undefined);
        const sr = ctx.ne.cityScalerank(candidates, g.coords[0], g.coords[1]);
        if (sr !== undefined) rank = sr <= 5 ? sr + 1 : sr;
      }
    }
    const population = parseIntTag(tags.population) ?? 0;
    const minzoom = cityMinZoom(place, rank, population);
    const ord = CITY_CLASSES.indexOf(place);
    const capital = tags.capital === '2' || tags.capital === 'yes' ? 2 : tags.capital === '4' ? 4 : undefined;
    const attrs: Record<string, string | number | boolean> = { ...names, class: place, rank: rank ?? 10 + ord + 1 };
    if (capital !== undefined) attrs.capital = capital;
    // rank asc, class asc, population desc (planetiler's sort key).
    const sortKey = ((rank ?? 15) * 16 + ord) * 1_000_000 - Math.min(999_999, Math.round(Math.log10(population + 1) * 100_000));
    const feature = { layer: 'place', geometry: 'point' as const, minzoom, maxzoom: 14, id, sortKey, attrs };
    if (rank !== undefined) {
      out.add({ ...feature, labelGrid: { sizePx: 128, limit: NO_LIMIT } });
      return;
    }
    // Places Natural Earth does not rank are thinned per 128 px cell and ranked 11, 12… within it.
    addWithGridLimits(out, { ...feature, labelGrid: { sizePx: 128, limit: NO_LIMIT, rankAttr: 'rank', rankOffset: 10 } }, CITY_GRID_LIMITS);
  }

  private island(source: SourceFeature, out: FeatureCollector, names: Record<string, string | number | boolean>, id: number | undefined): void {
    if (source.isPoint) {
      out.add({ layer: 'place', geometry: 'point', minzoom: 12, maxzoom: 14, id, attrs: { ...names, class: 'island', rank: 7 } });
      return;
    }
    if (!source.canBePolygon) return;
    const area = worldArea(source.geometry());
    const rank = islandRank(area);
    out.add({
      layer: 'place', geometry: 'labelPoint', minzoom: rank <= 3 ? 8 : rank <= 4 ? 9 : 10, maxzoom: 14, id,
      sortKey: Math.round(-Math.log2(Math.max(area, 1e-20)) * 10),
      attrs: { ...names, class: 'island', rank },
    });
  }

  processNaturalEarth(source: SourceFeature, out: FeatureCollector, ctx: LayerContext): void {
    const tags = source.tags;
    if (NE_PLACES.includes(source.table)) {
      const g = source.geometry();
      const sr = Number(tags.scalerank);
      if (g.type !== 'point' || g.coords.length < 2 || !Number.isFinite(sr)) return;
      const names = [tags.name, tags.namealt, tags.meganame, tags.nameascii, tags.ls_name].filter((n): n is string => n !== undefined && n !== '');
      ctx.ne.addCity(names, g.coords[0], g.coords[1], sr);
      return;
    }
    if (source.table !== NE_COUNTRIES || !source.canBePolygon) return;
    const iso = neIsoA2(tags);
    const g = source.geometry();
    if (iso !== undefined && g.type === 'polygon') ctx.ne.addCountry(iso, g);
    const name = tags.NAME ?? tags.ADMIN;
    if (name === undefined || iso === undefined) return;
    // planetiler-openmaptiles' country rank: the mean of scalerank and LABELRANK, rounded up, within 1–6. It reads the
    // 10m countries, whose scalerank is one below the 50m file's (0 for the main countries, 1 in 50m).
    const scalerank = Math.max(0, Number(tags.scalerank ?? tags.SCALERANK) - 1);
    const ranks = [scalerank, Number(tags.LABELRANK ?? tags.labelrank)].filter(Number.isFinite);
    const mean = ranks.length > 0 ? Math.ceil(ranks.reduce((a, b) => a + b, 0) / ranks.length) : 6;
    const areaKm2 = source.areaM2() / 1e6;
    // Natural Earth ranks small island states like large countries (Anguilla, Barbados: labelrank 5–6 but scalerank 1),
    // so at z2 they took the place of Germany or Poland; their area keeps them to later zooms
    const rank = Math.max(1, Math.min(6, mean), smallCountryRank(areaKm2));
    const nameTags: OsmTags = { name };
    for (const [k, lang] of [['NAME_EN', 'en'], ['NAME_DE', 'de'], ['NAME_FR', 'fr'], ['NAME_IT', 'it'], ['NAME_NL', 'nl']]) {
      const v = tags[k];
      if (v !== undefined && v !== '') nameTags[`name:${lang}`] = v;
    }
    out.add({
      // rank first, then larger countries first: in a tile, and so in MapLibre's placement of equal sort keys
      layer: 'place', geometry: 'labelPoint', minzoom: Math.max(0, rank - 1), maxzoom: 14,
      sortKey: rank * 1000 - Math.min(999, Math.round(Math.log10(areaKm2 + 1) * 100)),
      attrs: { ...omtNames(nameTags), class: 'country', rank, iso_a2: iso },
    });
  }
}
