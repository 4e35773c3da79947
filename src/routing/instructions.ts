/**
 * Readable instructions for OSRM steps (French, German, English and the other
 * languages osrm-text-instructions ships), added as `maneuver.instruction` like
 * the Mapbox Directions API does.
 */
import osrmTextInstructions from 'osrm-text-instructions';
import type { OsrmStep } from './route_steps.js';

const compiler = osrmTextInstructions('v5');

export const INSTRUCTION_LANGUAGES = ['fr', 'de', 'en', 'nl', 'it', 'es'] as const;

export function addInstructions(legs: Array<{ steps: OsrmStep[] }>, language: string): void {
  legs.forEach((leg, legIndex) => {
    for (const step of leg.steps) {
      step.maneuver.instruction = compiler.compile(language, step, { legCount: legs.length, legIndex });
    }
  });
}
