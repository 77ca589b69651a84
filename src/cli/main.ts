import { EXIT, USAGE, UsageError } from './usage.js';

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  demo: async () => (await import('./demo.js')).demoCommand,
  emulator: async () => (await import('./emulatorCommand.js')).emulatorCommand,
  run: async () => (await import('./run.js')).runCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  schema: async () => (await import('./validate.js')).schemaCommand,
  worker: async () => (await import('./redisCommands.js')).workerCommand,
  enqueue: async () => (await import('./redisCommands.js')).enqueueCommand,
  results: async () => (await import('./redisCommands.js')).resultsCommand,
};

/**
 * The `rx-bedrock` command: dispatches to a subcommand and returns the exit
 * code. Usage mistakes print the usage line and return 2.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`rx-bedrock: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await (await load())(rest);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`rx-bedrock ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
