/**
 * The road network's arrays that the contraction never reads (geometry, names,
 * classes, OSM ids), parked in a temporary file while the profiles contract and
 * read back for the routing file. They are about 70% of the network's memory
 * (coordinates above all: 16 bytes a way node), and the contraction is where a
 * build peaks: parking them takes that much off the peak. The bytes come back as
 * they went, so the file written is the same.
 */
import fs from 'node:fs';
import { TuilerieError } from '../core/errors.js';
import { registerTempFile, releaseTempFile } from '../core/temp_files.js';
import type { RoadNetwork } from './road_network.js';

/** What the contraction stage does not read: profile graphs take edge ends, weights, barriers and restrictions only. */
export const PARKED_ARRAYS = ['coordLon', 'coordLat', 'geomStart', 'edgeName', 'edgeRef', 'edgeFlags', 'edgeClasses', 'nodeOsmId'] as const;
type Parked = (typeof PARKED_ARRAYS)[number];
type ParkedArray = RoadNetwork[Parked];

export class ParkedNetwork {
  private constructor(
    private readonly network: RoadNetwork,
    private readonly file: string,
    private readonly shapes: Array<{ name: Parked; make: (n: number) => ParkedArray; length: number }>,
  ) {}

  /** Writes the arrays to `file` and leaves empty ones in their place in `network`. */
  static park(network: RoadNetwork, file: string): ParkedNetwork {
    registerTempFile(file);
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, 'w');
      const shapes: ParkedNetwork['shapes'] = [];
      for (const name of PARKED_ARRAYS) {
        const a = network[name];
        writeAll(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
        const Ctor = a.constructor as new (n: number) => ParkedArray;
        shapes.push({ name, make: (n) => new Ctor(n), length: a.length });
      }
      fs.closeSync(fd);
      fd = undefined;
      for (const s of shapes) (network as unknown as Record<Parked, ParkedArray>)[s.name] = s.make(0);
      return new ParkedNetwork(network, file, shapes);
    } catch (e) {
      if (fd !== undefined) fs.closeSync(fd);
      removeQuietly(file);
      throw new TuilerieError('IO_ERROR', `route-build: cannot write the network's geometry to the temporary file ${file} (${(e as Error).message}); free some disk space there`, { cause: e });
    }
  }

  /** Puts the arrays back into the network and removes the file. */
  restore(): void {
    const fd = fs.openSync(this.file, 'r');
    try {
      let position = 0;
      for (const s of this.shapes) {
        const a = s.make(s.length);
        const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
        for (let done = 0; done < bytes.length;) {
          const n = fs.readSync(fd, bytes, done, bytes.length - done, position + done);
          if (n === 0) throw new TuilerieError('IO_ERROR', `route-build: temporary file ${this.file} ends early: was it changed meanwhile?`);
          done += n;
        }
        position += bytes.length;
        (this.network as unknown as Record<Parked, ParkedArray>)[s.name] = a;
      }
    } finally {
      fs.closeSync(fd);
      this.discard();
    }
  }

  /** Removes the file (after a failure: the network keeps its empty arrays). */
  discard(): void {
    removeQuietly(this.file);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

function removeQuietly(file: string): void {
  fs.rmSync(file, { force: true });
  releaseTempFile(file);
}
