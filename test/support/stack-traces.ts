/**
 * Creation stacks in tests. aws-cdk-lib records a stack for every CloudFormation element and stack
 * (`aws:cdk:creationStack` metadata, up to Jest's 100 frames) and cdktf one of unlimited depth for
 * every token; together about 4 % of the suite's CPU. They serve error messages and the "Location" of
 * a construct in a validation report; no test asserts on either, and nothing of ours reads them (the
 * facts come from templates, the CLI places findings by file and line, test/cdk/nag.test.ts reads only
 * logical ids and acknowledgements from *.metadata.json). So test files run without them:
 *
 * - aws-cdk-lib: every App a test file creates gets the context `aws:cdk:disable-creation-stack-traces`
 *   (unless the test sets that key itself), through aws-cdk-lib's App init hook (./environment.ts);
 * - cdktf: its capture returns no frames (./cdktf-stack-trace.js, mapped by ./resolver.js).
 *
 * `withRealStackTraces` turns both back on: the run's shared example outputs (./outputs.ts), synthesized
 * exactly as `cdk synth` and cdktf would, use it, and test/support/environment.test.ts checks both ways.
 */

/** The sandbox global's flag, read by ./environment.ts's App hook and ./cdktf-stack-trace.js. */
export const REAL_STACK_TRACES = Symbol.for('meridian.test.realStackTraces');

/** Runs `body` with creation stacks recorded as aws-cdk-lib and cdktf record them outside tests. */
export function withRealStackTraces<T>(body: () => T): T {
  const g = globalThis as Record<symbol, unknown>;
  const saved = g[REAL_STACK_TRACES];
  g[REAL_STACK_TRACES] = true;
  try {
    return body();
  } finally {
    g[REAL_STACK_TRACES] = saved;
  }
}
