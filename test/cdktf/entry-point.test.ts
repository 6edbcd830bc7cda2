import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RUN_TS } from '../support/node-ts';

describe('meridian-geo/cdktf entry point', () => {
  test('loads @cdktf/provider-aws by deep path only, and neither aws-cdk-lib nor the provider index', () => {
    // GIVEN a fresh Node process (jest keeps its own module registry, not require.cache)
    const root = path.join(__dirname, '..', '..');
    const script = "require('./lib/cdktf'); console.log(JSON.stringify(Object.keys(require.cache)))";
    // WHEN the entry point loads
    const out = execFileSync(process.execPath, [...RUN_TS, '-e', script], {
      cwd: root, encoding: 'utf8',
    });
    const loaded = JSON.parse(out.trim().split('\n').pop()!) as string[];
    // THEN
    const providerIndex = path.join('node_modules', '@cdktf', 'provider-aws', 'lib', 'index.js');
    expect(loaded.filter((f) => f.endsWith(providerIndex))).toEqual([]);
    expect(loaded.filter((f) => f.includes(`${path.sep}aws-cdk-lib${path.sep}`))).toEqual([]);
    expect(loaded.some((f) => f.includes(path.join('@cdktf', 'provider-aws', 'lib', 'rds-global-cluster')))).toBe(true);
  });

  test('no file outside lib/cdktf imports cdktf', () => {
    const root = path.join(__dirname, '..', '..', 'lib');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (p !== path.join(root, 'cdktf')) walk(p);
        } else if (/\.ts$/.test(e.name) && /from ['"](cdktf|@cdktf\/)|require\(['"](cdktf|@cdktf\/)/.test(fs.readFileSync(p, 'utf8'))) {
          offenders.push(path.relative(root, p));
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});

describe('what a CDK for Terraform user imports', () => {
  test('meridian-geo/cdktf and meridian-geo/policy carry spec loading and plan()', async () => {
    // GIVEN the two entry points a project without aws-cdk-lib uses
    const cdktf = await import('../../lib/cdktf');
    const policy = await import('../../lib/policy');
    const model = await import('../../lib/model');
    // THEN both re-export the model's functions themselves, not copies
    for (const entry of [cdktf, policy]) {
      expect(entry.plan).toBe(model.plan);
      expect(entry.loadSpecFile).toBe(model.loadSpecFile);
      expect(entry.parseSpec).toBe(model.parseSpec);
    }
  });
});
