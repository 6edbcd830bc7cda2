/**
 * `meridian check PATH... [--format F [--output FILE]]... [--fail-on error|warning] [--unknown error|warning|info]`:
 * reads each PATH (spec, cloud assembly, template, cdktf.out or Terraform JSON), runs the policy rules on
 * its facts and writes one report per `--format` (to its `--output` file, or standard output).
 */
import { writeFileSync } from 'fs';
import { SpecError } from '../model/errors';
import { DEFAULT_MAX_INPUT_BYTES } from '../model/read-input';
import { evaluate, failsAt, summarise } from '../policy/engine';
import type { Finding, Report, Severity } from '../policy/types';
import {
  EXIT, flag, formatInputError, oneOf, OutputError, packageVersion, parse, positiveInt, UsageError, useColor, writeStdout, type CliIo,
} from './common';
import { loadInput, type LoadedInput } from './inputs';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];
const FAIL_LEVELS = ['error', 'warning'] as const;
const UNKNOWN_LEVELS = ['error', 'warning', 'info'] as const;

/** The format of an `--output` given without `--format`, from its extension. */
const BY_EXTENSION: ReadonlyArray<[RegExp, Format]> = [
  [/\.sarif(\.json)?$/i, 'sarif'], [/\.json$/i, 'json'], [/\.xml$/i, 'junit'], [/\.md$/i, 'markdown'],
];

export interface OutputTarget {
  readonly format: Format;
  /** File to write; undefined = standard output. */
  readonly file?: string;
}

type Token = { kind: string; name?: string; value?: string };

/**
 * Pairs `--format` and `--output` in the order written: an `--output` belongs to the `--format` before
 * it; an `--output` with no `--format` of its own takes the format its extension names (text otherwise).
 */
export function outputTargets(tokens: readonly Token[]): OutputTarget[] {
  const targets: Array<{ format?: string; file?: string }> = [];
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    if (t.name === 'format') targets.push({ format: t.value });
    if (t.name === 'output') {
      const last = targets[targets.length - 1];
      if (last && last.file === undefined && last.format !== undefined) last.file = t.value;
      else targets.push({ file: t.value });
    }
  }
  if (targets.length === 0) targets.push({ format: 'text' });
  const resolved = targets.map((t) => ({
    format: t.format !== undefined
      ? oneOf('format', t.format, FORMATS, 'text')
      : BY_EXTENSION.find(([re]) => re.test(t.file ?? ''))?.[1] ?? 'text',
    file: t.file === '-' ? undefined : t.file,
  }));
  const toStdout = resolved.filter((t) => t.file === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(`${toStdout.length} formats write to standard output (${toStdout.map((t) => t.format).join(', ')}); give all but one an --output FILE`);
  }
  return resolved;
}


/** Findings the rules could not decide take the `--unknown` severity, every finding its location; the summary follows. */
export function withUnknownLevel(report: Report, level: Severity, locate?: (f: Finding) => Finding['location']): Report {
  const findings = report.findings.map((f) => ({ ...f, ...(f.unknown ? { severity: level } : {}), ...(locate ? { location: locate(f) } : {}) }));
  return { ...report, findings, summary: summarise(findings, report.summary.rulesEvaluated) };
}

/** Renderers, loaded only for the formats asked for. */
function render(format: Format, reports: readonly Report[], io: CliIo, failOn: Severity, specUri: string | undefined): string {
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (format) {
    case 'text': {
      const { formatText } = require('../policy/format') as typeof import('../policy/format');
      return reports.map((r) => formatText(r, { color: useColor(io) })).join('\n');
    }
    case 'json': {
      const { formatJson } = require('../policy/format') as typeof import('../policy/format');
      const { mergeReports } = require('../policy/format-ci') as typeof import('../policy/format-ci');
      return formatJson(mergeReports(reports));
    }
    case 'sarif': {
      const { formatSarif } = require('../policy/format-ci') as typeof import('../policy/format-ci');
      return formatSarif(reports, { specUri, version: packageVersion() });
    }
    case 'junit': {
      const { formatJunit } = require('../policy/format-ci') as typeof import('../policy/format-ci');
      return formatJunit(reports, { failOn });
    }
    case 'markdown': {
      const { formatMarkdown } = require('../policy/format-ci') as typeof import('../policy/format-ci');
      return formatMarkdown(reports);
    }
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export const CHECK_USAGE = `  meridian check PATH... [--format text|json|sarif|junit|markdown [--output FILE]]...
                 [--fail-on error|warning] [--unknown error|warning|info] [--max-input-bytes N]
  meridian check --spec FILE ...`;

export function check(args: string[], io: CliIo, usage: () => string): number {
  const parsed = parse(args, {
    spec: { type: 'string' },
    format: { type: 'string', multiple: true },
    output: { type: 'string', multiple: true, short: 'o' },
    'fail-on': { type: 'string' },
    unknown: { type: 'string' },
    'max-input-bytes': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, true);
  if (parsed.values.help) {
    writeStdout(io, usage());
    return EXIT.ok;
  }
  const spec = flag(parsed, 'spec');
  const paths = [...(spec !== undefined ? [spec] : []), ...parsed.positionals];
  if (paths.length === 0) {
    throw new UsageError('check needs a PATH (spec, cloud assembly folder, cdktf.out folder or Terraform JSON) or --spec FILE');
  }
  const failOn = oneOf('fail-on', flag(parsed, 'fail-on'), FAIL_LEVELS, 'error');
  const unknownLevel = oneOf('unknown', flag(parsed, 'unknown'), UNKNOWN_LEVELS, 'warning');
  const maxBytes = positiveInt('max-input-bytes', flag(parsed, 'max-input-bytes'), DEFAULT_MAX_INPUT_BYTES);
  const targets = outputTargets(parsed.tokens);

  // Read every input; report every unreadable one before giving up.
  const inputs: LoadedInput[] = [];
  let inputErrors = 0;
  for (const path of paths) {
    try {
      inputs.push(loadInput(path, { maxBytes }));
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      io.stderr.write(formatInputError(e));
      inputErrors++;
    }
  }
  if (inputErrors > 0) return EXIT.input;

  const now = io.now;
  const reports: Report[] = inputs.flatMap((input) => input.facts.map((facts) => withUnknownLevel(evaluate(facts, { now }), unknownLevel, (f) => input.locate(f, facts))));
  const specUri = inputs.length === 1 ? inputs[0]?.file : undefined;
  for (const t of targets) {
    const text = render(t.format, reports, io, failOn, specUri);
    if (t.file === undefined) {
      writeStdout(io, text);
    } else {
      try {
        writeFileSync(t.file, text);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new OutputError(code, `cannot write ${t.file}: ${code ?? (e as Error).message}`);
      }
    }
  }
  return reports.some((r) => failsAt(r, failOn)) ? EXIT.findings : EXIT.ok;
}
