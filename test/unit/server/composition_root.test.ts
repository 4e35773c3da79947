/**
 * Issue 15's "Done when" checks on the source tree, so they stay true: the
 * services are built in one place (src/server/serving_services.ts), route
 * modules are thin adapters, the CLI reuses the factory and never a route
 * module, and a style's data version has one definition. Each rule is a
 * matcher over file text; the matchers are first shown to catch the shapes
 * the issue found, so that a rule cannot pass by matching nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../helpers/paths.js';

const SRC = path.join(REPO_ROOT, 'src');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const rel = (p: string) => path.relative(REPO_ROOT, p);
const read = (p: string) => fs.readFileSync(p, 'utf8');

/** Module specifiers a file imports or re-exports (static and dynamic). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) out.push(m[1]);
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push(m[1]);
  return out;
}

/** src/server/*_routes files a file imports, resolved from its own directory. */
function routeImports(file: string, text: string): string[] {
  return importsOf(text)
    .filter((s) => s.startsWith('.'))
    .map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')))
    .filter((p) => path.dirname(p) === path.join(SRC, 'server') && /_routes\.ts$/.test(p))
    .map(rel);
}

/** WeakMaps (anywhere) and module-level Maps keyed by dependencies, configuration, apps or sockets. */
function mapsKeyedByDeps(text: string): string[] {
  const deps = /\b(?:\w*Deps|TuilerieConfig|\w*Config|Catalog|\w*Registry|\w*Services|Router|Application|Express|Socket|Server)\b/;
  const out: string[] = [];
  for (const m of text.matchAll(/\bWeakMap\s*<\s*([^,>]+(?:<[^>]*>)?)\s*,/g)) if (deps.test(m[1])) out.push(m[0]);
  for (const m of text.matchAll(/^(?:export\s+)?const\s+\w+\s*=\s*new\s+Map\s*<\s*([^,>]+(?:<[^>]*>)?)\s*,/gm)) if (deps.test(m[1])) out.push(m[0]);
  return out;
}

/** Definitions of a data-version function or method (named *dataVersion*, any case). */
function dataVersionDefinitions(text: string): string[] {
  const re = /(?:function\s+\w*data_?version\w*\s*\(|(?:const|let)\s+\w*data_?version\w*\s*=\s*(?:async\s*)?(?:\([^)]*\)|\w+)\s*=>|^\s*(?:(?:private|public|protected|static|async)\s+)*\w*data_?version\w*\s*\([^)]*\)\s*(?::\s*[^{;]+)?\{)/gim;
  return [...text.matchAll(re)].map((m) => m[0].trim());
}

/**
 * Worker pools built when a module is imported (they outlive every server and take no owner's
 * settings), and exported setters of module-level variables (process-wide settings).
 */
function moduleLevelState(text: string): string[] {
  const out = [...text.matchAll(/^(?:export\s+)?(?:const|let|var)\s+\w+[^=\n]*=\s*new\s+(?:WorkerPool|\w+Workers)\b/gm)].map((m) => m[0]);
  const lets = [...text.matchAll(/^(?:export\s+)?let\s+(\w+)/gm)].map((m) => m[1]);
  for (const m of text.matchAll(/^export\s+function\s+(set\w*)\s*\([^)]*\)[^{]*\{([\s\S]*?)^\}/gm)) {
    if (lets.some((v) => new RegExp(`(?:^|[^.\\w])${v}\\s*=[^=]`).test(m[2]))) out.push(`${m[1]}()`);
  }
  return out;
}

/** Services a route module must not build itself. */
function servicesBuilt(text: string): string[] {
  const re = /\bnew\s+(RasterStack|RenderPool|ChromiumRenderer|NativeRenderer|MetatileRenderer|StaticMapRenderer|RasterTileService|ReprojectedTileService|ReprojectedMap|RenderedTileChain|DiskTileCache|MemoryTileCache|RedisTileCache|PlanJobQueue|PlanMaker|PlanService|RoutingGraphs|SearchService|ServingServices|Catalog|SourceRegistry|StyleRegistry|SourceWatcher)\b/g;
  const out = [...text.matchAll(re)].map((m) => m[0]);
  // the renderer's base URL taken from the first request's socket
  if (/\binternalBaseUrl\s*\(\s*req\b|req\.socket\.localPort|req\.socket\.address\(/.test(text)) out.push('base URL from a request socket');
  return out;
}

describe('composition root (issue 15, "Done when")', () => {
  const server = tsFiles(path.join(SRC, 'server'));
  const cli = tsFiles(path.join(SRC, 'cli'));
  const all = tsFiles(SRC);

  describe('the matchers catch what the issue found', () => {
    it('a CLI import of a route module', () => {
      const file = path.join(SRC, 'cli', 'seed_command.ts');
      assert.deepEqual(routeImports(file, "import { registryStyleSource } from '../server/raster_routes.js';"), ['src/server/raster_routes.ts']);
      assert.deepEqual(routeImports(file, "const { planDataSource } = await import('../server/print_routes.js');"), ['src/server/print_routes.ts']);
      assert.deepEqual(routeImports(file, "import { TuilerieServer } from '../server/tuilerie_server.js';"), []);
    });
    it('a WeakMap keyed by deps', () => {
      assert.equal(mapsKeyedByDeps('const stacks = new WeakMap<ServerDeps, RasterStack>();').length, 1);
      assert.equal(mapsKeyedByDeps('private readonly s = new WeakMap<Pick<ServerDeps, "config">, X>();').length, 1);
      assert.equal(mapsKeyedByDeps('const tiles = new WeakMap<object, X>();\nconst x = new Map<TuilerieConfig, Y>();').length, 1);
      assert.equal(mapsKeyedByDeps('const outcomes = new WeakMap<object, CacheOutcome>();').length, 0);
    });
    it('a second data-version formula', () => {
      assert.equal(dataVersionDefinitions('function styleDataVersion(style: S): string {').length, 1);
      assert.equal(dataVersionDefinitions('  dataVersion(entry: StyleEntry): string {').length, 1);
      assert.equal(dataVersionDefinitions('const dataVersion = (s) => s.id;').length, 1);
      assert.equal(dataVersionDefinitions('const dataVersion = this.dataVersion(entry);\n  dataVersion: string;').length, 0);
    });
    it('a worker pool built at import, and a setter of process-wide state', () => {
      assert.deepEqual(moduleLevelState("const pool = new WorkerPool<GeojsonTasks>({ name: 'geojson' });"), ["const pool = new WorkerPool"]);
      assert.equal(moduleLevelState('export const pixels = new PixelWorkers({ niceness: 10 });').length, 1);
      assert.equal(moduleLevelState('let n = 10;\nexport function setBackgroundNiceness(v: number): void {\n  check(v);\n  n = v;\n}\n').length, 1);
      assert.equal(moduleLevelState('class P {\n  constructor() {\n    this.pool = new WorkerPool({});\n  }\n}\nexport function setUp(o: O): void {\n  o.n = 1;\n}\n').length, 0);
    });
    it('a route module building its own stack from the first request', () => {
      assert.deepEqual(servicesBuilt('stack = new RasterStack({ styles: registryStyleSource(deps, internalBaseUrl(req)) })'), ['new RasterStack', 'base URL from a request socket']);
      assert.deepEqual(servicesBuilt('const stack = deps.services.raster;'), []);
    });
  });

  it('src/cli imports no src/server/*_routes module (seed and plan use the TuilerieServer factory)', () => {
    const found = cli.flatMap((f) => routeImports(f, read(f)).map((r) => `${rel(f)} → ${r}`));
    assert.deepEqual(found, []);
  });

  it('no module outside src/server imports a route module, and inside only the router list and the server do', () => {
    const found = all.flatMap((f) => routeImports(f, read(f)).map((r) => `${rel(f)} → ${r}`))
      .filter((s) => !/^src\/server\/(feature_routers|tuilerie_server)\.ts /.test(s));
    assert.deepEqual(found, []);
  });

  it('src/server keeps no WeakMap (nor module-level Map) keyed by deps, configuration or sockets', () => {
    const found = server.flatMap((f) => mapsKeyedByDeps(read(f)).map((m) => `${rel(f)}: ${m}`));
    assert.deepEqual(found, []);
  });

  it('src keeps no worker pool built at import nor a setter of process-wide state: pools belong to the composition root (OffLoopWorkers)', () => {
    const found = all.flatMap((f) => moduleLevelState(read(f)).map((m) => `${rel(f)}: ${m}`));
    assert.deepEqual(found, []);
  });

  it('route modules build no service: everything comes from deps.services, built once by serving_services.ts', () => {
    const routes = server.filter((f) => /_routes\.ts$/.test(f));
    assert.ok(routes.length >= 8, `${routes.length} route modules`);
    const found = routes.flatMap((f) => servicesBuilt(read(f)).map((m) => `${rel(f)}: ${m}`));
    assert.deepEqual(found, []);
  });

  it('one data-version function in all of src: Catalog.dataVersion', () => {
    const found = all.flatMap((f) => dataVersionDefinitions(read(f)).map((d) => `${rel(f)}: ${d}`));
    assert.deepEqual(found, ['src/server/catalog.ts: dataVersion(entry: StyleEntry): string {']);
  });

  it('styles are rewritten for a base URL in one place (the catalog), aliases read in one place (the style registry)', () => {
    const rewrites = all.filter((f) => /\brewriteStyle\s*\(/.test(read(f)) && !f.endsWith(path.join('styles', 'style_rewriter.ts'))).map(rel);
    assert.deepEqual(rewrites, ['src/server/catalog.ts']);
    const aliases = all.filter((f) => /tuilerie:aliases/.test(read(f))).map(rel);
    assert.deepEqual(aliases, ['src/server/style_registry.ts']);
  });

  it('each module imports only the modules below it (docs/ARCHITECTURE.md, "Dependency direction")', () => {
    const below = ['core', 'config', 'osm', 'tiling', 'styles', 'archive', 'schema', 'routing', 'cache', 'render', 'ogc', 'print', 'search'];
    const allowed: Record<string, string[]> = {
      core: [], config: ['core'], osm: ['core'], tiling: ['core'], styles: ['core'], archive: ['core'],
      schema: ['core', 'osm'], routing: ['core', 'osm'], cache: ['core', 'archive'], render: ['core', 'cache'],
      ogc: ['core', 'cache', 'render', 'styles'], print: ['core', 'archive', 'render', 'styles'], search: ['core', 'archive'],
      importer: ['core', 'archive', 'osm', 'schema', 'tiling'], server: below, cli: [...below, 'server', 'importer'],
    };
    const found: string[] = [];
    for (const f of all) {
      const own = path.relative(SRC, f).split(path.sep)[0];
      for (const spec of importsOf(read(f)).filter((s) => s.startsWith('.'))) {
        const target = path.relative(SRC, path.resolve(path.dirname(f), spec)).split(path.sep)[0];
        if (target !== own && !(allowed[own] ?? []).includes(target)) found.push(`${rel(f)} → ${spec}`);
      }
    }
    assert.deepEqual(found, []);
  });

  it('src/server imports neither src/cli nor src/importer', () => {
    const found = server.flatMap((f) => importsOf(read(f)).filter((s) => /^(\.\.\/)+(cli|importer)\//.test(s)).map((s) => `${rel(f)} → ${s}`));
    assert.deepEqual(found, []);
  });
});
