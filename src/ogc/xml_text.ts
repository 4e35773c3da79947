/** Text and attribute values safe inside XML: the five markup characters escaped, control characters dropped. */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A number as capabilities print it: plain decimal, no exponent, no float noise. */
export function xmlNumber(n: number, digits = 10): string {
  if (Number.isInteger(n)) return String(n);
  return Number(n.toFixed(digits)).toString();
}
