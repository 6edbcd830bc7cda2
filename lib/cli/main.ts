/**
 * The pipeline CLI: `meridian check --spec FILE [--format text|json|sarif|junit] [--fail-on error|warning]`,
 * `meridian rules`, `meridian --version`. Imports only lib/model, lib/facts and lib/policy, so it starts
 * without loading aws-cdk-lib or cdktf.
 *
 * Exit codes: 0 nothing unsuppressed at or above the fail level; 1 there is; 2 usage or input error.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseArgs, type ParseArgsConfig } from 'util';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { SpecError } from '../model/errors';
import { loadSpecFile } from '../model/load';
import { plan } from '../model/plan';
import { checkPlan, failsAt } from '../policy/engine';
import { formatJson, formatText } from '../policy/format';
import { formatJunit, formatSarif } from '../policy/format-ci';
import { RULES } from '../policy/rules';
import { diagramCommand } from './diagram';
import { estimateCommand } from './estimate';

/** Where the CLI writes; tests pass string buffers, the binary passes process streams. */
export interface CliIo {
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; readonly isTTY?: boolean };
  /** Environment, for NO_COLOR / FORCE_COLOR. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Evaluation time (suppression expiry). Default: now. */
  readonly now?: Date;
}

const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
const FAIL_LEVELS = ['error', 'warning'] as const;

const USAGE = `Usage:
  meridian check --spec FILE [--format text|json|sarif|junit] [--fail-on error|warning]
  meridian rules
  meridian estimate PATH [--format text|json|markdown|mermaid] [--automation on|off] [--warm-up SECONDS]
  meridian diagram PATH
  meridian --version | --help

check    validate a topology spec (YAML or JSON), plan it and run the policy rules.
         Exit 0 when no unsuppressed finding is at or above --fail-on (default error), 1 when one is,
         2 for usage or input errors.
rules    list the policy rules (id, severity, title).
estimate recovery time and data loss per disruption, DR strategy, capacity, replication cost.
diagram  Mermaid flowchart of the topology.
`;

class UsageError extends Error {}

/**
 * The package version. This file is lib/cli/main.ts from source (package.json two levels up) and
 * dist/lib/cli/main.js when built (three levels up); the first meridian-geo package.json wins.
 */
export function packageVersion(fromDir: string = __dirname): string {
  for (const candidate of [join(fromDir, '..', '..', 'package.json'), join(fromDir, '..', '..', '..', 'package.json')]) {
    if (!existsSync(candidate)) continue;
    const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'meridian-geo' && pkg.version) return pkg.version;
  }
  throw new Error('cannot find the meridian-geo package.json');
}

function useColor(io: CliIo): boolean {
  const env = io.env ?? process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(' | ')}, got "${value}"`);
  }
  return value as T;
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (e) {
    // Node's messages name the flag ("Unknown option '--x'"); keep the first line only.
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

/** `regions[1].role` → ['regions', 1, 'role']. */
function pathKeys(path: string): (string | number)[] {
  return path.split('.').flatMap((part) => {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    const indexes = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    return [...(m[1] ? [m[1]] : []), ...indexes];
  });
}

/**
 * plan() checks what the schema cannot (roles per mode, duplicate regions, ...) on parsed data, so its
 * issues carry no line. Find the line of each issue's path in the file the user wrote.
 */
function withLines(e: SpecError, file: string): SpecError {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new SpecError(e.issues, file);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const lineOf = (path: string): number | undefined => {
    let node: unknown = doc.contents;
    let found: YamlNode | undefined = doc.contents as YamlNode | undefined;
    for (const key of pathKeys(path)) {
      node = isMap(node) ? node.get(key, true) : isSeq(node) ? node.get(key as number, true) : undefined;
      if (!node || typeof node !== 'object' || !('range' in node)) break;
      found = node as YamlNode;
    }
    const offset = found?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  return new SpecError(e.issues.map((i) => ({ ...i, line: i.line ?? (i.path ? lineOf(i.path) : undefined) })), file);
}

function check(args: string[], io: CliIo): number {
  const { values } = parse(args, {
    spec: { type: 'string' },
    format: { type: 'string' },
    'fail-on': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const spec = values.spec as string | undefined;
  if (!spec) throw new UsageError('check needs --spec FILE (a YAML or JSON topology spec)');
  const format = oneOf('format', values.format as string | undefined, FORMATS, 'text');
  const failOn = oneOf('fail-on', values['fail-on'] as string | undefined, FAIL_LEVELS, 'error');
  if (!existsSync(spec)) throw new UsageError(`spec file not found: ${spec}`);

  let report;
  try {
    const valid = loadSpecFile(spec);
    let geoPlan;
    try {
      geoPlan = plan(valid);
    } catch (e) {
      // plan() reports structural problems without a file name; name the file for the user.
      if (e instanceof SpecError && !e.source) throw withLines(e, spec);
      throw e;
    }
    report = checkPlan(geoPlan, { now: io.now });
  } catch (e) {
    if (e instanceof SpecError) {
      io.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const output = {
    text: () => formatText(report, { color: useColor(io) }),
    json: () => formatJson(report),
    sarif: () => formatSarif(report, { specUri: spec.split('\\').join('/'), version: packageVersion() }),
    junit: () => formatJunit(report),
  }[format];
  io.stdout.write(output());
  return failsAt(report, failOn) ? 1 : 0;
}

function rules(args: string[], io: CliIo): number {
  const { values } = parse(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  for (const r of RULES) io.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.title}\n`);
  return 0;
}

/** Runs the CLI; returns the exit code. Never throws for user errors (they print one line to stderr). */
export function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case '--version':
      case '-v':
        if (rest.length) throw new UsageError(`${command} takes no arguments, got "${rest[0]}"`);
        io.stdout.write(`${packageVersion()}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(USAGE);
        return 0;
      case 'check':
        return check(rest, io);
      case 'rules':
        return rules(rest, io);
      case 'estimate':
        return estimateCommand(rest, io);
      case 'diagram':
        return diagramCommand(rest, io);
      case undefined:
        throw new UsageError('no command given; expected check, rules, --version or --help');
      default:
        throw new UsageError(`unknown command "${command}"; expected check, rules, --version or --help`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`meridian: ${e.message} (see meridian --help)\n`);
      return 2;
    }
    // Anything else is a bug in Meridian: still one line, no stack trace, but a distinct message.
    io.stderr.write(`meridian: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    return 2;
  }
}
