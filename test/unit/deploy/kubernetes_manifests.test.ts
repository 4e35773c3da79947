/**
 * deploy/kubernetes/*.yaml against the Kubernetes object schemas (kubernetes-models), and
 * against each other: what a Service, PodDisruptionBudget or volume refers to exists, the
 * server's configuration in the ConfigMap loads, the probes and the grace period fit the
 * server. The compose stack's own wiring (deploy/compose.yaml, nginx) is checked here too.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as yaml from 'js-yaml';
import { ConfigMap, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { loadConfig } from '../../../src/config/load_config.js';
import { REPO_ROOT, tempDir } from '../../helpers/paths.js';

const DIR = path.join(REPO_ROOT, 'deploy', 'kubernetes');

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Model { validate(): void }
const MODELS: Record<string, new (o: Obj) => Model> = {
  'v1/ConfigMap': ConfigMap as never,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as never,
  'v1/Service': Service as never,
  'apps/v1/Deployment': Deployment as never,
  'batch/v1/CronJob': CronJob as never,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as never,
};

function manifests(): Array<{ file: string; doc: Obj }> {
  const docs: Array<{ file: string; doc: Obj }> = [];
  for (const file of fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    for (const doc of yaml.loadAll(fs.readFileSync(path.join(DIR, file), 'utf8'))) if (doc) docs.push({ file, doc: doc as Obj });
  }
  return docs;
}
const ofKind = (kind: string) => manifests().filter((m) => m.doc.kind === kind).map((m) => m.doc);
const byName = (kind: string, name: string) => {
  const d = ofKind(kind).find((o) => o.metadata.name === name);
  assert.ok(d, `no ${kind} named ${name}`);
  return d;
};
/** The pod specs of Deployments and CronJobs. */
function podSpecs(): Array<{ owner: string; spec: Obj; labels: Obj }> {
  return [
    ...ofKind('Deployment').map((d) => ({ owner: `Deployment ${d.metadata.name}`, spec: d.spec.template.spec, labels: d.spec.template.metadata.labels })),
    ...ofKind('CronJob').map((c) => ({ owner: `CronJob ${c.metadata.name}`, spec: c.spec.jobTemplate.spec.template.spec, labels: c.spec.jobTemplate.spec.template.metadata?.labels ?? {} })),
  ];
}
const matches = (selector: Obj, labels: Obj) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('deploy/kubernetes manifests', () => {
  it('every object is valid against its Kubernetes schema', () => {
    const docs = manifests();
    assert.ok(docs.length >= 8, `only ${docs.length} objects`);
    for (const { file, doc } of docs) {
      const key = `${doc.apiVersion}/${doc.kind}`;
      const Model = MODELS[key];
      assert.ok(Model, `${file}: ${key} is not one of the kinds this deployment uses (${Object.keys(MODELS).join(', ')})`);
      assert.doesNotThrow(() => new Model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata?.name}`);
    }
  });

  it('the schema check rejects a broken object (not a check that cannot fail)', () => {
    const d = structuredClone(byName('Deployment', 'tuilerie'));
    d.spec.replicas = 'two';
    assert.throws(() => new Deployment(d).validate());
    const c = structuredClone(byName('CronJob', 'tuilerie-refresh'));
    delete c.spec.jobTemplate.spec.template.spec.containers;
    assert.throws(() => new CronJob(c).validate());
  });

  it('has the pieces of the deployment, with unique names per kind', () => {
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'ConfigMap', 'PersistentVolumeClaim', 'CronJob']) {
      const names = ofKind(kind).map((o) => o.metadata.name);
      assert.ok(names.length > 0, `no ${kind}`);
      assert.equal(new Set(names).size, names.length, `duplicate ${kind} names: ${names}`);
    }
  });

  it('every Service and PodDisruptionBudget selects the pods of a Deployment, on ports they declare', () => {
    for (const s of ofKind('Service')) {
      const target = ofKind('Deployment').find((d) => matches(s.spec.selector, d.spec.template.metadata.labels));
      assert.ok(target, `Service ${s.metadata.name} selects no Deployment's pods`);
      const ports = target.spec.template.spec.containers.flatMap((c: Obj) => c.ports ?? []);
      for (const p of s.spec.ports) {
        assert.ok(ports.some((cp: Obj) => cp.name === p.targetPort || cp.containerPort === p.targetPort), `Service ${s.metadata.name}: no container port ${p.targetPort}`);
      }
    }
    for (const d of ofKind('Deployment')) assert.ok(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels), `Deployment ${d.metadata.name}: selector does not match its pods`);
    const pdb = ofKind('PodDisruptionBudget')[0]!;
    const guarded = ofKind('Deployment').find((d) => matches(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels));
    assert.ok(guarded, 'the PodDisruptionBudget selects no Deployment');
    assert.ok(pdb.spec.minAvailable < guarded.spec.replicas, 'minAvailable must leave one replica evictable, or node drains block');
  });

  it('every volume, claim, ConfigMap and mount a pod refers to exists', () => {
    for (const { owner, spec } of podSpecs()) {
      const volumes = new Set((spec.volumes ?? []).map((v: Obj) => v.name));
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const m of c.volumeMounts ?? []) assert.ok(volumes.has(m.name), `${owner}/${c.name}: mount of unknown volume ${m.name}`);
      }
      for (const v of spec.volumes ?? []) {
        if (v.persistentVolumeClaim) byName('PersistentVolumeClaim', v.persistentVolumeClaim.claimName);
        if (v.configMap) byName('ConfigMap', v.configMap.name);
      }
    }
  });

  it('the server pods: health probes, measured resources, non-root, a grace period past the longest render', () => {
    const d = byName('Deployment', 'tuilerie');
    const spec = d.spec.template.spec;
    assert.ok(d.spec.replicas >= 2, 'replicas');
    const c = spec.containers.find((x: Obj) => x.name === 'tuilerie');
    for (const probe of ['readinessProbe', 'livenessProbe']) {
      assert.equal(c[probe]?.httpGet?.path, '/health', probe);
      assert.ok(c.ports.some((p: Obj) => p.name === c[probe].httpGet.port), `${probe} port`);
    }
    for (const x of [...spec.initContainers, ...spec.containers]) {
      assert.ok(x.resources?.requests?.memory && x.resources?.limits?.memory, `${x.name}: memory request and limit`);
      assert.equal(x.securityContext?.allowPrivilegeEscalation, false, `${x.name}: allowPrivilegeEscalation`);
    }
    assert.equal(spec.securityContext.runAsNonRoot, true);
    assert.ok(spec.securityContext.runAsUser > 0);
    // the longest request, with the server's defaults: it waits for another replica's render lock,
    // then for a free renderer, then renders; a graceful stop lets it finish after the preStop pause
    const config = loadConfig({ env: {} });
    const lockS = config.cache.shared.lockMs / 1000;
    const queueS = config.raster.queueWaitMs / 1000;
    const renderS = config.raster.timeoutMs / 1000;
    const preStop = Number(c.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    assert.ok(spec.terminationGracePeriodSeconds > lockS + queueS + renderS + preStop,
      `terminationGracePeriodSeconds ${spec.terminationGracePeriodSeconds} s: after a ${preStop} s preStop, a request may wait ${lockS} s for another replica's render lock, ${queueS} s for a renderer, then render ${renderS} s`);
  });

  it('the server pods write their raster disk cache (<dataDir>/raster-cache) to a writable volume', () => {
    const c = byName('Deployment', 'tuilerie').spec.template.spec.containers[0];
    const dataDir = c.env.find((e: Obj) => e.name === 'TUILERIE_DATA_DIR')?.value;
    assert.ok(dataDir, 'TUILERIE_DATA_DIR set (the image\'s /data is mounted read-only)');
    const mount = (c.volumeMounts as Obj[]).filter((m) => (dataDir + '/').startsWith(m.mountPath.replace(/\/?$/, '/'))).sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    assert.ok(mount && !mount.readOnly, `${dataDir} is on ${mount?.name ?? 'the read-only root file system'}`);
  });

  it('the ConfigMap holds a configuration the server accepts, serving the file the CronJob writes', () => {
    const cm = byName('ConfigMap', 'tuilerie-config');
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'config.json'), cm.data['config.json']);
      const config = loadConfig({ file: path.join(dir, 'config.json'), env: {} });
      const served = Object.values(config.sources).map((s) => s.path);
      const job = byName('CronJob', 'tuilerie-refresh').spec.jobTemplate.spec.template.spec.containers[0];
      const dataDir = job.env.find((e: Obj) => e.name === 'TUILERIE_DATA_DIR').value;
      assert.ok(served.includes(path.join(dataDir, 'openmaptiles.mbtiles')), `served ${served}, written ${dataDir}/openmaptiles.mbtiles`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CronJob runs one refresh at a time with a script the image holds, on the servers\' volume', () => {
    const cj = byName('CronJob', 'tuilerie-refresh');
    assert.equal(cj.spec.concurrencyPolicy, 'Forbid');
    const spec = cj.spec.jobTemplate.spec.template.spec;
    const script = spec.containers[0].command.find((a: string) => a.startsWith('scripts/'));
    assert.ok(fs.existsSync(path.join(REPO_ROOT, script)), script);
    assert.match(fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'), new RegExp(`COPY .*${script.replace(/[.]/g, '\\.')}`), 'the Dockerfile copies it');
    const claim = (s: Obj) => s.volumes.find((v: Obj) => v.persistentVolumeClaim)?.persistentVolumeClaim.claimName;
    assert.equal(claim(spec), claim(byName('Deployment', 'tuilerie').spec.template.spec));
  });
});

describe('deploy/compose.yaml', () => {
  const compose = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'deploy', 'compose.yaml'), 'utf8')) as Obj;
  // YAML 1.1 merge keys (`<<: *anchor`), which compose implementations apply and js-yaml 5 leaves as a key
  for (const [name, s] of Object.entries(compose.services as Obj)) if (s['<<']) compose.services[name] = { ...s['<<'], ...s, '<<': undefined };
  const nginx = fs.readFileSync(path.join(REPO_ROOT, 'deploy', 'infra', 'nginx-lb.conf'), 'utf8');

  it('the balancer\'s upstream is exactly the Tuilerie services', () => {
    const servers = [...nginx.matchAll(/^\s*set \$instance ([\w-]+);/gm)].map((m) => m[1]).sort();
    const hops = [...nginx.matchAll(/^\s*server 127\.0\.0\.1:(\d+)/gm)].map((m) => m[1]).sort();
    const listening = [...nginx.matchAll(/^\s*listen 127\.0\.0\.1:(\d+);/gm)].map((m) => m[1]).sort();
    assert.deepEqual(hops, listening, 'every upstream server is one of the local hops');
    const instances = Object.entries(compose.services as Obj)
      .filter(([, s]) => /tuilerie:/.test(s.image) && (s.entrypoint ?? []).join(' ').includes(' serve '))
      .map(([name]) => name)
      .sort();
    assert.ok(instances.length >= 2, `instances ${instances}`);
    assert.deepEqual(servers, instances);
  });

  it('the instances write their raster disk cache outside the read-only tiles volume', () => {
    for (const [name, s] of Object.entries(compose.services as Obj)) {
      if (!(s.entrypoint ?? []).join(' ').includes(' serve ')) continue;
      const dataDir = s.environment?.TUILERIE_DATA_DIR ?? '/data';
      const ro = (s.volumes as string[]).map((v) => v.split(':')).filter((v) => v[2] === 'ro').map((v) => v[1]!);
      assert.ok(!ro.some((m) => (dataDir + '/').startsWith(m + '/')), `${name}: ${dataDir} is on a read-only volume`);
    }
  });

  it('the instances\' configuration loads and serves what the import service writes', () => {
    const config = loadConfig({ file: path.join(REPO_ROOT, 'deploy', 'tuilerie.json'), env: {} });
    const imp = compose.services.import;
    const paths = Object.values(config.sources).map((s) => s.path);
    assert.ok(paths.includes(`${imp.environment.TUILERIE_DATA_DIR}/openmaptiles.mbtiles`), `${paths}`);
    const pmtiles = paths.find((p) => /^http/.test(p));
    assert.ok(pmtiles && pmtiles.endsWith(path.basename(imp.environment.REFRESH_PMTILES)), `${pmtiles}`);
  });
});
