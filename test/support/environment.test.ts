/**
 * The test environment itself (./environment.ts): stack traces of our sources still map to TypeScript
 * lines, a formatter swapped in for a moment (the `callsites` idiom) gets its call sites, test files
 * share the worker's validation module, and modules compiled through the worker's code cache keep
 * their positions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Lazy } from 'cdktf';
import { withRealStackTraces } from './stack-traces';

/** The Error of the realm outside the test file's sandbox (jest-runner's and the environment's), via a core module. */
function outerError(): ErrorConstructor {
  try {
    fs.readFileSync('/nonexistent/meridian');
  } catch (e) {
    return (e as Error).constructor as ErrorConstructor;
  }
  throw new Error('reading a missing file did not fail');
}

test('a formatter swapped in for a moment gets call sites, and stacks map to TypeScript lines before and after', () => {
  const Outer = outerError();
  expect(Outer).not.toBe(Error);
  expect(new Error('before').stack).toContain('environment.test.ts:27');
  const saved = Outer.prepareStackTrace;
  let sites: NodeJS.CallSite[] = [];
  try {
    Outer.prepareStackTrace = (_e, s) => { sites = s; return s; };
    void new Outer('probe').stack;
  } finally {
    Outer.prepareStackTrace = saved;
  }
  expect(typeof sites[0]?.getFileName).toBe('function');
  expect(new Error('after').stack).toContain('environment.test.ts:37');
  expect(new Outer('after').stack).toContain('environment.test.ts:38');
});

test('test files get the worker\'s one @aws/cloudformation-validate module', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the mapped module, as aws-cdk-lib requires it
  const mod = require('@aws/cloudformation-validate') as Record<string, unknown>;
  const shared = (globalThis as Record<string, unknown>).__meridianSharedCloudFormationValidate as () => unknown;
  expect(mod).toBe(shared());
  expect(typeof mod.CompositeEngine).toBe('function');
});

test('modules compiled through the worker\'s code cache keep their positions and their module scope', () => {
  // One line, as minified library code is: a wrong column offset would show here.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-env-'));
  const file = path.join(dir, 'one-line.js');
  const code = 'module.exports = { name: __filename, fail() { throw new Error("here"); } };';
  fs.writeFileSync(file, code);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module under test is written above
  const mod = require(file) as { name: string; fail(): never };
  expect(mod.name).toBe(file);
  let stack = '';
  try { mod.fail(); } catch (e) { stack = (e as Error).stack ?? ''; }
  expect(stack).toContain(`${file}:1:${code.indexOf('new Error') + 1}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('creation stacks (./stack-traces.ts): off in test files, as the libraries record them inside withRealStackTraces', () => {
  /** The creation stack of a CloudFormation resource in a fresh app, and the frames of a cdktf token's. */
  function stacks(): { cdk: string[]; cdktf: string[] } {
    const app = new App();
    const resource = new CfnResource(new Stack(app, 'S'), 'R', { type: 'Custom::Probe' });
    const lazy = Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] };
    return { cdk: resource.creationStack, cdktf: lazy.creationStack };
  }

  test('a test file\'s app and tokens record none', () => {
    expect(stacks()).toEqual({ cdk: [], cdktf: [] });
  });

  test('withRealStackTraces records them, pointing at this file', () => {
    const { cdk, cdktf } = withRealStackTraces(stacks);
    expect(cdk.join('\n')).toContain('environment.test.ts');
    expect(cdktf.join('\n')).toContain('environment.test.ts');
    // cdktf's own frame (captureStackTrace) stays hidden, as cdktf hides it.
    expect(cdktf[0]).not.toMatch(/captureStackTrace/);
  });

  test('an app that sets the context itself keeps its choice', () => {
    const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': false } });
    expect(new CfnResource(new Stack(app, 'S'), 'R', { type: 'Custom::Probe' }).creationStack.length).toBeGreaterThan(0);
  });
});

describe('tree.json (./environment.ts): not written by a test file\'s app, written inside withRealStackTraces', () => {
  function treeWritten(): boolean {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-tree-'));
    try {
      const app = new App({ outdir });
      new CfnResource(new Stack(app, 'S'), 'R', { type: 'Custom::Probe' });
      const assembly = app.synth();
      expect(assembly.getStackByName('S').template).toMatchObject({ Resources: { R: { Type: 'Custom::Probe' } } });
      return fs.existsSync(path.join(outdir, 'tree.json'));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  test('a test file\'s app writes its templates but no tree.json', () => {
    expect(treeWritten()).toBe(false);
  });

  test('withRealStackTraces writes it, as `cdk synth` does', () => {
    expect(withRealStackTraces(treeWritten)).toBe(true);
  });
});
