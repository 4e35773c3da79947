// Types for the parts of osrm-text-instructions (CommonJS, untyped) that we call.
declare module 'osrm-text-instructions' {
  interface Compiler {
    compile(language: string, step: unknown, options?: { legCount?: number; legIndex?: number; waypointName?: string }): string;
  }
  function osrmTextInstructions(version: 'v5'): Compiler;
  export default osrmTextInstructions;
}
