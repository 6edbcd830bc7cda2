/**
 * `meridian facts PATH [--format json]`: the facts a path yields, as JSON with sorted keys, for debugging
 * a finding and for diffing two outputs (the plan's facts against cdk.out's or the Terraform JSON's).
 * A key that is absent is unknown; `null` is known to be absent (the facts convention).
 */
import { SpecError } from '../model/errors';
import { DEFAULT_MAX_INPUT_BYTES } from '../model/read-input';
import { EXIT, flag, formatInputError, oneOf, parse, positiveInt, UsageError, writeStdout, type CliIo } from './common';
import { loadInput } from './inputs';
import { at } from '../model/lookup';

/** JSON with object keys sorted at every level, so two runs (and two sources) diff line by line. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
  }, 2);
}

export const FACTS_USAGE = '  meridian facts PATH [--format json] [--max-input-bytes N]';

export function facts(args: string[], io: CliIo, usage: () => string): number {
  const parsed = parse(args, {
    format: { type: 'string' },
    'max-input-bytes': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, true);
  if (parsed.values.help) {
    writeStdout(io, usage());
    return EXIT.ok;
  }
  oneOf('format', flag(parsed, 'format'), ['json'] as const, 'json');
  const { positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`facts needs exactly one PATH, got ${positionals.length}`);
  const maxBytes = positiveInt('max-input-bytes', flag(parsed, 'max-input-bytes'), DEFAULT_MAX_INPUT_BYTES);
  let input;
  try {
    input = loadInput(at(positionals, 0, 'PATH'), { maxBytes });
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    io.stderr.write(formatInputError(e));
    return EXIT.input;
  }
  writeStdout(io, `${stableJson({ input: input.file, kind: input.kind, facts: input.facts })}\n`);
  return EXIT.ok;
}
