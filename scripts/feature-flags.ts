/**
 * Keeps the context of every cdk.json of the repository (the default app's and each example's) on the
 * feature flags aws-cdk-lib recommends, so our snapshots, cdk-nag, cfn-guard and policy checks test the
 * configuration a `cdk init` app has. The source is aws-cdk-lib itself (`cx-api`'s
 * CURRENTLY_RECOMMENDED_FLAGS, the list the CLI's `cdk init` template and `cdk flags --recommended`
 * are built from), never a hand-picked list: an aws-cdk-lib upgrade that recommends a new flag fails
 * test/architecture/feature-flags.test.ts until `npm run flags` writes it (and the snapshots show
 * what it changed).
 *
 *   npm run flags            write the flags into every cdk.json
 *   npm run flags -- --check list what is missing or different, exit 1 if anything is
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';

const ROOT = join(__dirname, '..');

/**
 * Context every Meridian app sets besides the recommended flags: weak cross-stack references between the
 * region stacks (also a recommended flag), and `process` app mode so a failed policy validation prints
 * CDK's report and exits 1 instead of throwing a stack trace.
 */
export const MERIDIAN_CONTEXT: Readonly<Record<string, unknown>> = {
  '@aws-cdk/core:defaultCrossStackReferences': 'weak',
  '@aws-cdk/core:appMode': 'process',
};

/** The flags aws-cdk-lib recommends for a new project, by name. */
export function recommendedFlags(): Readonly<Record<string, unknown>> {
  return CURRENTLY_RECOMMENDED_FLAGS as Record<string, unknown>;
}

/** Every cdk.json of the repository (root first, then each example folder that has one), relative to the root. */
export function cdkJsonFiles(root = ROOT): string[] {
  const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'examples', d.name, 'cdk.json')))
    .map((d) => join('examples', d.name, 'cdk.json'))
    .sort();
  return ['cdk.json', ...examples];
}

/** The `context` of a cdk.json (path relative to the repository root, or absolute). */
export function cdkJsonContext(file: string, root = ROOT): Record<string, unknown> {
  const json = JSON.parse(readFileSync(resolve(root, file), 'utf8')) as { context?: Record<string, unknown> };
  return { ...(json.context ?? {}) };
}

/** What a context lacks or sets differently, one line per key: `<key>: expected <json>, found <json | nothing>`. */
export function contextDrift(context: Readonly<Record<string, unknown>>): string[] {
  const wanted = { ...recommendedFlags(), ...MERIDIAN_CONTEXT };
  return Object.entries(wanted)
    .filter(([key, value]) => JSON.stringify(context[key]) !== JSON.stringify(value))
    .map(([key, value]) => `${key}: expected ${JSON.stringify(value)}, found ${key in context ? JSON.stringify(context[key]) : 'nothing'}`);
}

/** A cdk.json's text with the Meridian context and every recommended flag set (other keys kept, in place). */
export function withRecommendedFlags(text: string): string {
  const json = JSON.parse(text) as { context?: Record<string, unknown> };
  json.context = { ...(json.context ?? {}), ...MERIDIAN_CONTEXT, ...recommendedFlags() };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  let drifted = 0;
  for (const file of cdkJsonFiles()) {
    const drift = contextDrift(cdkJsonContext(file));
    if (drift.length === 0) continue;
    drifted += 1;
    if (check) {
      process.stderr.write(`${file}: ${drift.length} context key(s) differ from aws-cdk-lib's recommendation:\n${drift.map((d) => `  ${d}\n`).join('')}`);
    } else {
      const path = join(ROOT, file);
      writeFileSync(path, withRecommendedFlags(readFileSync(path, 'utf8')));
      process.stdout.write(`${file}: set ${drift.length} key(s)\n`);
    }
  }
  if (check && drifted > 0) process.stderr.write('run `npm run flags` to write them, then update the snapshots and read their diff\n');
  return check && drifted > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
