/** Two synths of the same example produce byte-identical templates. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { EXAMPLES } from './example-apps';

function synthTemplates(build: (app: App) => unknown): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-det-'));
  try {
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    build(app);
    const assembly = app.synth();
    return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, fs.readFileSync(path.join(outdir, s.templateFile), 'utf8')]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

test.each(EXAMPLES)('examples/%s: two synths are byte-identical', (_name, build) => {
  const first = synthTemplates(build);
  const second = synthTemplates(build);
  expect(Object.keys(first).length).toBeGreaterThan(3);
  expect(Object.keys(second)).toEqual(Object.keys(first));
  for (const name of Object.keys(first)) expect({ name, same: second[name] === first[name] }).toEqual({ name, same: true });
});
