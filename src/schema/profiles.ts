/**
 * Profiles by name, so that worker threads (which cannot receive class instances)
 * build the same profile as the main thread.
 */
import { TuilerieError } from '../core/errors.js';
import type { Profile } from './profile.js';
import { OpenMapTilesProfile } from './openmaptiles_profile.js';

const PROFILES: Record<string, () => Profile> = {
  openmaptiles: () => new OpenMapTilesProfile(),
};

export function createProfile(name: string): Profile {
  const make = PROFILES[name];
  if (!make) throw new TuilerieError('BAD_REQUEST', `unknown profile '${name}'; known: ${Object.keys(PROFILES).join(', ')}`);
  return make();
}
