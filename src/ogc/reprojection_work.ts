/**
 * The reprojection task a worker thread runs (./reprojection_worker.ts serves
 * it, ./reprojection_tasks.ts posts it): the pixel mapping grid (proj4) and the
 * bilinear resampling of a Mercator render. The CRS crosses as its code.
 */
import { asBuffer, ownMemory, sharedResult, type TaskAnswer } from '../core/worker_pool.js';
import type { RgbaImage } from '../render/image_codec.js';
import { encodeMap, type MapEncoding } from './map_encoding.js';
import { lowerEncoderThreads } from '../render/pixel_work.js';
import type { PostedImage } from '../render/pixel_work.js';
import { crsByCode } from './crs.js';
import { reprojectImage, type CrsBox, type SourceFrame } from './reprojection_grid.js';

export interface ReprojectArgs {
  src: PostedImage;
  frame: SourceFrame;
  crs: string;
  bbox: CrsBox;
  width: number;
  height: number;
}

function reproject(a: ReprojectArgs): RgbaImage {
  const img = { data: asBuffer(a.src.data), width: a.src.width, height: a.src.height };
  return reprojectImage(img, { crs: crsByCode(a.crs), bbox: a.bbox, width: a.width, height: a.height }, a.frame);
}

export const reprojectionTasks = {
  reproject(a: ReprojectArgs): TaskAnswer<Uint8Array> {
    return { result: sharedResult(reproject(a).data) };
  },
  /** Reprojected and encoded here: only the encoded image goes back to the event loop. */
  async reprojectEncoded(a: ReprojectArgs & { encoding: MapEncoding }): Promise<TaskAnswer<Uint8Array>> {
    const encoded = await encodeMap(reproject(a), a.encoding);
    lowerEncoderThreads();
    return { result: encoded, transfer: ownMemory(encoded) };
  },
};

export type ReprojectionTasks = typeof reprojectionTasks;
