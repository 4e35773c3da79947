/** A logger that appends every message, whatever its level, to `lines` (tests look for one with `lines.some`). */
import type { Logger } from '../../src/core/logger.js';

export function capturingLogger(lines: string[]): Logger {
  const l: Logger = {
    debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m),
    child: () => l,
  };
  return l;
}
