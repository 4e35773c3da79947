/** What every CLI command module exports. Commands return an exit code; only main.ts sets it. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
