/**
 * OSM entities as the readers hand them out, and the reader contract.
 * Ids are JS numbers (exact up to 2^53, far above OSM's ids).
 */
export type OsmTags = Record<string, string>;

export interface OsmNode {
  type: 'node';
  id: number;
  lon: number;
  lat: number;
  tags: OsmTags;
}
export interface OsmWay {
  type: 'way';
  id: number;
  /** Node ids in order. */
  refs: Float64Array;
  tags: OsmTags;
}
export interface OsmMember {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}
export interface OsmRelation {
  type: 'relation';
  id: number;
  members: OsmMember[];
  tags: OsmTags;
}
export type OsmEntity = OsmNode | OsmWay | OsmRelation;

/**
 * A batch of decoded entities (one PBF block, or a chunk of XML). Node coordinates
 * come as parallel typed arrays for every node (tagged or not) so the node store
 * can ingest them without one object per node; tagged nodes also appear in
 * `taggedNodes` with their tags.
 */
export interface OsmBlock {
  nodeIds: Float64Array;
  nodeLons: Float64Array;
  nodeLats: Float64Array;
  taggedNodes: OsmNode[];
  ways: OsmWay[];
  relations: OsmRelation[];
}

export interface OsmHeader {
  /** Bounding box from the file header, when present: [west, south, east, north]. */
  bbox?: [number, number, number, number];
  requiredFeatures: string[];
  writingProgram?: string;
  /** osmosis_replication_timestamp or the XML `timestamp`, ISO string, when present. */
  timestamp?: string;
  /** osmosis_replication_sequence_number: the replication sequence the file's data is at, when present. */
  sequence?: number;
}

export interface OsmReadOptions {
  /** Skip decoding what is not wanted (faster passes). Default: all true. */
  nodes?: boolean;
  ways?: boolean;
  relations?: boolean;
  /**
   * A hint: only what a routing graph reads is wanted (routing_tags.ts: routable ways, restriction relations,
   * tagged nodes that may block a way; node coordinates all). The PBF reader drops the rest in its decoding
   * threads, so the main thread never unpacks it; other readers may give everything.
   */
  routingOnly?: boolean;
  /** Worker threads for PBF decoding (default: cores, but one per 8 MB of file at most: small files gain nothing from more). */
  threads?: number;
  /** Called with bytes of the input consumed so far (for progress). */
  onBytes?: (bytesRead: number) => void;
}

/** Anything that streams OSM blocks: a file reader, or files with changes applied (ChangedOsmSource). */
export interface OsmBlockSource {
  blocks(opts?: OsmReadOptions): AsyncIterable<OsmBlock>;
}

/** One input file, opened: format-specific readers implement this. */
export interface OsmFileReader extends OsmBlockSource {
  readonly path: string;
  readonly format: 'pbf' | 'xml' | 'xml.bz2';
  /** Size of the file on disk in bytes. */
  readonly size: number;
  header(): Promise<OsmHeader>;
  /** Streams the file's entities in file order (nodes, then ways, then relations for sorted files). */
  blocks(opts?: OsmReadOptions): AsyncIterable<OsmBlock>;
}
