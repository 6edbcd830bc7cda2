/**
 * The context `cdk synth` gives an app: the `context` of the cdk.json in the app's folder, which the CLI
 * passes to the app in CDK_CONTEXT_JSON. Tests that synthesize an example "as `cdk synth` does" give
 * it to the example's App, so they test the recommended feature flags a user's app has
 * (scripts/feature-flags.ts keeps every cdk.json on them); unit tests keep a plain `new App()`, which is
 * an app with no flags at all.
 */
import * as path from 'path';
import { cdkJsonContext } from '../../scripts/feature-flags';

const APP_MODE = '@aws-cdk/core:appMode';

/** The folder of an app's cdk.json: `orders` is the default app (the repository root), the others are examples/<name>. */
function folderOf(app: string): string {
  return app === 'orders' ? '.' : path.join('examples', app);
}

/**
 * The cdk.json context of the default app (`orders`) or of an example folder (`active-passive`,
 * `with-services`, …), without its app mode: `process` (what `cdk synth` wants: a failed validation
 * prints the report and sets the exit code) would let a failed validation pass silently in a test, where
 * aws-cdk-lib's test mode throws it instead. The app mode changes how a failure is reported, never a template.
 */
export function cdkContextOf(app: string): Record<string, unknown> {
  const { [APP_MODE]: _mode, ...context } = cdkJsonContext(path.join(folderOf(app), 'cdk.json'));
  return context;
}

/**
 * Runs `body` with CDK_CONTEXT_JSON set to `context`, as the CLI runs an app that builds its own App
 * (bin/app.ts): every App constructed meanwhile reads it over the context of its props.
 */
export function withCliContext<T>(context: Record<string, unknown>, body: () => T): T {
  const saved = process.env.CDK_CONTEXT_JSON;
  process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.CDK_CONTEXT_JSON; else process.env.CDK_CONTEXT_JSON = saved;
  }
}
