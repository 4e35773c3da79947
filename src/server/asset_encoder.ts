/**
 * Gzip and identity representations of in-memory assets (glyph ranges, sprite
 * indexes, the web page and MapLibre), made once per buffer: keyed by the
 * Buffer object the asset's store keeps, so a rebuilt asset (a new Buffer) is
 * encoded afresh and a dropped one is collected with its encodings.
 */
import zlib from 'node:zlib';
import { strongEtag } from '../cache/etag.js';
import type { Representation } from './conditional_http.js';

export interface EncodedAsset {
  gzip: Representation;
  identity: Representation;
}

export class AssetEncoder {
  private readonly encoded = new WeakMap<Buffer, EncodedAsset>();

  encode(data: Buffer): EncodedAsset {
    let e = this.encoded.get(data);
    if (!e) {
      const gz = zlib.gzipSync(data, { level: 9 });
      e = { identity: { data, encoding: 'identity', etag: strongEtag(data) }, gzip: { data: gz, encoding: 'gzip', etag: strongEtag(gz) } };
      this.encoded.set(data, e);
    }
    return e;
  }
}
