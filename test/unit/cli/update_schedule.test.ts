import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Logger } from '../../../src/core/logger.js';
import { UpdateSchedule } from '../../../src/cli/update_schedule.js';

/** A logger keeping its lines, by level. */
function recording(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = {
    lines,
    debug: (m: string) => void lines.push(`debug ${m}`),
    info: (m: string) => void lines.push(`info ${m}`),
    warn: (m: string) => void lines.push(`warn ${m}`),
    error: (m: string) => void lines.push(`error ${m}`),
    child: () => logger,
  };
  return logger;
}

/** Runs one scheduled update with `script` standing for `tuilerie` (it gets the update's arguments); the log lines. */
async function oneRun(script: string): Promise<string[]> {
  const logger = recording();
  const schedule = new UpdateSchedule({
    archive: '/nonexistent/a.mbtiles', url: 'http://127.0.0.1:9/', everyMs: 3_600_000, logger,
    stderr: new Writable({ write: (_c, _e, done) => done() }),
    cli: [process.execPath, '-e', script],
  });
  schedule.start();
  try {
    const end = Date.now() + 60_000;
    while (!logger.lines.some((l) => /scheduled update #1[: ].*(next|failed)/.test(l)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  } finally {
    schedule.stop();
  }
  return logger.lines;
}

const SUMMARY = JSON.stringify({ sequence: { from: 100, to: 101 }, tiles: 12, changeLog: { changedTiles: 7 }, roadsChanged: true });

describe('UpdateSchedule', () => {
  it('an update that committed but whose routing graph rebuild failed is reported as applied, with the graph behind', async () => {
    // what `update --json` does then: the summary on stdout, the build's failure on stderr, exit 1
    const lines = await oneRun(`process.stdout.write(${JSON.stringify(SUMMARY)}); process.stderr.write('routing graph build failed (exit 1)\\n'); process.exitCode = 1;`);
    const run = lines.filter((l) => l.includes('#1:') || l.includes('#1 '));
    assert.ok(!run.some((l) => /#1 failed/.test(l)), run.join('\n'));
    assert.ok(run.some((l) => /^error .*sequence 100 → 101.*routing graph rebuild failed/.test(l)), run.join('\n'));
  });

  it('an update that failed without committing is reported as failed', async () => {
    const lines = await oneRun(`process.stderr.write('update: cannot fetch state.txt\\n'); process.exitCode = 1;`);
    assert.ok(lines.some((l) => /^error scheduled update #1 failed .*exit 1 \(update: cannot fetch state.txt\)/.test(l)), lines.join('\n'));
  });

  it('a successful update is logged with its sequences', async () => {
    const lines = await oneRun(`process.stdout.write(${JSON.stringify(SUMMARY)});`);
    assert.ok(lines.some((l) => /^info scheduled update #1: sequence 100 → 101 .*roads changed \(routing graph rebuilt/.test(l)), lines.join('\n'));
  });
});
