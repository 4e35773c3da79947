/**
 * The one place that writes diagnostics. Everything else logs through a Logger so
 * tests can silence or capture it and the CLI decides where it goes.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
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
  json?: boolean;
}

export class StreamLogger implements Logger {
  private readonly level: number;
  private readonly stream: NodeJS.WritableStream;
  private readonly name?: string;
  private readonly json: boolean;
  constructor(opts: StreamLoggerOptions = {}) {
    this.level = ORDER[opts.level ?? 'info'];
    this.stream = opts.stream ?? process.stderr;
    this.name = opts.name;
    this.json = opts.json ?? false;
  }
  private write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < this.level) return;
    if (this.json) {
      this.stream.write(JSON.stringify({ time: new Date().toISOString(), level, name: this.name, msg, ...fields }) + '\n');
      return;
    }
    const prefix = this.name ? `[${this.name}] ` : '';
    const extra = fields && Object.keys(fields).length ? ' ' + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ') : '';
    const tag = level === 'info' ? '' : `${level.toUpperCase()}: `;
    this.stream.write(`${prefix}${tag}${msg}${extra}\n`);
  }
  debug(msg: string, f?: Record<string, unknown>): void { this.write('debug', msg, f); }
  info(msg: string, f?: Record<string, unknown>): void { this.write('info', msg, f); }
  warn(msg: string, f?: Record<string, unknown>): void { this.write('warn', msg, f); }
  error(msg: string, f?: Record<string, unknown>): void { this.write('error', msg, f); }
  child(name: string): Logger {
    return new StreamLogger({ level: (Object.keys(ORDER) as LogLevel[]).find((k) => ORDER[k] === this.level), stream: this.stream, name: this.name ? `${this.name}:${name}` : name, json: this.json });
  }
}

/** A logger that drops everything: the default in library code and tests. */
export const silentLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {},
  child() { return silentLogger; },
};
