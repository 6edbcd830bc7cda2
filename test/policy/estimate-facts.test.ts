/**
 * The estimator reads facts, so a synthesized cloud assembly must yield the same estimate as the plan
 * it came from: the numbers `meridian estimate cdk.out` prints are the ones of the spec.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { GeoDeployment } from '../../lib/cdk';
import { factsFromCloudAssembly } from '../../lib/facts/from-cloudformation';
import { factsFromPlan } from '../../lib/facts';
import { loadSpecFile, plan } from '../../lib/model';
import { drStrategy, estimateDisruptions, type EstimateReport } from '../../lib/policy';

const byName = (r: EstimateReport) => Object.fromEntries(r.disruptions.map((d) => [d.name, { rto: d.rto, rpo: d.rpo, problem: d.problem, target: d.targetRegion, judged: d.judged, phases: d.phases.map((p) => `${p.kind} ${p.best}-${p.worst}`) }]));

test('estimate from the synthesized cloud assembly equals the estimate from the plan (default app)', () => {
  const geoPlan = plan(loadSpecFile(join(__dirname, '..', '..', 'examples', 'specs', 'orders.yaml')));
  const outdir = mkdtempSync(join(tmpdir(), 'meridian-estimate-cdkout-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  new GeoDeployment(app, 'Meridian', { plan: geoPlan });
  app.synth();
  const synthesized = factsFromCloudAssembly(outdir).facts;
  expect(synthesized).toHaveLength(1);
  const fromPlan = factsFromPlan(geoPlan);
  for (const automation of [false, true]) {
    const a = estimateDisruptions(fromPlan, { automation });
    const b = estimateDisruptions(synthesized[0], { automation });
    expect(Object.keys(byName(a)).length).toBeGreaterThanOrEqual(8);
    expect(byName(b)).toEqual(byName(a));
  }
  expect(drStrategy(synthesized[0])).toEqual(drStrategy(fromPlan));
});
