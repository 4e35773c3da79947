/**
 * Prometheus text exposition (format 0.0.4) without a client library: request
 * counts by route and status, a latency histogram by route, bytes sent, and
 * gauges pulled at scrape time (cache hits and misses, sizes).
 */
import type { RequestHandler } from 'express';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram { counts: number[]; sum: number; count: number }

export type Collector = () => Array<{ name: string; help: string; type: 'counter' | 'gauge'; value: number; labels?: Record<string, string> }>;

function labelString(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

const LABELS = new WeakMap<RegExp, string>();

/** Gives a route declared with a regular expression its metrics label (e.g. '/styles/:id/:z/:x/:y.:fmt'). */
export function labelledRoute(re: RegExp, label: string): RegExp {
  LABELS.set(re, label);
  return re;
}

/**
 * A readable, bounded label for a route declared with an unlabelled regular
 * expression: capture groups become `:1`, `:2`, …, other groups `(…)`, escapes
 * are undone: /^\/plans\/([^/]+)\/plan\.(pdf|png|svg)$/ → /plans/:1/plan.:2
 */
export function regexRouteLabel(re: RegExp): string {
  const labelled = LABELS.get(re);
  if (labelled) return labelled;
  const src = re.source.replace(/^\^/, '').replace(/\$$/, '');
  let out = '';
  let depth = 0;
  let group = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      if (depth === 0) out += src[i + 1] ?? '';
      i++;
    } else if (c === '[') {
      // a class may hold parentheses: skip it whole
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      if (depth === 0) out += '…';
    } else if (c === '(') {
      const capturing = src[i + 1] !== '?';
      if (capturing) group++;
      if (depth === 0) out += capturing ? `:${group}` : '(…)';
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (depth === 0) {
      out += c;
    }
  }
  return out;
}

/** The metrics label of a matched Express route: its pattern, never the URL (which would explode the label set). */
export function routeLabel(baseUrl: string, pattern: unknown): string {
  if (typeof pattern === 'string') return baseUrl + pattern;
  if (pattern instanceof RegExp) return baseUrl + regexRouteLabel(pattern);
  if (Array.isArray(pattern) && pattern.length) return routeLabel(baseUrl, pattern[0]) + (pattern.length > 1 ? '|…' : '');
  return 'unmatched';
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly bytes = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly errors = new Map<string, number>();
  private readonly collectors: Collector[] = [];
  private scraper?: () => Promise<string>;

  /**
   * What /metrics answers instead of this process's own text: a cluster worker
   * asks the primary for the metrics of all the workers. On failure, the own text.
   */
  useScraper(scraper: () => Promise<string>): void {
    this.scraper = scraper;
  }

  /** The text /metrics answers. */
  async scrape(): Promise<string> {
    if (!this.scraper) return this.render();
    try {
      return await this.scraper();
    } catch {
      return this.render();
    }
  }

  /** Adds gauges or counters read at scrape time (e.g. a cache's stats). */
  addCollector(c: Collector): void {
    this.collectors.push(c);
  }

  observe(route: string, status: number, seconds: number, bytes: number): void {
    const key = `${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    this.bytes.set(route, (this.bytes.get(route) ?? 0) + bytes);
    let h = this.latency.get(route);
    if (!h) this.latency.set(route, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  /** Counts a failed request by its error code (OVERLOADED, BAD_REQUEST, …) and status. */
  countError(code: string, status: number): void {
    const key = `${code}\u0000${status}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  /** Records every response under its route pattern (not its URL, which would explode the label set). */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const route = req.route ? routeLabel(req.baseUrl, req.route.path) : 'unmatched';
        const len = Number(res.getHeader('content-length') ?? 0);
        this.observe(route, res.statusCode, seconds, Number.isFinite(len) && req.method !== 'HEAD' ? len : 0);
      });
      next();
    };
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP tuilerie_http_requests_total HTTP requests by route pattern and status.');
    out.push('# TYPE tuilerie_http_requests_total counter');
    for (const [key, n] of this.requests) {
      const [route, status] = key.split('\u0000');
      out.push(`tuilerie_http_requests_total${labelString({ route, status })} ${n}`);
    }
    out.push('# HELP tuilerie_http_errors_total Failed requests by error code and status.');
    out.push('# TYPE tuilerie_http_errors_total counter');
    for (const [key, n] of this.errors) {
      const [code, status] = key.split('\u0000');
      out.push(`tuilerie_http_errors_total${labelString({ code, status })} ${n}`);
    }
    out.push('# HELP tuilerie_http_response_bytes_total Body bytes sent by route pattern.');
    out.push('# TYPE tuilerie_http_response_bytes_total counter');
    for (const [route, n] of this.bytes) out.push(`tuilerie_http_response_bytes_total${labelString({ route })} ${n}`);
    out.push('# HELP tuilerie_http_request_duration_seconds Time to answer, by route pattern.');
    out.push('# TYPE tuilerie_http_request_duration_seconds histogram');
    for (const [route, h] of this.latency) {
      BUCKETS.forEach((b, i) => out.push(`tuilerie_http_request_duration_seconds_bucket${labelString({ route, le: String(b) })} ${h.counts[i]}`));
      out.push(`tuilerie_http_request_duration_seconds_bucket${labelString({ route, le: '+Inf' })} ${h.count}`);
      out.push(`tuilerie_http_request_duration_seconds_sum${labelString({ route })} ${h.sum}`);
      out.push(`tuilerie_http_request_duration_seconds_count${labelString({ route })} ${h.count}`);
    }
    const seen = new Set<string>();
    for (const c of this.collectors) {
      for (const m of c()) {
        if (!seen.has(m.name)) {
          out.push(`# HELP ${m.name} ${m.help}`);
          out.push(`# TYPE ${m.name} ${m.type}`);
          seen.add(m.name);
        }
        out.push(`${m.name}${labelString(m.labels ?? {})} ${m.value}`);
      }
    }
    return out.join('\n') + '\n';
  }
}
