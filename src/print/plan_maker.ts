/**
 * Makes one city plan: options → place and scale → frame and grid → indexes
 * from the tile geometry → map raster → page layout → PDF, SVG or PNG.
 * It sees neither HTTP nor argv; the CLI and the server give it a tile source
 * and a map service.
 */
import { TuilerieError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { TileSource } from '../archive/tile_source.js';
import type { RenderRequest } from '../render/renderer.js';
import type { RasterStyle } from '../render/raster_tile_service.js';
import { paperSize } from './paper.js';
import { PLAN_LIMITS, type PlanFormat, type PlanLang, type PlanOptions } from './plan_options.js';
import { chooseScale, extentMm, fitsAt, frameAt, STANDARD_SCALES, type MapFrameGeometry, type MercBox } from './plan_scale.js';
import { extentOfBbox, PlaceFinder } from './place_finder.js';
import { makeGrid, type PlanGrid } from './plan_grid.js';
import { readFeatures } from './tile_features.js';
import { buildPoiIndex, buildStreetIndex, type IndexEntry, type PoiCategory } from './plan_index.js';
import { MapRasterizer } from './map_raster.js';
import { legendFromStyle } from '../styles/style_legend.js';
import { checkPlanFonts } from './plan_fonts.js';
import { GRID_CELL_MM, planBoxes } from './plan_layout.js';
import type { PlanWorkers } from './plan_document.js';

export interface PlanMapService {
  /** The style ready for the renderer (URLs on the local server), labels in `lang`. */
  style(id: string, lang: PlanLang): Promise<RasterStyle>;
  render(req: RenderRequest): Promise<Buffer>;
}

export interface PlanMakerOptions {
  source: TileSource;
  map: PlanMapService;
  /** Where plans are laid out and written, off the event loop. */
  workers: PlanWorkers;
  /** Date of the data, for the subtitle. */
  dataDate?: Date;
  /** A finder kept between plans of the same source (its name scan is done once). */
  places?: PlaceFinder;
  logger?: Logger;
}

export interface PlanProgress {
  stage: 'place' | 'index' | 'map' | 'layout' | 'write';
  /** 0…1 over the whole plan. */
  fraction: number;
}

export const CONTENT_TYPES: Record<PlanFormat, string> = { pdf: 'application/pdf', png: 'image/png', svg: 'image/svg+xml' };

export interface PlanResult {
  data: Buffer;
  format: PlanFormat;
  contentType: string;
  title: string;
  scale: number;
  pages: number;
  frame: MapFrameGeometry;
  grid: PlanGrid;
  streets: IndexEntry[];
  pois: PoiCategory[];
  mapPixels: [number, number];
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

const ATTRIBUTION = '© OpenStreetMap contributors';

function formatScale(scale: number, lang: PlanLang): string {
  const grouped = String(scale).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fr' ? ' ' : '.');
  return `1:${grouped}`;
}

function subtitle(scale: number, lang: PlanLang, date: Date | undefined): string {
  const d = date ? date.toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'de-DE', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }) : undefined;
  if (lang === 'de') return `Maßstab ${formatScale(scale, lang)}${d ? ` — OpenStreetMap-Daten vom ${d}` : ''}`;
  return `Échelle ${formatScale(scale, lang)}${d ? ` — données OpenStreetMap du ${d}` : ''}`;
}

/** Device pixels per CSS pixel: the map's type is sized for about 100 CSS px to the inch on paper. */
export function pixelRatioFor(dpi: number): number {
  return Math.min(3, Math.max(1, Math.round(dpi / 100)));
}

/** Map raster size of a plan in device pixels, from the paper alone. */
export function mapPixelSize(o: Pick<PlanOptions, 'paper' | 'orientation' | 'index' | 'dpi'>): { cssWidth: number; cssHeight: number; ratio: number } {
  const boxes = planBoxes(paperSize(o.paper, o.orientation), o.index);
  const ratio = pixelRatioFor(o.dpi);
  return {
    cssWidth: Math.round((boxes.frame.w / 25.4) * (o.dpi / ratio)),
    cssHeight: Math.round((boxes.frame.h / 25.4) * (o.dpi / ratio)),
    ratio,
  };
}

/** TOO_BIG when the map raster would pass the pixel limit (checked before queueing). */
export function checkPlanSize(o: Pick<PlanOptions, 'paper' | 'orientation' | 'index' | 'dpi'>): void {
  const { cssWidth, cssHeight, ratio } = mapPixelSize(o);
  if (cssWidth * ratio * cssHeight * ratio > PLAN_LIMITS.maxMapPixels) {
    throw new TuilerieError('TOO_BIG', `the map would be ${cssWidth * ratio} × ${cssHeight * ratio} pixels, past the limit of ${PLAN_LIMITS.maxMapPixels / 1e6} megapixels: lower the dpi or the paper size`);
  }
}

export class PlanMaker {
  private readonly places: PlaceFinder;
  private readonly logger: Logger;

  constructor(private readonly opts: PlanMakerOptions) {
    this.places = opts.places ?? new PlaceFinder(opts.source);
    this.logger = opts.logger ?? silentLogger;
  }

  async make(o: PlanOptions, onProgress: (p: PlanProgress) => void = () => undefined): Promise<PlanResult> {
    const timings: Record<string, number> = {};
    let t = Date.now();
    const lap = (name: string) => {
      const now = Date.now();
      timings[name] = now - t;
      t = now;
    };
    onProgress({ stage: 'place', fraction: 0 });
    // the fonts are read in the worker that lays the pages out: a missing one fails here, before any rendering
    checkPlanFonts();
    const paper = paperSize(o.paper, o.orientation);
    const boxes = planBoxes(paper, o.index);
    let title = o.title;
    let extent: MercBox;
    if (o.place) {
      const p = await this.places.find(o.place);
      extent = p.extent;
      title ??= p.name;
    } else extent = extentOfBbox(o.bbox!);
    title ??= 'Plan';
    const frameSize = { widthMm: boxes.frame.w, heightMm: boxes.frame.h };
    const scale = o.scale ?? chooseScale(extent, frameSize);
    if (o.scale !== undefined && !fitsAt(extent, o.scale, frameSize)) {
      const need = extentMm(extent, o.scale);
      const fits = STANDARD_SCALES.find((s) => fitsAt(extent, s, frameSize));
      throw new TuilerieError('TOO_BIG', `${title} does not fit on ${paper.name} ${paper.orientation} at 1:${o.scale}: it needs ${Math.round(need.widthMm)} × ${Math.round(need.heightMm)} mm and the map frame is ${Math.round(frameSize.widthMm)} × ${Math.round(frameSize.heightMm)} mm; ${fits ? `use --scale ${fits} or ` : ''}choose a larger paper`, { details: { suggestedScale: fits } });
    }
    const frame = frameAt(extent, scale, frameSize);
    const grid = makeGrid(frame.merc, frameSize, GRID_CELL_MM * boxes.f);
    checkPlanSize(o);
    const { cssWidth, cssHeight, ratio } = mapPixelSize(o);
    lap('place');

    onProgress({ stage: 'index', fraction: 0.05 });
    const meta = this.opts.source.metadata();
    const z = Math.min(14, meta.maxzoom);
    const features = await readFeatures(this.opts.source, { z, box: frame.merc, layers: ['transportation_name', 'poi'], maxTiles: 4096 });
    const streets = buildStreetIndex(features, grid, o.lang);
    const pois = buildPoiIndex(features, grid, o.lang);
    lap('index');

    onProgress({ stage: 'map', fraction: 0.1 });
    const style = await this.opts.map.style(o.style, o.lang);
    const raster = await new MapRasterizer({ render: (r) => this.opts.map.render(r) }).render({
      style, merc: frame.merc, cssWidth, cssHeight, pixelRatio: ratio,
      onPiece: (done, total) => onProgress({ stage: 'map', fraction: 0.1 + 0.75 * (done / total) }),
    });
    lap('map');

    onProgress({ stage: 'layout', fraction: 0.86 });
    // laid out and written in a worker thread: thousands of measured index entries and an A0 page take seconds
    const written = await this.opts.workers.write({
      format: o.format, dpi: o.dpi, lang: o.lang, boxes, title, subtitle: subtitle(scale, o.lang, this.opts.dataDate),
      subject: `${title} ${formatScale(scale, o.lang)}`,
      keywords: `bbox=${frame.bounds.map((v) => v.toFixed(7)).join(',')} frame_mm=${[boxes.frame.x, boxes.frame.y, boxes.frame.w, boxes.frame.h].map((v) => v.toFixed(3)).join(',')} grid=${grid.cols}x${grid.rows} scale=${scale}`,
      scale, grid, legend: legendFromStyle(style.style), attribution: ATTRIBUTION, streets, pois, raster,
    });
    Object.assign(timings, written.timings);
    const data = written.data;
    onProgress({ stage: 'write', fraction: 1 });
    this.logger.info(`plan ${title} 1:${scale} ${paper.name} ${paper.orientation} ${o.dpi} dpi`, { streets: streets.length, pages: written.pages, ...timings });
    return { data, format: o.format, contentType: CONTENT_TYPES[o.format], title, scale, pages: written.pages, frame, grid, streets, pois, mapPixels: [raster.width, raster.height], timings };
  }
}
