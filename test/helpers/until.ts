/** Waits until `ok()` holds, looking every `everyMs`; fails after a generous limit (a loaded machine is slow, not stuck). */
export async function until(what: string, ok: () => boolean, everyMs = 50): Promise<void> {
  for (let waited = 0; !ok(); waited += everyMs) {
    if (waited > 120_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
