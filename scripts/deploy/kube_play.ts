/**
 * deploy/kubernetes with `podman kube play` (for `npm run test:compose`): the ConfigMap and
 * the server Deployment at one replica, its image the local build, on a volume named as
 * the PersistentVolumeClaim and filled the way the CronJob fills it (scripts/refresh_data.sh
 * as uid 1000). Checks the pod as Kubernetes would run it (non-root, read-only root file
 * system, the init container waiting for the data): healthy, serving vector and raster
 * tiles, from the host through the port it publishes. Redis is left out (no cluster DNS here):
 * the pod serves from its local caches.
 *
 * podman kube play starts one pod per replica and publishes each container port on the host
 * (0.0.0.0, the same port for every pod, so a second replica cannot start): here one replica,
 * its port published on a free loopback port.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as yaml from 'js-yaml';
import { CheckFailed, Fatal, MULHOUSE, OSM_DIR, ROOT, check, containerMemory, get, isPng, mb, out, podman, processMemory, quietly, sleep, tileOf, waitFor } from './podman.js';
import { freePort } from '../serve_harness.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function docs(file: string): Obj[] {
  return yaml.loadAll(fs.readFileSync(path.join(ROOT, 'deploy', 'kubernetes', file), 'utf8')).filter(Boolean) as Obj[];
}

/**
 * `podman kube play`, again (up to 5 times) when podman 4.3 loses its race with the init container: on a loaded
 * machine it may try to remove the init container before that has exited ("failed to remove once
 * init container … as it is running") and leave the pod half started.
 */
async function play(file: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const r = podman(['kube', 'play', file], { allowFail: true });
    if (r.code === 0) return;
    const race = /failed to remove once init container/.test(r.stderr);
    if (!race || attempt === 5) throw new CheckFailed(`podman kube play exited ${r.code}: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
    out(`    podman kube play lost its race with the init container (podman 4.3, attempt ${attempt}): again`);
    podman(['kube', 'down', file], { allowFail: true });
    await sleep(2000);
  }
}

export async function kubePlay(opts: { image: string; logs: string }): Promise<void> {
  const configMap = docs('configmap.yaml')[0]!;
  const deployment = docs('deployment.yaml')[0]!;
  const claim = (deployment.spec.template.spec.volumes as Obj[]).find((v) => v.persistentVolumeClaim)!.persistentVolumeClaim.claimName as string;
  deployment.spec.replicas = 1;
  for (const c of [...deployment.spec.template.spec.initContainers, ...deployment.spec.template.spec.containers]) c.image = opts.image;
  const port = await freePort();
  const http = (deployment.spec.template.spec.containers[0].ports as Obj[]).find((p) => p.name === 'http')!;
  Object.assign(http, { hostIP: '127.0.0.1', hostPort: port });
  const base = `http://127.0.0.1:${port}`;
  const file = path.join(opts.logs, 'kube-play.yaml');
  fs.writeFileSync(file, [configMap, deployment].map((d) => yaml.dump(d)).join('---\n'));

  // kube play makes a volume of the ConfigMap too: both removed before and after
  const volumes = [claim, configMap.metadata.name as string];
  quietly(() => podman(['kube', 'down', file], { allowFail: true }));
  quietly(() => podman(['volume', 'rm', '-f', ...volumes], { allowFail: true }));
  podman(['volume', 'create', claim]);
  const t0 = Date.now();
  // the CronJob's work: extracts into /data/osm, then scripts/refresh_data.sh as uid 1000
  podman(['run', '--rm', '--user', '0:0', '-v', `${claim}:/data`, '-v', `${OSM_DIR}:/src:ro`, '--entrypoint', 'sh', opts.image, '-c', 'mkdir -p /data/osm && cp /src/mulhouse.osm.pbf /data/osm/ && chown -R 1000:1000 /data']);
  podman(['run', '--rm', '--user', '1000:1000', '-v', `${claim}:/data`, '-e', 'TUILERIE_OSM_DIR=/data/osm', '-e', 'TUILERIE_DATA_DIR=/data', '--entrypoint', '/usr/bin/tini', opts.image, '--', 'scripts/refresh_data.sh']);
  out(`    data job (refresh_data.sh, Mulhouse) into volume ${claim}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const t1 = Date.now();
    await play(file);
    const pod = `${deployment.metadata.name}-pod-0`;
    const ctr = `${pod}-${deployment.spec.template.spec.containers[0].name}`;
    await waitFor('the pod healthy', async () => {
      const state = podman(['inspect', '--format', '{{.State.Status}}', ctr], { allowFail: true }).stdout.trim();
      if (state === 'exited') throw new Fatal(`exited: ${podman(['logs', ctr]).stderr.slice(-1500)}`);
      return state === 'running' && (await get(`${base}/health`, { signal: AbortSignal.timeout(10_000) })).status === 200 ? true : undefined;
    }, 600_000, 1000);
    check('kube play: one replica healthy (/health through the published port)', true, `${((Date.now() - t1) / 1000).toFixed(1)} s after podman kube play`);
    const ro = podman(['inspect', '--format', '{{.HostConfig.ReadonlyRootfs}}', ctr]).stdout.trim();
    const uid = podman(['exec', ctr, 'id', '-u']).stdout.trim();
    check('kube play: non-root, read-only root file system', uid === '1000' && ro === 'true', `uid ${uid}, read-only root ${ro}`);
    const t = tileOf(MULHOUSE[0], MULHOUSE[1], 14);
    const v = await get(`${base}/data/openmaptiles/${t.z}/${t.x}/${t.y}.pbf`);
    check('kube play: vector tile', v.status === 200 && v.body.length > 100, `${v.status}, ${v.body.length} bytes`);
    const styles = JSON.parse((await get(`${base}/styles.json`)).body.toString()) as Array<{ id: string }>;
    const r = await get(`${base}/styles/${styles[0]?.id}/${t.z}/${t.x}/${t.y}.png`);
    check('kube play: raster tile (Chromium under the pod\'s security context)', r.status === 200 && isPng(r.body), `${r.status}, ${r.body.length} bytes`);
    out(`    kube play pod memory after a render: ${mb(containerMemory(ctr))}; ${processMemory(ctr)}`);
  } finally {
    quietly(() => podman(['kube', 'down', file], { allowFail: true }));
    quietly(() => podman(['volume', 'rm', '-f', ...volumes], { allowFail: true }));
  }
}
