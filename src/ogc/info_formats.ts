/**
 * The formats GetFeatureInfo answers in (WMS INFO_FORMAT, WMTS InfoFormat and
 * RESTful template extensions), shared by capabilities and request parsing.
 */
export type InfoFormatKind = 'text' | 'html' | 'geojson' | 'gml';

export interface InfoFormat {
  /** MIME type as capabilities list it and clients send it. */
  mime: string;
  kind: InfoFormatKind;
  /** Extension of the RESTful WMTS template. */
  ext: string;
  contentType: string;
}

/**
 * What capabilities advertise, in this order: QGIS keeps the last format of
 * each family it knows, so GML (its feature types are our source layers, with
 * typed fields) comes after GeoJSON.
 */
export const INFO_FORMATS: readonly InfoFormat[] = Object.freeze([
  { mime: 'text/plain', kind: 'text', ext: 'txt', contentType: 'text/plain; charset=utf-8' },
  { mime: 'text/html', kind: 'html', ext: 'html', contentType: 'text/html; charset=utf-8' },
  { mime: 'application/json', kind: 'geojson', ext: 'json', contentType: 'application/json; charset=utf-8' },
  { mime: 'application/geo+json', kind: 'geojson', ext: 'geojson', contentType: 'application/geo+json; charset=utf-8' },
  { mime: 'application/vnd.ogc.gml', kind: 'gml', ext: 'gml', contentType: 'application/vnd.ogc.gml; charset=utf-8' },
]);

/** Names clients also use (GeoServer's and MapServer's), answered as one of the above. */
const ALIASES: Record<string, string> = {
  'application/geojson': 'application/geo+json',
  'text/xml': 'application/vnd.ogc.gml',
};

/**
 * An INFO_FORMAT / InfoFormat value (parameters after `;` ignored), or
 * undefined when we have no such format. A space inside the type is read as
 * `+`: clients that leave `+` unencoded in a query string (`geo+json`) have it
 * decoded as a space.
 */
export function infoFormatOf(raw: string): InfoFormat | undefined {
  const m = raw.trim().toLowerCase().replace(/\s*;.*$/, '').replace(/\s+/g, '+');
  const mime = ALIASES[m] ?? m;
  return INFO_FORMATS.find((f) => f.mime === mime);
}

/** A RESTful template extension (`txt`, `html`, `json`, `geojson`, `gml`, `xml`). */
export function infoFormatOfExtension(ext: string): InfoFormat | undefined {
  const e = ext.toLowerCase();
  return INFO_FORMATS.find((f) => f.ext === e) ?? (e === 'xml' ? infoFormatOf('text/xml') : undefined);
}
