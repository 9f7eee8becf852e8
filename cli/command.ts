// The one wrapper every command runs through: parse (check flags and arguments, nothing connects) ->
// run (the work, in src/) -> render (text or JSON). It owns --json, --verbose, colour, secret masking,
// Ctrl-C and exit codes, so a command file holds none of them.
import { type Command, type CommanderError, Option } from 'commander';
import { redactSecrets } from '../src/config/dsn.js';
import { EXIT, UserError } from '../src/config/errors.js';
import type { Ui } from '../src/ui/index.js';
import { confirmOnTerminal } from './prompt.js';

/** Bumped when a field of the JSON output changes meaning or goes away; new fields do not bump it. */
export const JSON_SCHEMA_VERSION = 1;

export type Flags = Record<string, unknown>;

export interface RunContext {
  json: boolean;
  /** Spinners and bars for a person at a sized terminal; silent otherwise. */
  ui(): Promise<Ui>;
  /**
   * Ctrl-C from here on stops between units of work; `kept` says what survives. It exits as interrupted
   * unless `endsNormally`: a follower (migrate sync) is meant to be stopped that way.
   */
  interruptible(kept: string, options?: { endsNormally?: boolean }): AbortSignal;
  /** A progress line on stderr for people; nothing with --json. */
  log(line: string): void;
  confirm(question: string): Promise<boolean>;
}

export interface Rendered {
  text: string;
  /** What --json prints beside schemaVersion, ok and command. */
  data: object;
  exitCode?: number;
}

export interface CommandSpec<Config, Result> {
  /** Checks flags and arguments only: a usage error here means nothing was touched. */
  parse(flags: Flags, args: string[]): Config | Promise<Config>;
  /** Values never printed, whatever a message quotes (passwords in DSNs). */
  secrets?(config: Config): (string | undefined)[];
  run(config: Config, context: RunContext): Promise<Result>;
  render(result: Result, config: Config): Rendered;
  /** Turns a failure into the error to report (verify: anything is "could not verify"). */
  failure?(error: unknown): unknown;
}

// Never printed, whatever an error message quotes.
const secrets: string[] = [process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN].filter((s): s is string => Boolean(s));

export function addSecrets(...values: (string | undefined)[]): void {
  for (const value of values) if (value) secrets.push(value);
}

const mask = (text: string) => redactSecrets(text, secrets);

const ERROR_CODES: Record<number, string> = {
  [EXIT.failed]: 'failed',
  [EXIT.usage]: 'usage',
  [EXIT.couldNotRun]: 'could-not-run',
  [EXIT.interrupted]: 'interrupted',
};

/** Seconds to the millisecond and milliseconds whole: timings carry no false precision. */
function roundDurations(key: string, value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  if (/(^s|S)econds$/.test(key)) return Math.round(value * 1000) / 1000;
  if (/Ms$/.test(key)) return Math.round(value);
  return value;
}

export function jsonOutput(command: string, exitCode: number, data: object): string {
  const envelope = { schemaVersion: JSON_SCHEMA_VERSION, ok: exitCode === EXIT.ok, command, ...data };
  // The envelope's fields win over a report's own fields of the same name.
  Object.assign(envelope, { schemaVersion: JSON_SCHEMA_VERSION, ok: exitCode === EXIT.ok, command });
  return mask(JSON.stringify(envelope, roundDurations, 2)) + '\n';
}

function exitCodeOf(error: unknown): number {
  return error instanceof UserError ? error.exitCode : EXIT.failed;
}

/** One line on stderr (the stack only with --verbose); with --json the same error as JSON on stdout. */
export function fail(error: unknown, options: { command: string; json: boolean; verbose: boolean }): never {
  const message = mask((error instanceof Error ? error.message : String(error)).split('\n')[0]);
  const code = exitCodeOf(error);
  process.stderr.write(`markethub: ${message}\n`);
  if (options.verbose && error instanceof Error && error.stack) process.stderr.write(mask(error.stack) + '\n');
  else if (!(error instanceof UserError)) process.stderr.write('markethub: run with --verbose for details\n');
  if (options.json) process.stdout.write(jsonOutput(options.command, code, { error: { code: ERROR_CODES[code] ?? 'failed', message } }));
  process.exit(code);
}

let interrupt: AbortController | undefined;
let interruptIsFailure = true;

function interruptible(kept: string, options: { endsNormally?: boolean } = {}): AbortSignal {
  interrupt = new AbortController();
  interruptIsFailure = !options.endsNormally;
  const signal = interrupt.signal;
  process.on('SIGINT', () => {
    if (signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`\nmarkethub: stopping; ${kept}. Press Ctrl-C again to quit at once.\n`);
    interrupt!.abort();
  });
  return signal;
}

const INTERRUPTED = 'interrupted; run the same command again to resume';

/** Colour is off with NO_COLOR (any value but empty, see no-color.org) or --no-color, before or after the command. */
export function colorWanted(command: Command): boolean {
  for (let c: Command | null = command; c; c = c.parent) if (c.opts().color === false) return false;
  return !process.env.NO_COLOR;
}

export const noColorOption = () => new Option('--no-color', 'no colour in the output (also NO_COLOR)');

/** --json (described by `json`; null: the command has no JSON output), --no-color and --verbose, the same on every command. */
export function withCommonOptions(command: Command, json: string | null): Command {
  if (json !== null) command.option('--json', json);
  return command.addOption(noColorOption()).addOption(new Option('--verbose', 'show stack traces for errors'));
}

/** The full name as users type it: "migrate db", "jobs dlq list". */
export function commandName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Commander's action for `spec`. */
export function action<Config, Result>(spec: CommandSpec<Config, Result>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const flags = command.opts() as Flags;
    const positional = args.slice(0, -2).filter((a): a is string => typeof a === 'string');
    const json = Boolean(flags.json);
    const color = colorWanted(command);
    const name = commandName(command);
    const options = { command: name, json, verbose: Boolean(flags.verbose) };
    if (!color) {
      // For every library that colours on its own (ora's symbols, chalk), and for child processes.
      process.env.NO_COLOR = '1';
      process.env.FORCE_COLOR = '0';
    }
    try {
      const config = await spec.parse(flags, positional);
      addSecrets(...(spec.secrets?.(config) ?? []));
      const context: RunContext = {
        json,
        ui: async () => (await import('../src/ui/index.js')).createUi({ json, color }),
        interruptible,
        log: (line) => {
          if (!json) process.stderr.write(mask(`markethub: ${line}\n`));
        },
        confirm: confirmOnTerminal,
      };
      const result = await spec.run(config, context);
      const rendered = spec.render(result, config);
      const interrupted = interrupt?.signal.aborted === true && interruptIsFailure;
      const exitCode = interrupted ? EXIT.interrupted : (rendered.exitCode ?? EXIT.ok);
      const data = interrupted ? { ...rendered.data, error: { code: ERROR_CODES[EXIT.interrupted], message: INTERRUPTED } } : rendered.data;
      process.stdout.write(json ? jsonOutput(name, exitCode, data) : mask(rendered.text));
      if (interrupted) process.stderr.write(`markethub: ${INTERRUPTED}\n`);
      // exitCode rather than exit(): a large report on a pipe must be written out in full.
      process.exitCode = exitCode;
    } catch (error) {
      fail(spec.failure ? spec.failure(error) : error, options);
    }
  };
}

/** The command an argv names, as far as it names one ("migrate db"; "markethub" for none). */
export function commandNamed(program: Command, argv: readonly string[]): string {
  let command = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    command = sub;
  }
  return command === program ? program.name() : commandName(command);
}

/**
 * Commander already printed its one line (unknown option, missing or invalid argument); with --json
 * the same failure goes to stdout as JSON. --help and --version end here too, with exit code 0.
 */
export function commanderFailure(program: Command, error: CommanderError, argv: readonly string[]): never {
  if (error.exitCode === 0) process.exit(EXIT.ok);
  if (argv.includes('--json')) {
    const message = error.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').trim();
    process.stdout.write(jsonOutput(commandNamed(program, argv), EXIT.usage, { error: { code: ERROR_CODES[EXIT.usage], message } }));
  }
  process.exit(EXIT.usage);
}
