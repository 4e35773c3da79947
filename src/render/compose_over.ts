/** Straight-alpha "over": draws `top` onto `bottom` in place (WMS layers listed later are drawn above). */
import type { RgbaImage } from './image_codec.js';

export function composeOver(bottom: RgbaImage, top: RgbaImage): void {
  if (bottom.width !== top.width || bottom.height !== top.height) throw new Error('composeOver needs images of one size');
  const b = bottom.data, t = top.data;
  for (let i = 0; i < b.length; i += 4) {
    const ta = t[i + 3];
    if (ta === 0) continue;
    if (ta === 255) {
      b[i] = t[i]; b[i + 1] = t[i + 1]; b[i + 2] = t[i + 2]; b[i + 3] = 255;
      continue;
    }
    const at = ta / 255, ab = (b[i + 3] / 255) * (1 - at), a = at + ab;
    b[i] = (t[i] * at + b[i] * ab) / a + 0.5;
    b[i + 1] = (t[i + 1] * at + b[i + 1] * ab) / a + 0.5;
    b[i + 2] = (t[i + 2] * at + b[i + 2] * ab) / a + 0.5;
    b[i + 3] = a * 255 + 0.5;
  }
}
