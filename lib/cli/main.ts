/**
 * The pipeline CLI. Commands live in their own modules and are loaded on first use, so `meridian
 * --version` or `meridian rules` does not load the readers or the formatters. Imports only lib/model,
 * lib/facts and lib/policy: it starts without loading aws-cdk-lib or cdktf.
 *
 * Exit codes: 0 nothing unsuppressed at or above the fail level; 1 there is; 2 usage or input error;
 * 3 the report could not be written (closed pipe, full disk).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { SpecError } from '../model/errors';
import { escapeControl, truncate } from '../policy/escape';
import { EXIT, formatInputError, OutputError, packageVersion, parse, UsageError, writeStdout, type CliIo } from './common';

export { packageVersion, EXIT, type CliIo } from './common';

/**
 * A command: its usage lines and how to run it (loaded lazily). `run` gets the usage text as a function:
 * only `--help` prints it, and building it loads every command's module (a spec check would load
 * lib/cli/facts for nothing).
 */
interface Command {
  readonly usage: () => string;
  readonly run: (args: string[], io: CliIo, usage: () => string) => number;
}

/** The command table; `meridian <name> ...` runs `COMMANDS[name]`. Add new commands here. */
const COMMANDS: Record<string, Command> = {
  check: {
    usage: () => (require('./check') as typeof import('./check')).CHECK_USAGE,
    run: (args, io, usage) => (require('./check') as typeof import('./check')).check(args, io, usage),
  },
  facts: {
    usage: () => (require('./facts') as typeof import('./facts')).FACTS_USAGE,
    run: (args, io, usage) => (require('./facts') as typeof import('./facts')).facts(args, io, usage),
  },
  estimate: {
    usage: () => '  meridian estimate PATH [--format text|json|markdown|mermaid] [--automation on|off] [--warm-up SECONDS]',
    run: (args, io) => (require('./estimate') as typeof import('./estimate')).estimateCommand(args, io),
  },
  diagram: {
    usage: () => '  meridian diagram PATH',
    run: (args, io) => (require('./diagram') as typeof import('./diagram')).diagramCommand(args, io),
  },
  rules: {
    usage: () => '  meridian rules',
    run: (args, io, usage) => rules(args, io, usage),
  },
};

function usage(): string {
  return `Usage:
${Object.values(COMMANDS).map((c) => c.usage()).join('\n')}
  meridian --version | --help

check    run the policy rules on each PATH: a topology spec (YAML or JSON; "-" reads standard input),
         a CDK cloud assembly folder (cdk.out) or template, a cdktf.out folder or a Terraform JSON file.
         Each --format writes to the --output after it, or to standard output. Unknown facts are
         reported at --unknown (default warning).
facts    print the facts a PATH yields, as JSON with sorted keys.
estimate recovery time and data loss per disruption (with and without automated failover), the DR
         strategy, capacity after each region failure and the replication cost.
diagram  a Mermaid flowchart of the topology: regions, databases, DNS routing, peerings, keys.
rules    list the policy rules (id, severity, title).

Exit status: 0 no unsuppressed finding at or above --fail-on (default error); 1 there is one;
2 usage or input error; 3 the report could not be written (closed pipe, full disk).
`;
}

function rules(args: string[], io: CliIo, text: () => string): number {
  const { values } = parse(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    writeStdout(io, text());
    return EXIT.ok;
  }
  const { RULES } = require('../policy/rules') as typeof import('../policy/rules');
  const width = Math.max(...RULES.map((r) => r.id.length));
  writeStdout(io, RULES.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.title}\n`).join(''));
  return EXIT.ok;
}

/** Runs the CLI; returns the exit code. Never throws for user errors (they print one line to stderr). */
export function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): number {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-v') {
      if (rest.length) throw new UsageError(`${command} takes no arguments, got "${escapeControl(truncate(rest[0] ?? '', 80))}"`);
      writeStdout(io, `${packageVersion()}\n`);
      return EXIT.ok;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      writeStdout(io, usage());
      return EXIT.ok;
    }
    const names = `${Object.keys(COMMANDS).join(', ')}, --version or --help`;
    if (command === undefined) throw new UsageError(`no command given; expected ${names}`);
    const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!cmd) throw new UsageError(`unknown command "${escapeControl(truncate(command, 80))}"; expected ${names}`);
    return cmd.run(rest, io, usage);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`meridian: ${e.message} (see meridian --help)\n`);
      return EXIT.input;
    }
    if (e instanceof SpecError) {
      io.stderr.write(formatInputError(e));
      return EXIT.input;
    }
    if (e instanceof OutputError) {
      // A reader that went away (`| head`) wants no more output; a full disk deserves one line.
      if (e.code !== 'EPIPE') io.stderr.write(`meridian: ${e.message}\n`);
      return EXIT.output;
    }
    // Anything else is a bug in Meridian: still one line, no stack trace, but a distinct message.
    io.stderr.write(`meridian: internal error: ${escapeControl(truncate((e as Error)?.message ?? String(e), 300))}\n`);
    return EXIT.input;
  }
}
