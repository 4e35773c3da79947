/**
 * The reprojection task a worker thread runs (./reprojection_worker.ts serves
 * it, ./reprojection_tasks.ts posts it): the pixel mapping grid (proj4) and the
 * bilinear resampling of a Mercator render. The CRS crosses as its code.
 */
import { asBuffer, sharedResult, type TaskAnswer } from '../core/worker_pool.js';
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

export const reprojectionTasks = {
  reproject(a: ReprojectArgs): TaskAnswer<Uint8Array> {
    const img = { data: asBuffer(a.src.data), width: a.src.width, height: a.src.height };
    const out = reprojectImage(img, { crs: crsByCode(a.crs), bbox: a.bbox, width: a.width, height: a.height }, a.frame).data;
    return { result: sharedResult(out) };
  },
};

export type ReprojectionTasks = typeof reprojectionTasks;
