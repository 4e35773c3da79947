/**
 * Where each output pixel of a reprojected map samples the Mercator render,
 * and the resampling itself: the pure part of ./reprojected_map.ts, which a
 * worker thread runs (./reprojection_work.ts). Thousands of proj4 calls for
 * the grid and a pass over millions of pixels: never on the event loop.
 */
import { MAX_LAT, lonLatToMercator } from '../core/tile_math.js';
import type { RgbaImage } from '../render/image_codec.js';
import { resampleBilinear } from '../render/resample_bilinear.js';
import type { CrsDef } from './crs.js';
import { PixelMappingGrid } from './pixel_mapping_grid.js';

/** [minx, miny, maxx, maxy] in the CRS, x east and y north whatever the CRS's axis order. */
export type CrsBox = [number, number, number, number];

/** An output image: its CRS, extent and size. */
export interface OutputFrame {
  crs: CrsDef;
  bbox: CrsBox;
  width: number;
  height: number;
}

/** Where the Mercator render lies: top-left corner (EPSG:3857 metres) and metres per source pixel. */
export interface SourceFrame {
  left: number;
  top: number;
  resolution: number;
}

/** Output pixel position (pixel units, centres at i + 0.5) → EPSG:3857 metres. */
export function outputToMercator(req: OutputFrame): (x: number, y: number) => [number, number] {
  const [minx, miny, maxx, maxy] = req.bbox;
  const rx = (maxx - minx) / req.width, ry = (maxy - miny) / req.height;
  if (req.crs.code === 'EPSG:3857') return (x, y) => [minx + x * rx, maxy - y * ry];
  return (x, y) => {
    const [lon, lat] = req.crs.toLonLat(minx + x * rx, maxy - y * ry);
    // past Web Mercator's latitude limit there is nothing to sample: transparent, not the edge smeared poleward
    if (!(Math.abs(lat) <= MAX_LAT)) return [NaN, NaN];
    return lonLatToMercator(lon, lat);
  };
}

/** Source pixel positions of the output pixels, on a grid refined until interpolating it is exact enough. */
export function sourceGrid(req: OutputFrame, src: SourceFrame): PixelMappingGrid {
  const toMerc = outputToMercator(req);
  return new PixelMappingGrid({
    width: req.width,
    height: req.height,
    map: (x, y) => {
      const [mx, my] = toMerc(x, y);
      return [(mx - src.left) / src.resolution, (src.top - my) / src.resolution];
    },
  });
}

/** The Mercator render `img` (placed by `src`) resampled to the output frame. */
export function reprojectImage(img: RgbaImage, req: OutputFrame, src: SourceFrame): RgbaImage {
  return resampleBilinear(img, sourceGrid(req, src), req.width, req.height);
}
