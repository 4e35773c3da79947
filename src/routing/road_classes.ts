/**
 * OSRM's road classes (`exclude=`, `intersections[].classes`): which class each
 * direction of a way belongs to, as OSRM's car.lua decides it, and which classes a
 * profile knows. Stored per edge in the network as one byte: the forward
 * direction's bits in the low nibble, the backward direction's in the high one
 * (a toll can apply to one direction only: `toll:forward=yes`).
 */
import type { OsmTags } from '../osm/types.js';
import type { ProfileName } from './routing_profiles.js';

export type RoadClass = 'toll' | 'motorway' | 'ferry';

export const CLASS_BITS: Readonly<Record<RoadClass, number>> = { motorway: 1, ferry: 2, toll: 4 };

/**
 * Classes each profile marks and can exclude. OSRM's car.lua marks toll, motorway,
 * ferry (plus tunnel and restricted, which it cannot exclude and we do not store);
 * its bicycle and foot profiles exclude nothing.
 */
export const PROFILE_CLASSES: Readonly<Record<ProfileName, readonly RoadClass[]>> = {
  car: ['toll', 'motorway', 'ferry'],
  bicycle: [],
  foot: [],
};

/** Way tags the classification reads (the network builder keeps only listed keys). */
export const CLASS_TAG_KEYS = ['toll', 'toll:forward', 'toll:backward'] as const;

/** Packed class byte of a way: forward bits | backward bits << 4. */
export function wayClasses(tags: OsmTags): number {
  let both = 0;
  if (tags.highway === 'motorway' || tags.highway === 'motorway_link') both |= CLASS_BITS.motorway;
  if (tags.route === 'ferry') both |= CLASS_BITS.ferry;
  // As OSRM's Tags.get_forward_backward_by_key: the directional key wins over the plain one.
  const tollForward = (tags['toll:forward'] ?? tags.toll) === 'yes' ? CLASS_BITS.toll : 0;
  const tollBackward = (tags['toll:backward'] ?? tags.toll) === 'yes' ? CLASS_BITS.toll : 0;
  return (both | tollForward) | ((both | tollBackward) << 4);
}

/** Class bits of a geo arc (`edge * 2 + dir`, dir 1 = against the drawing order). */
export function arcClasses(edgeClasses: Uint8Array, geo: number): number {
  return (edgeClasses[geo >> 1] >> ((geo & 1) * 4)) & 15;
}

/** Names of the classes in `bits` that the profile knows, in OSRM's order. */
export function classNames(profile: ProfileName, bits: number): string[] {
  return PROFILE_CLASSES[profile].filter((c) => (bits & CLASS_BITS[c]) !== 0);
}

/** Mask of the named classes, or null when one is not excludable in this profile. */
export function excludeMask(profile: ProfileName, names: readonly string[]): number | null {
  let mask = 0;
  for (const n of names) {
    if (!(PROFILE_CLASSES[profile] as readonly string[]).includes(n)) return null;
    mask |= CLASS_BITS[n as RoadClass];
  }
  return mask;
}
