/**
 * OGC key-value-pair parameters: names are case-insensitive (SERVICE, service,
 * Service are one), values are not. A repeated parameter keeps its first value.
 */
import { OgcError, type OgcExceptionCode } from './ogc_exception.js';

export class KvpParams {
  private readonly values = new Map<string, string>();

  constructor(query: Record<string, unknown>, private readonly missingCode: OgcExceptionCode = 'MissingParameterValue') {
    for (const [k, raw] of Object.entries(query)) {
      const v = Array.isArray(raw) ? raw[0] : raw;
      const key = k.toLowerCase();
      if (typeof v === 'string' && !this.values.has(key)) this.values.set(key, v);
    }
  }

  /** The value, or undefined when absent (an empty value is returned as ''). */
  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }

  /** The value; a missing or empty one is a MissingParameterValue (or the code given at construction). */
  require(name: string): string {
    const v = this.get(name);
    if (v === undefined || v.trim() === '') throw new OgcError(this.missingCode, `parameter ${name.toUpperCase()} is required`, { locator: name.toUpperCase() });
    return v;
  }
}
