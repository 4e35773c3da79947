/** Shared locations for glyph tests: Debian's Noto Sans and a fontnik-built reference range. */
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../../helpers/paths.js';

export const NOTO_DIR = '/usr/share/fonts/truetype/noto';
export const NOTO_REGULAR = path.join(NOTO_DIR, 'NotoSans-Regular.ttf');
export const NOTO_BOLD = path.join(NOTO_DIR, 'NotoSans-Bold.ttf');
export const NOTO_ITALIC = path.join(NOTO_DIR, 'NotoSans-Italic.ttf');

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
/** Noto Sans Regular 0-255 as built by fontnik (openmaptiles/fonts), shipped by the tileserver-gl-styles package. */
export const FONTNIK_REFERENCE_0_255 = path.join(path.dirname(require.resolve('tileserver-gl-styles/package.json')), 'fonts', 'Noto Sans Regular', '0-255.pbf');
