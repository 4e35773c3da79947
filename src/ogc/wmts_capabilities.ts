/**
 * The WMTS 1.0.0 capabilities document: one layer per style (aliases answer
 * requests but are not listed), with its legend and attribution, every
 * tile matrix set linked to every layer, GetTile in both KVP and RESTful
 * encodings (ResourceURL templates per format), so that clients limited to one
 * of them (ArcGIS Online: KVP; many web clients: RESTful) both work.
 * Queryable layers also list their InfoFormats and RESTful FeatureInfo
 * templates ({J}/{I} after the tile address, as in the standard's examples).
 */
import { crsByCode, crsUrn } from './crs.js';
import { INFO_FORMATS } from './info_formats.js';
import type { OgcLayer, OgcServiceInfo } from './ogc_layer.js';
import type { TileMatrixSet } from './tile_matrix_sets.js';
import { xmlEscape as x, xmlNumber } from './xml_text.js';

export const WMTS_FORMATS = [
  { mime: 'image/png', ext: 'png' },
  { mime: 'image/jpeg', ext: 'jpg' },
  { mime: 'image/webp', ext: 'webp' },
] as const;

export interface WmtsCapabilitiesOptions {
  /** Public base URL of the server, no trailing slash. */
  baseUrl: string;
  service: OgcServiceInfo;
  layers: OgcLayer[];
  sets: readonly TileMatrixSet[];
}

function operation(name: string, kvp: string, rest?: string): string {
  const get = (href: string, enc: string) =>
    `<ows:Get xlink:href="${x(href)}"><ows:Constraint name="GetEncoding"><ows:AllowedValues><ows:Value>${enc}</ows:Value></ows:AllowedValues></ows:Constraint></ows:Get>`;
  return `    <ows:Operation name="${name}"><ows:DCP><ows:HTTP>${get(kvp, 'KVP')}${rest ? get(rest, 'RESTful') : ''}</ows:HTTP></ows:DCP></ows:Operation>`;
}

/** WMTS layers have no attribution element: it goes at the end of the abstract. */
function layerAbstract(l: OgcLayer): string {
  const parts = [l.abstract ?? '', l.attribution ? `Attribution: ${l.attribution.title}${l.attribution.url ? ` (${l.attribution.url})` : ''}` : ''];
  return parts.filter((p) => p !== '').join(' ');
}

function styleXml(l: OgcLayer): string {
  const legend = l.legend ? `<LegendURL format="image/png" xlink:href="${x(l.legend.href)}" width="${l.legend.width}" height="${l.legend.height}"/>` : '';
  return `      <Style isDefault="true"><ows:Identifier>default</ows:Identifier>${legend}</Style>`;
}

function providerXml(s: OgcServiceInfo): string {
  if (!s.contactOrganization && !s.contactPerson && !s.contactEmail) return '';
  const email = s.contactEmail ? `<ows:ContactInfo><ows:Address><ows:ElectronicMailAddress>${x(s.contactEmail)}</ows:ElectronicMailAddress></ows:Address></ows:ContactInfo>` : '';
  return `
  <ows:ServiceProvider>
    <ows:ProviderName>${x(s.contactOrganization)}</ows:ProviderName>
    <ows:ServiceContact><ows:IndividualName>${x(s.contactPerson)}</ows:IndividualName>${email}</ows:ServiceContact>
  </ows:ServiceProvider>`;
}

function layerXml(l: OgcLayer, o: WmtsCapabilitiesOptions): string {
  const [w, s, e, n] = l.bounds;
  const name = encodeURIComponent(l.name);
  const abstract = layerAbstract(l);
  const lines = [
    '    <Layer>',
    `      <ows:Title>${x(l.title)}</ows:Title>`,
    abstract ? `      <ows:Abstract>${x(abstract)}</ows:Abstract>` : '',
    `      <ows:WGS84BoundingBox><ows:LowerCorner>${xmlNumber(w, 6)} ${xmlNumber(s, 6)}</ows:LowerCorner><ows:UpperCorner>${xmlNumber(e, 6)} ${xmlNumber(n, 6)}</ows:UpperCorner></ows:WGS84BoundingBox>`,
    `      <ows:Identifier>${x(l.name)}</ows:Identifier>`,
    styleXml(l),
    ...WMTS_FORMATS.map((f) => `      <Format>${f.mime}</Format>`),
    ...(l.queryable ? INFO_FORMATS.map((f) => `      <InfoFormat>${f.mime}</InfoFormat>`) : []),
    ...o.sets.map((t) => `      <TileMatrixSetLink><TileMatrixSet>${x(t.id)}</TileMatrixSet></TileMatrixSetLink>`),
    ...WMTS_FORMATS.map((f) => `      <ResourceURL format="${f.mime}" resourceType="tile" template="${x(`${o.baseUrl}/wmts/1.0.0/${name}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.${f.ext}`)}"/>`),
    ...(l.queryable ? INFO_FORMATS.map((f) => `      <ResourceURL format="${f.mime}" resourceType="FeatureInfo" template="${x(`${o.baseUrl}/wmts/1.0.0/${name}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}/{J}/{I}.${f.ext}`)}"/>`) : []),
    '    </Layer>',
  ];
  return lines.filter((s) => s !== '').join('\n');
}

function tileMatrixSetXml(t: TileMatrixSet): string {
  const lines = [
    '    <TileMatrixSet>',
    `      <ows:Title>${x(t.title)}</ows:Title>`,
    `      <ows:Identifier>${x(t.id)}</ows:Identifier>`,
    `      <ows:SupportedCRS>${crsUrn(crsByCode(t.crs))}</ows:SupportedCRS>`,
    t.wellKnownScaleSet ? `      <WellKnownScaleSet>${t.wellKnownScaleSet}</WellKnownScaleSet>` : '',
    ...t.matrices.map((m) =>
      `      <TileMatrix><ows:Identifier>${m.id}</ows:Identifier><ScaleDenominator>${xmlNumber(m.scaleDenominator, 8)}</ScaleDenominator>` +
      `<TopLeftCorner>${xmlNumber(m.topLeft[0], 8)} ${xmlNumber(m.topLeft[1], 8)}</TopLeftCorner><TileWidth>${m.tileWidth}</TileWidth><TileHeight>${m.tileHeight}</TileHeight>` +
      `<MatrixWidth>${m.matrixWidth}</MatrixWidth><MatrixHeight>${m.matrixHeight}</MatrixHeight></TileMatrix>`),
    '    </TileMatrixSet>',
  ];
  return lines.filter((s) => s !== '').join('\n');
}

export function buildWmtsCapabilities(o: WmtsCapabilitiesOptions): string {
  const kvp = `${o.baseUrl}/wmts?`;
  const capsUrl = `${o.baseUrl}/wmts/1.0.0/WMTSCapabilities.xml`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:gml="http://www.opengis.net/gml" xsi:schemaLocation="http://www.opengis.net/wmts/1.0 http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd" version="1.0.0">
  <ows:ServiceIdentification>
    <ows:Title>${x(o.service.title)}</ows:Title>
    <ows:Abstract>${x(o.service.abstract)}</ows:Abstract>
    <ows:ServiceType>OGC WMTS</ows:ServiceType>
    <ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion>
    <ows:Fees>${x(o.service.fees)}</ows:Fees>
    <ows:AccessConstraints>${x(o.service.accessConstraints)}</ows:AccessConstraints>
  </ows:ServiceIdentification>${providerXml(o.service)}
  <ows:OperationsMetadata>
${operation('GetCapabilities', kvp, capsUrl)}
${operation('GetTile', kvp, `${o.baseUrl}/wmts/1.0.0/`)}
${operation('GetFeatureInfo', kvp, `${o.baseUrl}/wmts/1.0.0/`)}
  </ows:OperationsMetadata>
  <Contents>
${o.layers.map((l) => layerXml(l, o)).join('\n')}
${o.sets.map(tileMatrixSetXml).join('\n')}
  </Contents>
  <ServiceMetadataURL xlink:href="${x(capsUrl)}"/>
</Capabilities>
`;
}
