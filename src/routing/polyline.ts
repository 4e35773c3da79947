/**
 * Google's encoded polyline algorithm, as OSRM emits it: `geometries=polyline`
 * (precision 5) and `polyline6` (precision 6). Coordinates go in and out as
 * [lon, lat] like GeoJSON; the encoded stream itself is lat,lon as the spec says.
 */
export const polyline = {
  encode(coords: ReadonlyArray<readonly [number, number]>, precision = 5): string {
    const factor = 10 ** precision;
    let out = '';
    let prevLat = 0;
    let prevLon = 0;
    for (const [lon, lat] of coords) {
      // Round each absolute value before differencing so errors do not accumulate.
      const ilat = Math.round(lat * factor);
      const ilon = Math.round(lon * factor);
      out += encodeSigned(ilat - prevLat) + encodeSigned(ilon - prevLon);
      prevLat = ilat;
      prevLon = ilon;
    }
    return out;
  },

  decode(str: string, precision = 5): Array<[number, number]> {
    const factor = 10 ** precision;
    const coords: Array<[number, number]> = [];
    let i = 0;
    let lat = 0;
    let lon = 0;
    const next = (): number => {
      let result = 0;
      let shift = 0;
      let b: number;
      do {
        if (i >= str.length) throw new RangeError('truncated polyline');
        b = str.charCodeAt(i++) - 63;
        result += (b & 0x1f) * 2 ** shift;
        shift += 5;
      } while (b >= 0x20);
      return result % 2 === 1 ? -(result + 1) / 2 : result / 2;
    };
    while (i < str.length) {
      lat += next();
      lon += next();
      coords.push([lon / factor, lat / factor]);
    }
    return coords;
  },
};

function encodeSigned(v: number): string {
  // Zig-zag with arithmetic instead of bit ops: precision-6 deltas can exceed 2^31.
  let n = v < 0 ? -2 * v - 1 : 2 * v;
  let out = '';
  while (n >= 0x20) {
    out += String.fromCharCode(((n % 0x20) | 0x20) + 63);
    n = Math.floor(n / 0x20);
  }
  return out + String.fromCharCode(n + 63);
}
