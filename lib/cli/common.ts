/** What every CLI command shares: the IO seam, argument parsing, exit codes and one-line error messages. */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseArgs, type ParseArgsConfig } from 'util';
import { describeValue, type SpecError } from '../model/errors';
import { MAX_REPORTED_ISSUES } from '../model/limits';
import { echo, escapeControl, truncate } from '../policy/escape';

/** Where the CLI writes; tests pass string buffers, the binary passes process streams. */
export interface CliIo {
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; readonly isTTY?: boolean };
  /** Environment, for NO_COLOR / FORCE_COLOR. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Evaluation time (suppression expiry). Default: now. */
  readonly now?: Date;
}

/**
 * Exit statuses (documented in the README and `meridian --help`):
 * 0 nothing at or above the fail level; 1 there is; 2 usage or input error; 3 the report could not be
 * written (closed pipe, full disk), so nothing can be concluded from it.
 */
export const EXIT = { ok: 0, findings: 1, input: 2, output: 3 } as const;

/** A command one-liner for `--help`; each command module adds its own usage text. */
export class UsageError extends Error {}

/** Writing the report failed (EPIPE, ENOSPC, ...): the run ends with {@link EXIT.output}. */
export class OutputError extends Error {
  constructor(readonly code: string | undefined, message: string) {
    super(message);
  }
}

/**
 * A SpecError as lines for stderr: `file:line: path: message (got value)`, at most
 * MAX_REPORTED_ISSUES (lib/model/limits.ts) of them, values truncated and control characters escaped.
 */
export function formatInputError(e: SpecError): string {
  const source = e.source ? escapeControl(truncate(e.source, 300)) : undefined;
  const lines = e.issues.slice(0, MAX_REPORTED_ISSUES).map((i) => {
    const where = source ? `${source}${i.line ? `:${i.line}` : ''}: ` : '';
    const path = i.path ? `${escapeControl(truncate(i.path, 120))}: ` : '';
    // describeValue never throws (cycles, BigInt) and bounds the text; escapeControl adds bidi overrides.
    const got = i.value === undefined ? '' : ` (got ${escapeControl(describeValue(i.value))})`;
    return `${where}${path}${escapeControl(truncate(i.message, 300))}${got}`;
  });
  const more = e.issues.length - MAX_REPORTED_ISSUES;
  if (more > 0) lines.push(`… and ${more.toLocaleString('en-US')} more`);
  return `${lines.join('\n')}\n`;
}

/**
 * The package version. This file is lib/cli/common.ts from source (package.json two levels up) and
 * dist/lib/cli/common.js when built (three levels up); the first meridian-geo package.json wins.
 */
export function packageVersion(fromDir: string = __dirname): string {
  for (const candidate of [join(fromDir, '..', '..', 'package.json'), join(fromDir, '..', '..', '..', 'package.json')]) {
    if (!existsSync(candidate)) continue;
    const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'meridian-geo' && pkg.version) return pkg.version;
  }
  throw new Error('cannot find the meridian-geo package.json');
}

export function useColor(io: CliIo): boolean {
  const env = io.env ?? process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(' | ')}, got "${echo(value)}"`);
  }
  return value as T;
}

/** A `--flag N` value: a positive safe integer. */
export function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${flag} must be a positive whole number of bytes, got "${value}"`);
  }
  return Number(value);
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What {@link parse} returns: flag values by name, positionals, and the tokens in the order written. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | Array<string | boolean> | undefined>>;
  readonly positionals: string[];
  readonly tokens: ReadonlyArray<{ kind: string; name?: string; value?: string }>;
}

/** A string flag's value (the last one when repeated). */
export function flag(p: ParsedArgs, name: string): string | undefined {
  const v = p.values[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === 'string' ? last : undefined;
}

/** Node's parseArgs, with its errors as one-line usage errors. */
export function parse(args: string[], options: Options, allowPositionals = false): ParsedArgs {
  try {
    const r = parseArgs({ args, options, allowPositionals, strict: true, tokens: true });
    return { values: r.values, positionals: r.positionals, tokens: r.tokens ?? [] };
  } catch (e) {
    // Node's messages name the flag ("Unknown option '--x'"); keep the first line only.
    throw new UsageError(escapeControl(truncate((e as Error).message.split('\n')[0] ?? '', 300)));
  }
}

/** Writes to stdout; a failing stream (EPIPE, ENOSPC) becomes an {@link OutputError}. */
export function writeStdout(io: CliIo, text: string): void {
  try {
    io.stdout.write(text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new OutputError(code, `cannot write to standard output: ${code ?? (e as Error).message}`);
  }
}
