/**
 * One /metrics for all the workers of `serve --workers N`, kept by the primary:
 * each scrape gathers every worker's exposition text; counters and histograms
 * are summed over the workers, those of workers that have gone included (their
 * last values are kept), so a counter never goes backwards whichever worker
 * answers the scrape, nor when a worker is replaced; gauges (memory, cache
 * size, queue length) are given per worker with a `worker` label.
 */
type Kind = 'counter' | 'gauge' | 'histogram' | 'untyped';

interface Family { help: string; type: Kind }

interface Parsed {
  families: Map<string, Family>;
  /** sample name + label string → value, in text order */
  samples: Map<string, { name: string; labels: string; value: number }>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)$/;

function parse(text: string): Parsed {
  const families = new Map<string, Family>();
  const samples: Parsed['samples'] = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('# HELP ')) {
      const [, name, ...help] = line.split(' ').slice(1);
      families.set(name, { help: help.join(' '), type: families.get(name)?.type ?? 'untyped' });
    } else if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      families.set(name, { help: families.get(name)?.help ?? '', type: type as Kind });
    } else if (line && !line.startsWith('#')) {
      const m = SAMPLE.exec(line);
      if (m) samples.set(m[1] + (m[2] ?? ''), { name: m[1], labels: m[2] ?? '', value: Number(m[3]) });
    }
  }
  return { families, samples };
}

/** The family a sample belongs to: its own name, or without a histogram suffix. */
function familyOf(name: string, families: Map<string, Family>): string {
  if (families.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return families.has(base) ? base : name;
}

function withWorker(labels: string, worker: string): string {
  const w = `worker="${worker}"`;
  return labels ? `{${labels.slice(1, -1)},${w}}` : `{${w}}`;
}

export class ClusterMetrics {
  private readonly live = new Map<string, Parsed>();
  /** Counter and histogram totals of workers that have gone. */
  private readonly retired = new Map<string, { name: string; labels: string; value: number }>();
  private readonly families = new Map<string, Family>();

  /** The latest exposition text of a worker. */
  update(worker: string, text: string): void {
    const p = parse(text);
    for (const [n, f] of p.families) this.families.set(n, f);
    this.live.set(worker, p);
  }

  /** A worker has gone: its counters stay in the totals, its gauges leave. */
  retire(worker: string): void {
    const p = this.live.get(worker);
    this.live.delete(worker);
    if (!p) return;
    for (const [key, s] of p.samples) {
      if (this.kindOf(s.name) === 'gauge') continue;
      const r = this.retired.get(key);
      if (r) r.value += s.value;
      else this.retired.set(key, { ...s });
    }
  }

  private kindOf(sample: string): Kind {
    return this.families.get(familyOf(sample, this.families))?.type ?? 'untyped';
  }

  render(): string {
    const byFamily = new Map<string, Map<string, { name: string; labels: string; value: number }>>();
    const add = (key: string, s: { name: string; labels: string; value: number }) => {
      const fam = familyOf(s.name, this.families);
      let m = byFamily.get(fam);
      if (!m) byFamily.set(fam, (m = new Map()));
      const cur = m.get(key);
      if (cur) cur.value += s.value;
      else m.set(key, { ...s });
    };
    for (const [key, s] of this.retired) add(key, s);
    for (const [worker, p] of this.live) {
      for (const [key, s] of p.samples) {
        if (this.kindOf(s.name) === 'gauge') {
          const labels = withWorker(s.labels, worker);
          add(s.name + labels, { ...s, labels });
        } else {
          add(key, s);
        }
      }
    }
    const out: string[] = [];
    for (const [fam, samples] of byFamily) {
      const f = this.families.get(fam);
      if (f) {
        out.push(`# HELP ${fam} ${f.help}`);
        out.push(`# TYPE ${fam} ${f.type}`);
      }
      for (const s of samples.values()) out.push(`${s.name}${s.labels} ${s.value}`);
    }
    return out.join('\n') + '\n';
  }
}
