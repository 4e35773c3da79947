/**
 * The visiting order of OSRM's trip service over a square duration table, as
 * OSRM v5 computes it (engine/plugins/trip.cpp, engine/trip/): exact search
 * below ten locations, farthest insertion above; a fixed start and end is
 * obtained by editing the table so the tour must go end → start at no cost.
 */

/** Stands for OSRM's INVALID_EDGE_WEIGHT: finite, so insertion costs stay comparable. */
const FORBIDDEN = 2 ** 31 - 1;
/** OSRM's BF_MAX_FEASABLE: exact search when there are fewer locations than this. */
export const BRUTE_FORCE_BELOW = 10;

export interface TripShape {
  roundtrip: boolean;
  /** `source=first`: the trip starts at location 0. */
  fixedStart: boolean;
  /** `destination=last`: the trip ends at the last location. */
  fixedEnd: boolean;
}

/** Cost of the closed tour, or FORBIDDEN as soon as it takes a forbidden step or exceeds `bound`. */
function tourCost(table: number[][], order: number[], bound: number): number {
  let cost = 0;
  for (let i = 0; i < order.length && cost < bound; i++) {
    const step = table[order[i]][order[(i + 1) % order.length]];
    if (step >= FORBIDDEN) return FORBIDDEN;
    cost += step;
  }
  return cost;
}

/**
 * The cheapest closed tour by trying every order. Tours are cycles, so location 0
 * stays first and only the others are permuted ((n-1)! orders instead of OSRM's n!,
 * the same set of tours); the first cheapest in lexicographic order wins, as in OSRM.
 */
export function bruteForceTrip(table: number[][]): number[] {
  const n = table.length;
  const order = Array.from({ length: n }, (_, i) => i);
  let best = order.slice();
  let bestCost = FORBIDDEN;
  const rest = order.slice(1);
  do {
    const candidate = [0, ...rest];
    const cost = tourCost(table, candidate, bestCost);
    if (cost < bestCost) {
      bestCost = cost;
      best = candidate;
    }
  } while (nextPermutation(rest));
  return best;
}

/** std::next_permutation: rearranges `a` into the next order, false (and sorted) after the last. */
function nextPermutation(a: number[]): boolean {
  let i = a.length - 2;
  while (i >= 0 && a[i] >= a[i + 1]) i--;
  if (i < 0) {
    a.reverse();
    return false;
  }
  let j = a.length - 1;
  while (a[j] <= a[i]) j--;
  [a[i], a[j]] = [a[j], a[i]];
  for (let l = i + 1, r = a.length - 1; l < r; l++, r--) [a[l], a[r]] = [a[r], a[l]];
  return true;
}

/** The cheapest place to insert `loc` in the tour: the extra cost and the index to insert at. */
function cheapestInsertion(table: number[][], loc: number, tour: number[]): { cost: number; at: number } {
  let cost = Infinity;
  let at = -1;
  for (let i = 0; i < tour.length; i++) {
    const from = tour[i];
    const to = tour[(i + 1) % tour.length];
    const there = table[from][loc];
    const back = table[loc][to];
    if (there >= FORBIDDEN || back >= FORBIDDEN) continue;
    const extra = there + back - table[from][to];
    if (extra < cost) {
      cost = extra;
      at = i + 1;
    }
  }
  return { cost, at };
}

/**
 * OSRM's farthest insertion: start with the two locations furthest apart (the
 * largest entry after the first), then repeatedly take the location whose
 * cheapest insertion costs most and insert it there.
 */
export function farthestInsertionTrip(table: number[][]): number[] {
  const n = table.length;
  let maxIndex = 1;
  for (let k = 2; k < n * n; k++) {
    if (table[Math.floor(k / n)][k % n] > table[Math.floor(maxIndex / n)][maxIndex % n]) maxIndex = k;
  }
  const tour = [Math.floor(maxIndex / n), maxIndex % n];
  const visited = new Array<boolean>(n).fill(false);
  for (const v of tour) visited[v] = true;
  while (tour.length < n) {
    let farthest = -Infinity;
    let next = -1;
    let at = -1;
    for (let i = 0; i < n; i++) {
      if (visited[i]) continue;
      const c = cheapestInsertion(table, i, tour);
      if (c.at >= 0 && c.cost >= farthest) {
        farthest = c.cost;
        next = i;
        at = c.at;
      }
    }
    // Unreachable in a connected table; stop rather than loop if every insertion was forbidden.
    if (next < 0) break;
    visited[next] = true;
    tour.splice(at, 0, next);
  }
  return tour;
}

/**
 * OSRM's table edit for a trip from `source` to `destination`: nothing goes back
 * to the source but the destination, nothing leaves the destination but to the
 * source (at no cost), and the source cannot go straight to the destination.
 */
function fixStartAndEnd(table: number[][], source: number, destination: number): number[][] {
  const t = table.map((row) => row.slice());
  for (let i = 0; i < t.length; i++) {
    if (i !== source) t[i][source] = FORBIDDEN;
    if (i !== destination) t[destination][i] = FORBIDDEN;
  }
  t[destination][source] = 0;
  t[source][destination] = FORBIDDEN;
  return t;
}

/**
 * The order in which to visit the locations of a duration table (every entry
 * finite): a tour starting at location 0, or at the last location when only the
 * end is fixed on a roundtrip (as OSRM rotates it).
 */
export function tripOrder(durations: number[][], shape: TripShape): number[] {
  const n = durations.length;
  const last = n - 1;
  const table = shape.fixedStart && shape.fixedEnd ? fixStartAndEnd(durations, 0, last) : durations;
  const tour = n < BRUTE_FORCE_BELOW ? bruteForceTrip(table) : farthestInsertionTrip(table);
  const first = !shape.fixedEnd || shape.fixedStart ? 0 : last;
  const k = tour.indexOf(first);
  return [...tour.slice(k), ...tour.slice(0, k)];
}
