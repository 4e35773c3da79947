/**
 * Debian's Chromium, headless, driven by playwright-core, with a fresh profile
 * and software WebGL (SwiftShader through ANGLE), so MapLibre renders on a
 * machine without a GPU. No network: everything the page loads is ours.
 */
import fs from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from '../helpers/paths.js';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

export interface BrowserSession { context: BrowserContext; close(): Promise<void> }

export async function openBrowser(): Promise<BrowserSession> {
  const profile = tempDir('tuilerie-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1000, height: 700 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
