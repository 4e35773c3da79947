/**
 * What an operator meets first: --version, "did you mean" for a mistyped flag,
 * help texts that say what a command does, where the configuration comes from,
 * styles found wherever the command runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, REPO_ROOT, tempDir } from '../../helpers/paths.js';
import { configFileFrom, parseCommandArgs, parseThreads } from '../../../src/cli/cli_args.js';
import { defaultStyles, discoverStyles } from '../../../src/cli/style_discovery.js';
import type { Logger } from '../../../src/core/logger.js';

function cli(args: string[], cwd = REPO_ROOT, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const l = {
    lines,
    debug: (m: string) => lines.push(`debug ${m}`), info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`),
    child: () => l,
  };
  return l;
}

describe('CLI usability', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('start names the configuration key when updates.every is not a period, and the flag when --update-every is not', () => {
    fs.writeFileSync(path.join(dir, 'tuilerie.json'), JSON.stringify({ updates: { every: 'weekly', replicationUrl: 'http://127.0.0.1:9/' } }));
    const fromConfig = cli(['start'], dir);
    assert.equal(fromConfig.status, 2, fromConfig.stderr);
    assert.match(fromConfig.stderr, /updates\.every in the configuration .*\(got weekly\)/);
    assert.doesNotMatch(fromConfig.stderr, /--update-every must/);
    const fromFlag = cli(['start', '--update-every', 'often'], dir);
    assert.equal(fromFlag.status, 2, fromFlag.stderr);
    assert.match(fromFlag.stderr, /--update-every must .*\(got often\)/);
  });

  it('tuilerie --version prints the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = cli([flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^tuilerie ${pkg.version.replace(/\./g, '\\.')} `));
    }
  });

  it('a mistyped option names the closest valid one, for every command', () => {
    const help = 'Usage: tuilerie serve [options]';
    assert.throws(() => parseCommandArgs(['--prot', '8080'], { port: { type: 'string' } }, help), /unknown option --prot; did you mean --port\?.*tuilerie serve --help/);
    assert.throws(() => parseCommandArgs(['--zzzzzzzz'], { port: { type: 'string' } }, help), (e: Error) => /unknown option --zzzzzzzz \(/.test(e.message) && !/did you mean/.test(e.message));
    for (const [command, typo, meant] of [['serve', '--wokers', '--workers'], ['import', '--maxzom', '--maxzoom'], ['seed', '--zoms', '--zooms'], ['plan', '--palce', '--place'], ['route-build', '--profile', '--profiles']]) {
      const r = cli([command, typo, '1']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`unknown option ${typo}; did you mean ${meant}\\?`), `${command}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /To specify a positional argument/, 'not node\'s raw parseArgs message');
    }
  });

  it('serve --help describes everything served; plan --help says what a plan is', () => {
    const serve = cli(['serve', '--help']).stdout;
    for (const what of ['vector tiles', 'raster tiles', 'WMTS', 'WMS', 'routing', 'plans', 'viewer', '/metrics', 'TUILERIE_CONFIG']) assert.ok(serve.includes(what), `serve --help mentions ${what}`);
    const plan = cli(['plan', '--help']).stdout;
    assert.match(plan.split('\n').slice(1, 6).join('\n'), /printable city plan/);
  });

  it('the configuration file comes from --config, else TUILERIE_CONFIG, else ./tuilerie.json', () => {
    assert.equal(configFileFrom(undefined, {}, dir), undefined);
    fs.writeFileSync(path.join(dir, 'tuilerie.json'), '{}');
    assert.equal(configFileFrom(undefined, {}, dir), path.join(dir, 'tuilerie.json'));
    assert.equal(configFileFrom(undefined, { TUILERIE_CONFIG: '/etc/t.json' }, dir), '/etc/t.json');
    assert.equal(configFileFrom('a.json', { TUILERIE_CONFIG: '/etc/t.json' }, dir), 'a.json');
  });

  it('styles: stylesDir holds <id>.json or <id>/style.json; else the bundled ones; else a warning', () => {
    fs.mkdirSync(path.join(dir, 'own', 'nested'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'own', 'nested', 'style.json'), '{}');
    fs.writeFileSync(path.join(dir, 'own', 'flat.json'), '{}');
    assert.deepEqual(Object.keys(discoverStyles(path.join(dir, 'own'))).sort(), ['flat', 'nested']);
    const log = capture();
    const bundled = defaultStyles(path.join(dir, 'missing'), log);
    for (const id of ['bright', 'dark', 'light']) assert.equal(bundled[id]?.path, path.join(REPO_ROOT, 'styles', `${id}.json`));
    assert.match(log.lines.join('\n'), /^info no styles in .*missing: serving the bundled styles/);
    const none = capture();
    assert.deepEqual(defaultStyles(path.join(dir, 'missing'), none, path.join(dir, 'also-missing')), {});
    assert.match(none.lines.join('\n'), /^warn no styles: none configured/);
  });

  it('--threads: one parser for import, update and route-build (absent → the command\'s default, else 1 to 256)', () => {
    assert.equal(parseThreads(undefined, 'import'), undefined);
    assert.equal(parseThreads('2', 'update'), 2);
    assert.equal(parseThreads('256', 'route-build'), 256);
    for (const bad of ['0', '-1', '1.5', 'two', '257', '']) {
      assert.throws(() => parseThreads(bad, 'route-build'), (e: Error & { code?: string }) => e.code === 'BAD_REQUEST' && /^route-build: --threads/.test(e.message), bad);
    }
  });
});
