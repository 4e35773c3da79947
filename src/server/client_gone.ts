/**
 * Cancellation from HTTP: a signal that aborts when the client disconnects before
 * its response was sent, so that work done only for it (a queued or running
 * render) is dropped instead of finishing for nobody.
 */
import type { ServerResponse } from 'node:http';

export function clientGoneSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const check = () => {
    if (!res.writableFinished) controller.abort();
  };
  if (res.destroyed) check();
  else res.once('close', check);
  return controller.signal;
}
