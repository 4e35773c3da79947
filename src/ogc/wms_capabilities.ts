/**
 * WMS capabilities, 1.3.0 (WMS_Capabilities, CRS, EX_GeographicBoundingBox,
 * BoundingBox in each CRS's own axis order) and 1.1.1 (WMT_MS_Capabilities,
 * SRS, LatLonBoundingBox, always x,y). One named layer per style (aliases
 * answer requests but are not listed: GIS clients would show each style twice)
 * under an unnamed root layer that declares the CRS list once. Layers that
 * draw vector data are queryable (GetFeatureInfo); each has its attribution
 * and a legend (GetLegendGraphic, LegendURL in its style).
 */
import type { Bounds } from '../core/tile_math.js';
import { boundsInCrs, type CrsDef } from './crs.js';
import { INFO_FORMATS } from './info_formats.js';
import type { OgcLayer, OgcServiceInfo } from './ogc_layer.js';
import { xmlEscape as x, xmlNumber } from './xml_text.js';

export type WmsVersion = '1.3.0' | '1.1.1';

export const WMS_FORMATS = ['image/png', 'image/jpeg', 'image/webp'] as const;

export interface WmsCapabilitiesOptions {
  version: WmsVersion;
  /** Public base URL of the server, no trailing slash. */
  baseUrl: string;
  service: OgcServiceInfo;
  layers: OgcLayer[];
  crs: readonly CrsDef[];
  maxWidth: number;
  maxHeight: number;
}

function clampToArea(b: Bounds, area: Bounds): Bounds | undefined {
  const r: Bounds = [Math.max(b[0], area[0]), Math.max(b[1], area[1]), Math.min(b[2], area[2]), Math.min(b[3], area[3])];
  return r[0] < r[2] && r[1] < r[3] ? r : undefined;
}

function boundingBoxes(b: Bounds, o: WmsCapabilitiesOptions, indent: string): string[] {
  const out: string[] = [];
  const attr = o.version === '1.3.0' ? 'CRS' : 'SRS';
  for (const c of o.crs) {
    const inArea = clampToArea(b, c.area);
    if (!inArea) continue;
    const [x0, y0, x1, y1] = boundsInCrs(c, inArea);
    if (![x0, y0, x1, y1].every(Number.isFinite)) continue;
    const d = c.geographic ? 6 : 2;
    const swap = o.version === '1.3.0' && c.northingFirst;
    const [a0, b0, a1, b1] = swap ? [y0, x0, y1, x1] : [x0, y0, x1, y1];
    out.push(`${indent}<BoundingBox ${attr}="${c.code}" minx="${xmlNumber(a0, d)}" miny="${xmlNumber(b0, d)}" maxx="${xmlNumber(a1, d)}" maxy="${xmlNumber(b1, d)}"/>`);
  }
  return out;
}

function geographicBox(b: Bounds, o: WmsCapabilitiesOptions, indent: string): string {
  const [w, s, e, n] = b.map((v) => xmlNumber(v, 6));
  if (o.version === '1.1.1') return `${indent}<LatLonBoundingBox minx="${w}" miny="${s}" maxx="${e}" maxy="${n}"/>`;
  return `${indent}<EX_GeographicBoundingBox><westBoundLongitude>${w}</westBoundLongitude><eastBoundLongitude>${e}</eastBoundLongitude><southBoundLatitude>${s}</southBoundLatitude><northBoundLatitude>${n}</northBoundLatitude></EX_GeographicBoundingBox>`;
}

function legendXml(l: OgcLayer): string {
  if (!l.legend) return '';
  const { href, width, height } = l.legend;
  return `<LegendURL width="${width}" height="${height}"><Format>image/png</Format><OnlineResource xlink:type="simple" xlink:href="${x(href)}"/></LegendURL>`;
}

function attributionXml(l: OgcLayer): string {
  if (!l.attribution) return '';
  const link = l.attribution.url ? `<OnlineResource xlink:type="simple" xlink:href="${x(l.attribution.url)}"/>` : '';
  return `        <Attribution><Title>${x(l.attribution.title)}</Title>${link}</Attribution>`;
}

function contactXml(s: OgcServiceInfo): string {
  if (!s.contactOrganization && !s.contactPerson && !s.contactEmail) return '';
  const lines = [
    '    <ContactInformation>',
    `      <ContactPersonPrimary><ContactPerson>${x(s.contactPerson)}</ContactPerson><ContactOrganization>${x(s.contactOrganization)}</ContactOrganization></ContactPersonPrimary>`,
    s.contactEmail ? `      <ContactElectronicMailAddress>${x(s.contactEmail)}</ContactElectronicMailAddress>` : '',
    '    </ContactInformation>',
  ];
  return lines.filter((t) => t !== '').join('\n');
}

function layerXml(l: OgcLayer, o: WmsCapabilitiesOptions): string {
  return [
    `      <Layer queryable="${l.queryable ? 1 : 0}" opaque="${l.opaque ? 1 : 0}">`,
    `        <Name>${x(l.name)}</Name>`,
    `        <Title>${x(l.title)}</Title>`,
    l.abstract ? `        <Abstract>${x(l.abstract)}</Abstract>` : '',
    geographicBox(l.bounds, o, '        '),
    ...boundingBoxes(l.bounds, o, '        '),
    attributionXml(l),
    `        <Style><Name>default</Name><Title>default</Title>${legendXml(l)}</Style>`,
    '      </Layer>',
  ].filter((s) => s !== '').join('\n');
}

function union(layers: OgcLayer[]): Bounds {
  if (layers.length === 0) return [-180, -85.0511287798066, 180, 85.0511287798066];
  return layers.reduce<Bounds>((a, l) => [Math.min(a[0], l.bounds[0]), Math.min(a[1], l.bounds[1]), Math.max(a[2], l.bounds[2]), Math.max(a[3], l.bounds[3])], [...layers[0].bounds]);
}

export function buildWmsCapabilities(o: WmsCapabilitiesOptions): string {
  const v13 = o.version === '1.3.0';
  const href = `${o.baseUrl}/wms?`;
  const online = `<OnlineResource xlink:type="simple" xlink:href="${x(href)}"/>`;
  const dcp = `<DCPType><HTTP><Get>${online}</Get></HTTP></DCPType>`;
  const capsFormat = v13 ? 'text/xml' : 'application/vnd.ogc.wms_xml';
  const root = v13
    ? '<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:sld="http://www.opengis.net/sld" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.opengis.net/wms http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/sld_capabilities.xsd">'
    : '<WMT_MS_Capabilities version="1.1.1" xmlns:xlink="http://www.w3.org/1999/xlink">';
  const all = union(o.layers);
  return `<?xml version="1.0" encoding="UTF-8"?>
${root}
  <Service>
    <Name>${v13 ? 'WMS' : 'OGC:WMS'}</Name>
    <Title>${x(o.service.title)}</Title>
    <Abstract>${x(o.service.abstract)}</Abstract>
    <OnlineResource xlink:type="simple" xlink:href="${x(`${o.baseUrl}/wms`)}"/>
${contactXml(o.service)}
    <Fees>${x(o.service.fees)}</Fees>
    <AccessConstraints>${x(o.service.accessConstraints)}</AccessConstraints>${v13 ? `
    <MaxWidth>${o.maxWidth}</MaxWidth>
    <MaxHeight>${o.maxHeight}</MaxHeight>` : ''}
  </Service>
  <Capability>
    <Request>
      <GetCapabilities><Format>${capsFormat}</Format>${dcp}</GetCapabilities>
      <GetMap>${WMS_FORMATS.map((f) => `<Format>${f}</Format>`).join('')}${dcp}</GetMap>
      <GetFeatureInfo>${INFO_FORMATS.map((f) => `<Format>${f.mime}</Format>`).join('')}${dcp}</GetFeatureInfo>
      ${v13 ? '<sld:GetLegendGraphic>' : '<GetLegendGraphic>'}<Format>image/png</Format>${dcp}${v13 ? '</sld:GetLegendGraphic>' : '</GetLegendGraphic>'}
    </Request>
    <Exception><Format>${v13 ? 'XML' : 'application/vnd.ogc.se_xml'}</Format></Exception>
    <Layer>
      <Title>${x(o.service.title)}</Title>
${o.crs.map((c) => `      <${v13 ? 'CRS' : 'SRS'}>${c.code}</${v13 ? 'CRS' : 'SRS'}>`).join('\n')}
${geographicBox(all, o, '      ')}
${boundingBoxes(all, o, '      ').join('\n')}
${o.layers.map((l) => layerXml(l, o)).join('\n')}
    </Layer>
  </Capability>
${v13 ? '</WMS_Capabilities>' : '</WMT_MS_Capabilities>'}
`;
}
