/**
 * Counts of bad input data by code. Real OSM extracts always contain some broken
 * data (ways cut at the extract border, unclosed multipolygons); like planetiler's
 * `stats.dataError(code)`, we count these and carry on instead of throwing, and
 * report the counts in the import summary.
 */
export type KnownDataErrorCode =
  | 'osm_missing_node'        // a way refers to a node not in the input
  | 'osm_missing_member_way'  // a relation refers to a way not in the input
  | 'osm_unclosed_ring'       // multipolygon member ways that do not join into a closed ring
  | 'osm_degenerate_ring'     // a ring with fewer than 3 distinct points or no area
  | 'osm_wrong_role'          // outer/inner role contradicted by ring containment
  | 'osm_duplicate_node'      // the same node id twice (overlapping extracts)
  | 'coastline_open'          // a coastline piece ending inside the import's extent (gap, cut extract, reversed way)
  | 'coastline_fork'          // two coastline ways leaving the same node (one runs the wrong way)
  | 'coastline_missing_node'  // a coastline way refers to a node not in the input
  | 'coastline_self_intersection' // coastline pieces or rings crossing or touching
  | 'coastline_direction'     // coastline crossing the extent does not alternate in and out: no sea made
  | 'coastline_reversed_ring' // a clockwise (sea) ring inside sea, taken as an island
  | 'coastline_nested_land'   // an island ring inside land
  | 'coastline_gap_closed'    // open ends closer than 1 m joined (osmcoastline's --close-distance)
  | 'coastline_broken_islet'  // a broken island in the sea (open or crossing ring): its hull left without sea, the sea around kept
  | 'coastline_reversed_coast' // a sea polygon holding more nodes per area than the land: coast drawn the wrong way round, left out
  | 'coastline_sea_left_out'; // a sea polygon bounded by or holding broken coastline, not written

/** Known codes are suggested by the editor; any other string is accepted. */
export type DataErrorCode = KnownDataErrorCode | (string & {});

export class DataErrors {
  private readonly counts = new Map<string, number>();

  count(code: DataErrorCode, n = 1): void {
    if (n <= 0) return;
    this.counts.set(code, (this.counts.get(code) ?? 0) + n);
  }

  get(code: DataErrorCode): number {
    return this.counts.get(code) ?? 0;
  }

  get total(): number {
    let t = 0;
    for (const n of this.counts.values()) t += n;
    return t;
  }

  /** Adds another set of counts (e.g. from a worker or another stage) into this one. */
  merge(other: DataErrors | Record<string, number>): this {
    const entries = other instanceof DataErrors ? other.entries() : Object.entries(other);
    for (const [code, n] of entries) this.count(code, n);
    return this;
  }

  /** [code, count] pairs, largest count first, then by code. */
  entries(): [string, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.entries());
  }

  /** One line for logs: `osm_missing_node=133 osm_unclosed_ring=2`, or `none`. */
  summary(): string {
    const e = this.entries();
    return e.length === 0 ? 'none' : e.map(([c, n]) => `${c}=${n}`).join(' ');
  }
}
