/**
 * `npm run verify:routing`: our car graph against an independent engine, pgRouting
 * (PostgreSQL + pgRouting + osm2pgrouting with its car configuration), on
 * Heidelberg. For 200 random pairs of junctions both graphs share, compares the
 * shortest *length* between them: same metric on both sides, so a difference means
 * the networks differ (which ways a car may use, oneways, connectivity), not the
 * speed models. pgr_dijkstra ignores turn restrictions, so ours is compared without
 * them; how many pairs the restrictions change is reported beside.
 *
 * Needs root (or sudo-less access to the postgres account) on Debian: installs
 * postgresql, postgresql-15-pgrouting, osm2pgrouting and osmium-tool when missing,
 * starts the 15/main cluster, (re)creates the database `tuilerie_verify`.
 *   TUILERIE_TEST_DATA   shared data dir (default ../shared/data)
 *   VERIFY_PAIRS         number of pairs (default 200)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openOsmFile } from '../src/osm/open_osm_file.js';
import { buildRoutingFromSources } from '../src/routing/build_routing_graph.js';
import { MinHeap } from '../src/routing/min_heap.js';
import { buildProfileGraph, type ProfileGraph } from '../src/routing/profile_graph.js';
import type { RoadNetwork } from '../src/routing/road_network.js';
import { RoadNetworkBuilder } from '../src/routing/road_network_builder.js';
import { carProfile, type RoutingProfile } from '../src/routing/routing_profiles.js';
import type { OsmTags } from '../src/osm/types.js';

/**
 * osm2pgrouting's car model, to tell engine differences from profile differences:
 * the classes of mapconfig_for_cars.xml, oneway=yes/1/true/-1 (and implied on
 * roundabouts and motorways), no access tags, no barriers, no restrictions.
 */
const PG_CLASSES = new Set(['motorway', 'motorway_link', 'motorway_junction', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary', 'tertiary_link', 'residential', 'living_street', 'service', 'unclassified', 'road']);
const pgRoutingLikeCar: RoutingProfile = {
  name: 'car',
  mode: 'driving',
  restrictionKeys: [],
  exceptValues: [],
  waySpeeds(tags: OsmTags) {
    if (!PG_CLASSES.has(tags.highway ?? '')) return { forward: 0, backward: 0 };
    const o = tags.oneway;
    const implied = tags.junction === 'roundabout' || tags.highway === 'motorway';
    if (o === '-1') return { forward: 0, backward: 50 };
    if (o === 'yes' || o === '1' || o === 'true' || (implied && o !== 'no')) return { forward: 50, backward: 0 };
    return { forward: 50, backward: 50 };
  },
  blockedByNode: () => false,
};

/** Our engine on the extract with a given car profile (no turn restrictions: pgr_dijkstra has none). */
async function variantGraph(profile: RoutingProfile, junctions: ReadonlySet<number>): Promise<{ net: RoadNetwork; g: ProfileGraph; index: Map<number, number> }> {
  const b = new RoadNetworkBuilder([profile], { junctions });
  const reader = await openOsmFile(input);
  for await (const blk of reader.blocks({ nodes: false })) b.addWaysAndRelations(blk);
  b.endWayPass();
  for await (const blk of reader.blocks({ ways: false, relations: false })) b.addNodes(blk);
  const net = b.build();
  const index = new Map<number, number>();
  for (let v = 0; v < net.nodeCount; v++) index.set(net.nodeOsmId[v], v);
  return { net, g: buildProfileGraph({ ...net, restrictions: {} }, 'car'), index };
}

const ACCESS_KEYS = ['access', 'vehicle', 'motor_vehicle', 'motorcar'];
/** Steps from our car profile towards osm2pgrouting's, one difference at a time. */
const VARIANTS: Array<{ label: string; profile: RoutingProfile }> = [
  { label: 'ours, car profile', profile: carProfile },
  { label: 'ours, barriers ignored', profile: { ...carProfile, blockedByNode: () => false } },
  {
    label: 'ours, barriers and access tags ignored',
    profile: {
      ...carProfile,
      blockedByNode: () => false,
      waySpeeds: (tags, ctx) => carProfile.waySpeeds(Object.fromEntries(Object.entries(tags).filter(([k]) => !ACCESS_KEYS.includes(k))), ctx),
    },
  },
  { label: "osm2pgrouting's car model (its classes and oneways only)", profile: pgRoutingLikeCar },
];

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const shared = path.resolve(process.env.TUILERIE_TEST_DATA ?? path.join(root, '..', 'shared', 'data'));
const input = path.join(shared, 'osm', 'heidelberg-routing.osm.pbf');
const PAIRS = Number(process.env.VERIFY_PAIRS ?? 200);
const DB = 'tuilerie_verify';

function out(s: string): void {
  process.stdout.write(s + '\n');
}

function run(cmd: string, args: string[], opts: { input?: string; allowFail?: boolean } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input, maxBuffer: 1 << 28 });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${(r.stderr || r.stdout || String(r.error)).slice(-3000)}`);
  return r.stdout ?? '';
}

function asPostgres(cmd: string, args: string[], opts: { input?: string; allowFail?: boolean } = {}): string {
  if (process.getuid?.() === 0) return run('runuser', ['-u', 'postgres', '--', cmd, ...args], opts);
  return run('sudo', ['-u', 'postgres', cmd, ...args], opts);
}

function psql(sql: string, db = DB): string {
  return asPostgres('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db], { input: sql });
}

function ensureTools(): void {
  const have = (c: string, a: string[]): boolean => spawnSync(c, a, { encoding: 'utf8' }).status === 0;
  const pgrouting = fs.existsSync('/usr/share/postgresql/15/extension/pgrouting.control');
  if (have('osm2pgrouting', ['--version']) && have('osmium', ['--version']) && pgrouting && have('psql', ['--version'])) return;
  if (process.getuid?.() !== 0) throw new Error('verify:routing needs postgresql, postgresql-15-pgrouting, osm2pgrouting and osmium-tool: install them (apt-get) or run as root');
  out('installing postgresql, postgresql-15-pgrouting, osm2pgrouting, osmium-tool (apt-get)…');
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql', 'postgresql-15-pgrouting', 'osm2pgrouting', 'osmium-tool']);
}

function startCluster(): void {
  const status = run('pg_lsclusters', ['-h'], { allowFail: true });
  if (!/\bonline\b/.test(status)) run('pg_ctlcluster', ['15', 'main', 'start']);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Shortest length (m) on a profile graph, arcs weighted by their edge's length. */
function lengthDijkstra(g: ProfileGraph, net: RoadNetwork, s: number, t: number, heap: MinHeap): number {
  heap.clear();
  const dist = new Map<number, number>([[s, 0]]);
  heap.push(s, 0);
  while (heap.size > 0) {
    const d = heap.peekKey();
    const v = heap.pop();
    if (v === t) return d;
    for (let a = g.firstOut[v]; a < g.firstOut[v + 1]; a++) {
      const h = g.arcHead[a];
      const nd = d + net.edgeLength[g.arcGeo[a] >> 1];
      if (nd < (dist.get(h) ?? Infinity)) {
        dist.set(h, nd);
        heap.push(h, nd);
      }
    }
  }
  return Infinity;
}

async function main(): Promise<void> {
  ensureTools();
  startCluster();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-verify-'));
  fs.chmodSync(work, 0o755);
  try {
    out(`input: ${input}`);
    const xml = path.join(work, 'input.osm');
    run('osmium', ['cat', input, '-o', xml, '--overwrite']);
    fs.chmodSync(xml, 0o644);
    asPostgres('dropdb', ['--if-exists', DB]);
    asPostgres('createdb', [DB]);
    psql('CREATE EXTENSION postgis; CREATE EXTENSION pgrouting; CREATE EXTENSION hstore;');
    const t0 = Date.now();
    asPostgres('osm2pgrouting', ['-f', xml, '-c', '/usr/share/osm2pgrouting/mapconfig_for_cars.xml', '-d', DB, '-U', 'postgres', '-h', '/var/run/postgresql', '--clean']);
    out(`osm2pgrouting: ${((Date.now() - t0) / 1000).toFixed(1)} s, ${psql('SELECT count(*) FROM ways').trim()} ways, ${psql('SELECT count(*) FROM ways_vertices_pgr').trim()} vertices`);

    const built = await buildRoutingFromSources({ sources: [await openOsmFile(input)], profiles: ['car'] });
    const net = built.network;
    const withRestrictions = built.graphs.get('car')!;
    const plain = buildProfileGraph({ ...net, restrictions: {} }, 'car');

    // Junctions of both graphs that a car can leave and reach in ours.
    const theirs = new Map<number, number>();
    for (const line of psql('SELECT osm_id, id FROM ways_vertices_pgr').split('\n')) {
      const [osm, id] = line.split('|');
      if (osm) theirs.set(Number(osm), Number(id));
    }
    const indeg = new Int32Array(plain.nodeCount);
    for (const h of plain.arcHead) indeg[h]++;
    const shared: number[] = [];
    for (let v = 0; v < net.nodeCount; v++) {
      if (plain.firstOut[v + 1] > plain.firstOut[v] && indeg[v] > 0 && theirs.has(net.nodeOsmId[v])) shared.push(v);
    }
    out(`junctions: ours ${net.nodeCount}, theirs ${theirs.size}, shared and drivable ${shared.length}`);
    const rnd = rng(2026);
    const pairs: Array<[number, number]> = [];
    while (pairs.length < PAIRS) {
      const s = shared[Math.floor(rnd() * shared.length)];
      const t = shared[Math.floor(rnd() * shared.length)];
      if (s !== t) pairs.push([net.nodeOsmId[s], net.nodeOsmId[t]]);
    }
    const combos = pairs.map(([s, t]) => `(${theirs.get(s)}, ${theirs.get(t)})`).join(',');
    const edgesSql = 'SELECT gid AS id, source, target, CASE WHEN cost_s > 0 THEN length_m ELSE -1 END AS cost, CASE WHEN reverse_cost_s > 0 THEN length_m ELSE -1 END AS reverse_cost FROM ways';
    const sql = `SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost($e$${edgesSql}$e$, $c$SELECT * FROM (VALUES ${combos}) AS t(source, target)$c$, true)`;
    const pg = new Map<string, number>();
    for (const line of psql(sql).split('\n')) {
      const [a, b, c] = line.split('|');
      if (a) pg.set(`${a}|${b}`, Number(c));
    }
    const pgLength = ([s, t]: [number, number]): number => pg.get(`${theirs.get(s)}|${theirs.get(t)}`) ?? Infinity;

    const heap = new MinHeap(withRestrictions.nodeCount);
    const index = new Map<number, number>();
    for (let v = 0; v < net.nodeCount; v++) index.set(net.nodeOsmId[v], v);
    let restrictedLonger = 0;
    for (const [s, t] of pairs) {
      const a = lengthDijkstra(plain, net, index.get(s)!, index.get(t)!, heap);
      const b = lengthDijkstra(withRestrictions, net, index.get(s)!, index.get(t)!, heap);
      if (b > a + 0.5) restrictedLonger++;
    }
    out(`pgRouting finds ${pairs.filter((p) => pgLength(p) < Infinity).length} of ${pairs.length} pairs; turn restrictions (which pgr_dijkstra ignores) lengthen ${restrictedLonger} of our paths`);
    for (const variant of VARIANTS) {
      const vg = await variantGraph(variant.profile, new Set(pairs.flat()));
      const vheap = new MinHeap(vg.g.nodeCount);
      let both = 0;
      let within = 0;
      let onlyOurs = 0;
      let onlyTheirs = 0;
      let longer = 0;
      let shorter = 0;
      const examples: string[] = [];
      for (const pair of pairs) {
        const vs = vg.index.get(pair[0]);
        const vt = vg.index.get(pair[1]);
        const ours = vs === undefined || vt === undefined ? Infinity : lengthDijkstra(vg.g, vg.net, vs, vt, vheap);
        const their = pgLength(pair);
        if (ours === Infinity && their === Infinity) continue;
        if (ours === Infinity) {
          onlyTheirs++;
          if (examples.length < 5) examples.push(`node ${pair[0]} → ${pair[1]}: no route for us, pgRouting ${their.toFixed(0)} m`);
          continue;
        }
        if (their === Infinity) { onlyOurs++; continue; }
        both++;
        const rel = (ours - their) / Math.max(1, their);
        if (Math.abs(rel) <= 0.01) within++;
        else {
          if (rel > 0) longer++;
          else shorter++;
          if (examples.length < 5) examples.push(`node ${pair[0]} → ${pair[1]}: ours ${ours.toFixed(0)} m, pgRouting ${their.toFixed(0)} m`);
        }
      }
      out(`${variant.label}: both found ${both}, within 1% ${within} (${((within / Math.max(1, both)) * 100).toFixed(1)}%), ours longer ${longer}, ours shorter ${shorter}; found only by us ${onlyOurs}, only by pgRouting ${onlyTheirs}`);
      for (const e of examples) out(`    ${e}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exitCode = 1;
});
