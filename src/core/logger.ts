/**
 * The one place that writes diagnostics. Everything else logs through a Logger so
 * tests can silence or capture it and the CLI decides where it goes.
 *
 * Text lines carry a UTC timestamp and the level:
 *   2026-12-07T06:10:00.123Z INFO  [serve] listening on http://0.0.0.0:8080 port=8080
 * JSON lines (logFormat "json", for log collectors) one object per line:
 *   {"time":"2026-12-07T06:10:00.123Z","level":"info","name":"serve","msg":"listening on …","port":8080}
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Same sink, a name prefixed to each line (e.g. a stage or a module). */
  child(name: string): Logger;
}

export interface StreamLoggerOptions {
  level?: LogLevel;
  stream?: NodeJS.WritableStream;
  name?: string;
  /** Shorthand for format 'json'. */
  json?: boolean;
  format?: LogFormat;
  /** Text format: start each line with the time (default true). */
  timestamps?: boolean;
}

export class StreamLogger implements Logger {
  private readonly opts: StreamLoggerOptions;
  private readonly level: number;
  private readonly stream: NodeJS.WritableStream;
  private readonly json: boolean;
  constructor(opts: StreamLoggerOptions = {}) {
    this.opts = opts;
    this.level = ORDER[opts.level ?? 'info'];
    this.stream = opts.stream ?? process.stderr;
    this.json = opts.format === 'json' || (opts.json ?? false);
  }
  private write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < this.level) return;
    const time = new Date().toISOString();
    if (this.json) {
      this.stream.write(JSON.stringify({ time, level, name: this.opts.name, msg, ...fields }) + '\n');
      return;
    }
    const prefix = this.opts.name ? `[${this.opts.name}] ` : '';
    const extra = fields && Object.keys(fields).length ? ' ' + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ') : '';
    const head = this.opts.timestamps === false ? `${level.toUpperCase()}: ` : `${time} ${level.toUpperCase().padEnd(5)} `;
    this.stream.write(`${head}${prefix}${msg}${extra}\n`);
  }
  debug(msg: string, f?: Record<string, unknown>): void { this.write('debug', msg, f); }
  info(msg: string, f?: Record<string, unknown>): void { this.write('info', msg, f); }
  warn(msg: string, f?: Record<string, unknown>): void { this.write('warn', msg, f); }
  error(msg: string, f?: Record<string, unknown>): void { this.write('error', msg, f); }
  child(name: string): Logger {
    return new StreamLogger({ ...this.opts, name: this.opts.name ? `${this.opts.name}:${name}` : name });
  }
}

/** A logger that drops everything: the default in library code and tests. */
export const silentLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {},
  child() { return silentLogger; },
};
