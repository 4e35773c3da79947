/**
 * Search hits as Photon (komoot's geocoder) answers them: a GeoJSON
 * FeatureCollection of points whose properties name the OSM key and value,
 * Photon's `type` (city, district, locality, street, house, other), street,
 * house number, city, district and `extent` as [minLon, maxLat, maxLon, minLat].
 * Photon clients (Leaflet and MapLibre geocoder plugins) read it as is.
 */
import type { SearchHit } from './search_index.js';

const PLACE_TYPE: Record<string, string> = {
  city: 'city', town: 'city', village: 'city', suburb: 'district', quarter: 'district', neighbourhood: 'district',
};

function photonType(h: SearchHit): string {
  if (h.type === 'place') return h.osmKey === 'boundary' ? 'city' : PLACE_TYPE[h.osmValue] ?? 'locality';
  if (h.type === 'poi') return 'other';
  return h.type;
}

const round = (v: number) => Math.round(v * 1e7) / 1e7;

export function photonFeatureCollection(hits: readonly SearchHit[]): Record<string, unknown> {
  return {
    type: 'FeatureCollection',
    features: hits.map((h) => {
      const props: Record<string, unknown> = { osm_key: h.osmKey, osm_value: h.osmValue, type: photonType(h) };
      if (h.type !== 'house') props.name = h.name;
      if (h.street) props.street = h.street;
      if (h.housenumber) props.housenumber = h.housenumber;
      if (h.city) props.city = h.city;
      if (h.district) props.district = h.district;
      if (h.type === 'street' || h.type === 'place') props.extent = [round(h.bbox[0]), round(h.bbox[3]), round(h.bbox[2]), round(h.bbox[1])];
      return { type: 'Feature', geometry: { type: 'Point', coordinates: [round(h.lon), round(h.lat)] }, properties: props };
    }),
  };
}
