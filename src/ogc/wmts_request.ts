/**
 * WMTS GetTile requests from either encoding (KVP query or RESTful path),
 * validated into one shape. Errors are OgcErrors with the WMTS codes and the
 * offending parameter as locator.
 */
import { OgcError } from './ogc_exception.js';
import type { KvpParams } from './kvp_params.js';
import { findTileMatrixSet, type TileMatrix, type TileMatrixSet } from './tile_matrix_sets.js';
import type { ImageFormat } from '../render/image_codec.js';

/** A tile of a layer, as GetTile and GetFeatureInfo both name it. */
export interface WmtsTileAddress {
  layer: string;
  set: TileMatrixSet;
  matrix: TileMatrix;
  /** Index of the matrix in its set (XYZ zoom for the quadtrees). */
  level: number;
  row: number;
  col: number;
}

export interface WmtsTileRequest extends WmtsTileAddress {
  format: ImageFormat;
}

/** The raw values of either encoding, as strings. */
export interface WmtsTileParams {
  layer: string;
  style: string;
  tileMatrixSet: string;
  tileMatrix: string;
  tileRow: string;
  tileCol: string;
  /** A MIME type (KVP) or an extension (RESTful). */
  format: string;
}

/** `image/png`, `png`, `image/jpeg`, `jpg`, `jpeg`, `image/webp`, `webp`; anything else undefined. */
export function imageFormatOf(s: string): ImageFormat | undefined {
  const f = s.trim().toLowerCase().replace(/^image\//, '').replace(/;.*$/, '');
  if (f === 'png' || f === 'png8' || f === 'png24' || f === 'png32') return 'png';
  if (f === 'jpeg' || f === 'jpg') return 'jpeg';
  if (f === 'webp') return 'webp';
  return undefined;
}

/** A whole number ≥ 0, else InvalidParameterValue naming the parameter. */
export function intOf(raw: string, locator: string): number {
  if (!/^\d{1,10}$/.test(raw.trim())) throw new OgcError('InvalidParameterValue', `${locator} must be a non-negative integer, got "${raw.slice(0, 32)}"`, { locator });
  return Number(raw.trim());
}

/** Layer, style, set, matrix, row and column checked against what we publish. */
export function parseWmtsTileAddress(p: Omit<WmtsTileParams, 'format'>, isLayer: (name: string) => boolean): WmtsTileAddress {
  if (!isLayer(p.layer)) throw new OgcError('InvalidParameterValue', `unknown layer "${p.layer.slice(0, 64)}": see GetCapabilities for the layer list`, { locator: 'LAYER' });
  const style = p.style.trim().toLowerCase();
  if (style !== '' && style !== 'default') throw new OgcError('InvalidParameterValue', `unknown style "${p.style.slice(0, 64)}": each layer has one style, "default"`, { locator: 'STYLE' });
  const set = findTileMatrixSet(p.tileMatrixSet);
  if (!set) throw new OgcError('InvalidParameterValue', `unknown tile matrix set "${p.tileMatrixSet.slice(0, 64)}"`, { locator: 'TILEMATRIXSET' });
  // clients often send "EPSG:3857:14" style prefixed identifiers; accept the trailing level
  const tm = p.tileMatrix.trim().replace(/^.*:/, '');
  const level = set.matrices.findIndex((m) => m.id === tm);
  if (level < 0) throw new OgcError('InvalidParameterValue', `unknown tile matrix "${p.tileMatrix.slice(0, 32)}" in ${set.id}: 0 to ${set.matrices.length - 1}`, { locator: 'TILEMATRIX' });
  const matrix = set.matrices[level];
  const row = intOf(p.tileRow, 'TILEROW');
  const col = intOf(p.tileCol, 'TILECOL');
  if (row >= matrix.matrixHeight) throw new OgcError('TileOutOfRange', `TILEROW ${row} is outside matrix ${matrix.id} of ${set.id} (0 to ${matrix.matrixHeight - 1})`, { locator: 'TILEROW' });
  if (col >= matrix.matrixWidth) throw new OgcError('TileOutOfRange', `TILECOL ${col} is outside matrix ${matrix.id} of ${set.id} (0 to ${matrix.matrixWidth - 1})`, { locator: 'TILECOL' });
  return { layer: p.layer, set, matrix, level, row, col };
}

export function parseWmtsTile(p: WmtsTileParams, isLayer: (name: string) => boolean): WmtsTileRequest {
  const address = parseWmtsTileAddress(p, isLayer);
  const format = imageFormatOf(p.format);
  if (!format) throw new OgcError('InvalidParameterValue', `unsupported format "${p.format.slice(0, 32)}": image/png, image/jpeg or image/webp`, { locator: 'FORMAT' });
  return { ...address, format };
}

/** The tile address from KVP: every parameter is required (STYLE may be empty). */
export function wmtsTileAddressFromKvp(q: KvpParams): Omit<WmtsTileParams, 'format'> {
  const style = q.get('STYLE');
  if (style === undefined) throw new OgcError('MissingParameterValue', 'parameter STYLE is required (use "default")', { locator: 'STYLE' });
  return {
    layer: q.require('LAYER'),
    style,
    tileMatrixSet: q.require('TILEMATRIXSET'),
    tileMatrix: q.require('TILEMATRIX'),
    tileRow: q.require('TILEROW'),
    tileCol: q.require('TILECOL'),
  };
}

/** GetTile from KVP: every parameter is required (STYLE may be empty). */
export function wmtsTileParamsFromKvp(q: KvpParams): WmtsTileParams {
  return { ...wmtsTileAddressFromKvp(q), format: q.require('FORMAT') };
}
