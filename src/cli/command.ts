/** One `rampart-learn` sub-command. `run` gets the arguments after its name. */
export interface CliCommand {
  name: string;
  /** One line for the command list in `rampart-learn --help`. */
  summary: string;
  /** Full text printed by `rampart-learn <name> --help`. */
  help: string;
  /** Resolves to the process exit code. Throw `UserError` for bad input. */
  run(argv: string[]): Promise<number>;
}
