/**
 * Which of our fonts serves a requested font name. Styles ask for fonts we do not
 * have (Open Sans, Metropolis, Roboto, …); answering 404 would stall the
 * renderer, so every name maps to the closest Noto Sans face by weight and slant.
 */
export const DEFAULT_FONT = 'Noto Sans Regular';

const BOLD_RE = /\b(bold|black|heavy|extrabold|semibold|ultrabold|demibold)\b/i;
const ITALIC_RE = /\b(italic|oblique)\b/i;

export function resolveFontName(requested: string, available: ReadonlySet<string>): string {
  if (available.has(requested)) return requested;
  const bold = BOLD_RE.test(requested);
  const italic = ITALIC_RE.test(requested);
  const wanted = bold && italic ? ['Noto Sans Bold Italic', 'Noto Sans Bold'] : bold ? ['Noto Sans Bold'] : italic ? ['Noto Sans Italic'] : [];
  for (const name of [...wanted, DEFAULT_FONT]) if (available.has(name)) return name;
  const first = [...available].sort()[0];
  return first ?? DEFAULT_FONT;
}
