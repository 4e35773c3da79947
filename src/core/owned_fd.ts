/**
 * A file descriptor closed exactly once, at the end or after a failed write: the
 * number is reused by the next open at once, so closing it twice could close
 * another file, and never closing it leaks it (descriptors are not collected).
 */
import fs from 'node:fs';

export class OwnedFd {
  private open = true;

  constructor(readonly fd: number) {}

  /** Closes the descriptor (nothing when closed already); throws what closing throws. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    fs.closeSync(this.fd);
  }

  /** Closes it after a failure: an error closing it is dropped, the first one is the one to report. */
  abort(): void {
    try { this.close(); } catch { /* see above */ }
  }
}
