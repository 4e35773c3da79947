/**
 * A style's legend: its main symbols (roads, paths, railways, water, green
 * areas, buildings) with the colours the style draws them in, found by layer
 * id and source layer so that it follows whichever style it describes (city
 * plans, WMS GetLegendGraphic).
 */

export type LegendLang = 'fr' | 'de';

export interface LegendItem {
  label: Record<LegendLang, string>;
  kind: 'line' | 'area';
  /** #rrggbb, alpha already blended onto white. */
  color: string;
  casing?: string;
  dashed?: boolean;
  /** The style has a layer drawing it (else the colour is a fallback). */
  found: boolean;
}

interface StyleLayer { id?: string; type?: string; 'source-layer'?: string; paint?: Record<string, unknown> }

interface Symbol {
  label: Record<LegendLang, string>;
  kind: 'line' | 'area';
  sourceLayer: string;
  id: RegExp;
  fallback: string;
  casing?: string;
  dashed?: boolean;
}

const SYMBOLS: Symbol[] = [
  { label: { fr: 'Route principale', de: 'Hauptstraße' }, kind: 'line', sourceLayer: 'transportation', id: /primary/, fallback: '#ffeeaa', casing: '#e9ac77' },
  { label: { fr: 'Rue', de: 'Straße' }, kind: 'line', sourceLayer: 'transportation', id: /minor/, fallback: '#ffffff', casing: '#b8b4ad' },
  { label: { fr: 'Chemin', de: 'Weg' }, kind: 'line', sourceLayer: 'transportation', id: /path/, fallback: '#ccbbaa', dashed: true },
  { label: { fr: 'Voie ferrée', de: 'Eisenbahn' }, kind: 'line', sourceLayer: 'transportation', id: /rail/, fallback: '#bbbbbb' },
  { label: { fr: 'Eau', de: 'Wasser' }, kind: 'area', sourceLayer: 'water', id: /water/, fallback: '#a0c8f0' },
  { label: { fr: 'Parc, espace vert', de: 'Park, Grünfläche' }, kind: 'area', sourceLayer: 'park|landcover', id: /park|grass/, fallback: '#d8e8c8' },
  { label: { fr: 'Bâtiment', de: 'Gebäude' }, kind: 'area', sourceLayer: 'building', id: /building/, fallback: '#dfdbd7' },
];

function hex2(n: number): string {
  return Math.round(Math.max(0, Math.min(255, n))).toString(16).padStart(2, '0');
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

/** A CSS colour (#rgb, #rrggbb, rgb(a), hsl(a)) as #rrggbb blended onto white; undefined when unreadable. */
export function cssColorToHex(c: string): string | undefined {
  const s = c.trim().toLowerCase();
  let rgb: [number, number, number] | undefined;
  let alpha = 1;
  let m: RegExpExecArray | null;
  if ((m = /^#([0-9a-f]{3})$/.exec(s))) rgb = [...m[1]].map((d) => parseInt(d + d, 16)) as [number, number, number];
  else if ((m = /^#([0-9a-f]{6})$/.exec(s))) rgb = [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as [number, number, number];
  else if ((m = /^rgba?\(([^)]+)\)$/.exec(s))) {
    const p = m[1].split(',').map((x) => parseFloat(x));
    rgb = [p[0], p[1], p[2]];
    alpha = p[3] ?? 1;
  } else if ((m = /^hsla?\(([^)]+)\)$/.exec(s))) {
    const p = m[1].split(',').map((x) => parseFloat(x));
    rgb = hslToRgb(p[0], p[1] / 100, p[2] / 100);
    alpha = p[3] ?? 1;
  }
  if (!rgb || rgb.some((v) => !Number.isFinite(v))) return undefined;
  const blend = (v: number) => v * alpha + 255 * (1 - alpha);
  return `#${hex2(blend(rgb[0]))}${hex2(blend(rgb[1]))}${hex2(blend(rgb[2]))}`;
}

/** The colour a paint value ends at (last stop of a function or interpolation). */
function lastColor(v: unknown): string | undefined {
  if (typeof v === 'string') return cssColorToHex(v);
  if (Array.isArray(v)) {
    for (let i = v.length - 1; i >= 0; i--) {
      const c = lastColor(v[i]);
      if (c) return c;
    }
    return undefined;
  }
  if (v && typeof v === 'object' && Array.isArray((v as { stops?: unknown }).stops)) return lastColor((v as { stops: unknown[] }).stops);
  return undefined;
}

export function legendFromStyle(style: Record<string, unknown>): LegendItem[] {
  const layers = (Array.isArray(style.layers) ? style.layers : []) as StyleLayer[];
  return SYMBOLS.map((sym) => {
    const sl = new RegExp(`^(${sym.sourceLayer})$`);
    const want = sym.kind === 'line' ? 'line' : 'fill';
    const layer = layers.find((l) => l.type === want && sl.test(l['source-layer'] ?? '') && sym.id.test(l.id ?? '') && !/casing|tunnel|bridge|hatching|intermittent|pattern|offset/.test(l.id ?? ''));
    const color = lastColor(layer?.paint?.[`${want}-color`]) ?? sym.fallback;
    return { label: sym.label, kind: sym.kind, color, casing: sym.casing, dashed: sym.dashed, found: layer !== undefined };
  });
}
