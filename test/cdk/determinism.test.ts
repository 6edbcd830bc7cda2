/** Two synths of the same example (in different processes, with and without validation) produce byte-identical templates. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { cdkAssemblyDir, cdkManifest, type ExampleName } from '../support/outputs';
import { EXAMPLES } from './example-apps';
import { cdkContextOf } from '../support/cdk-context';
import { quietly } from '../support/quiet';

function synthTemplates(build: (app: App) => unknown, context: Record<string, unknown>): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-det-'));
  try {
    const app = new App({ outdir, builtinCloudFormationValidation: false, context });
    build(app);
    const assembly = quietly(() => app.synth()).result;
    return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, fs.readFileSync(path.join(outdir, s.templateFile), 'utf8')]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

test.each(EXAMPLES)('examples/%s: two synths are byte-identical', (name, build) => {
  // The first synth is the run's shared one (test/support/outputs.ts, often another process); the second is here.
  const first = sharedTemplates(name as ExampleName);
  // With the same context as the shared synth: the example's cdk.json (its feature flags).
  const second = synthTemplates(build, cdkContextOf(name));
  expect(Object.keys(first).length).toBeGreaterThan(3);
  expect(Object.keys(second).sort()).toEqual(Object.keys(first).sort());
  for (const stack of Object.keys(first)) expect({ stack, same: second[stack] === first[stack] }).toEqual({ stack, same: true });
});

/** The template files of the shared cloud assembly of an example, as written, by stack name. */
function sharedTemplates(name: ExampleName): Record<string, string> {
  const dir = cdkAssemblyDir(name);
  return Object.fromEntries(Object.entries(cdkManifest(name).artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => [a.properties?.stackName ?? id, fs.readFileSync(path.join(dir, a.properties?.templateFile ?? `${id}.template.json`), 'utf8')]));
}
