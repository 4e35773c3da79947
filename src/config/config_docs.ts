/** Human-readable list of every configuration key, generated from CONFIG_SCHEMA (`tuilerie serve --help-config`). */
import { CONFIG_SCHEMA, type KeySpec } from './config_schema.js';

function lines(specs: Record<string, KeySpec>, prefix: string, out: string[]): void {
  for (const [key, spec] of Object.entries(specs)) {
    const name = prefix + key;
    if (spec.kind === 'group') {
      lines(spec.keys, name + '.', out);
    } else if (spec.kind === 'map') {
      out.push(`${name}  (object: id → entry)  ${spec.description}`);
      for (const [field, f] of Object.entries(spec.entry)) {
        out.push(`  ${name}.<id>.${field}  ${f.type}${f.required ? ', required' : `, default ${JSON.stringify(f.default)}`}  ${f.description}`);
      }
    } else {
      const env = spec.env ? `, env ${spec.env}` : '';
      const values = spec.values ? `, one of ${spec.values.join('|')}` : '';
      out.push(`${name}  ${spec.type}, default ${JSON.stringify(spec.default)}${values}${env}  ${spec.description}`);
    }
  }
}

export function describeConfig(): string {
  const out: string[] = ['Configuration keys (JSON file < environment < command line):', ''];
  lines(CONFIG_SCHEMA, '', out);
  return out.join('\n');
}
