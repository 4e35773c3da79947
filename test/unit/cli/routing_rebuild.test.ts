import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { rebuildGraphAfterUpdate } from '../../../src/cli/routing_rebuild.js';
import { buildingMarkerPath, claimBuilding, markBuilding } from '../../../src/routing/routing_build_marker.js';
import { REPO_ROOT, tempDir } from '../../helpers/paths.js';
import { capturingLogger } from '../../helpers/capturing_logger.js';
import { until } from '../../helpers/until.js';

describe('routing graph rebuild after an update: one at a time', function () {
  this.timeout(120_000);
  let dir: string;
  let sleeper: ChildProcess | undefined;
  beforeEach(() => { dir = tempDir('rebuild-one'); });
  afterEach(() => {
    sleeper?.kill('SIGKILL');
    sleeper = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('of processes claiming the build at the same moment, exactly one gets it', async () => {
    const graph = path.join(dir, 'a.routing');
    const module = path.join(REPO_ROOT, 'src', 'routing', 'routing_build_marker.ts');
    const script = `import { claimBuilding } from ${JSON.stringify(module)};
      const go = Number(process.argv[1]);
      while (Date.now() < go) {}
      console.log(claimBuilding(${JSON.stringify(graph)}, process.pid) ? 'won' : 'lost');
      setTimeout(() => {}, 3000);`;
    const go = Date.now() + 4000;
    const runs = Array.from({ length: 4 }, () => new Promise<string>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, String(go)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
      p.on('exit', () => resolve(out.trim()));
    }));
    const results = await Promise.all(runs);
    assert.equal(results.filter((r) => r === 'won').length, 1, results.join(','));
  });

  it('a claim left by a process that is gone is taken over; a live one is not', () => {
    const graph = path.join(dir, 'b.routing');
    fs.writeFileSync(buildingMarkerPath(graph), '999999999\n');
    assert.equal(claimBuilding(graph, process.pid), true);
    assert.equal(claimBuilding(graph, process.pid), false);
  });

  it('waits while another build runs, then claims the marker and gives it back when there is nothing to build', async () => {
    const archive = path.join(dir, 'c.mbtiles');
    const graph = path.join(dir, 'c.routing');
    fs.writeFileSync(graph, 'graph');
    sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    markBuilding(graph, sleeper.pid!);
    const lines: string[] = [];
    let done = false;
    const rebuild = rebuildGraphAfterUpdate({ archive, logger: capturingLogger(lines), stderr: process.stderr, pollMs: 20 }).finally(() => { done = true; });
    await until('the rebuild to wait', () => lines.some((l) => /waiting for the routing graph build/.test(l)) || done);
    assert.equal(done, false);
    sleeper.kill('SIGKILL');
    // no store beside the archive: nothing to rebuild, said so, and the marker is released
    assert.equal(await rebuild, undefined);
    assert.ok(lines.some((l) => /cannot be rebuilt/.test(l)), lines.join('\n'));
    assert.equal(fs.existsSync(buildingMarkerPath(graph)), false);
  });
});
