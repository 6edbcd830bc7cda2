/**
 * The failure simulation walks the record graph that each renderer actually synthesized: for every
 * example, the facts read back from the AWS CDK cloud assembly and from the CDK for Terraform JSON give
 * the same answer per client population, with every single region down in turn, as the plan — and
 * those answers are the ones the design promises (written out below, not copied from the output).
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { renderGeoPlanJson, type TerraformJson } from '../../lib/cdktf';
import { GeoDeployment } from '../../lib/cdk';
import { factsFromPlan, factsFromTemplates, factsFromTerraform, type Facts } from '../../lib/facts';
import { EU_COUNTRIES, loadSpecFile, plan, type GeoPlan, type GeoSpec } from '../../lib/model';
import { evaluate, simulateFailures, type FailureSimulation } from '../../lib/policy';
import { failureNoAnswer, failureResidency, failureSingleRegionJurisdiction } from '../../lib/policy/rules';
import { spec as activeActive } from '../../examples/active-active/app';
import { spec as activePassive } from '../../examples/active-passive/app';
import { spec as partitioned } from '../../examples/partitioned-residency/app';
import { cdkContextOf } from '../support/cdk-context';
import { cdkStacks, examplePlan, terraformJson, type ExampleName } from '../support/outputs';

/** The synth-time policy check is off here: the point is to judge what was synthesized. */
function cdkFacts(p: GeoPlan): Facts {
  // The default app's cdk.json context: the recommended feature flags a user's app has.
  const app = new App({ context: cdkContextOf('orders'), builtinCloudFormationValidation: false });
  new GeoDeployment(app, 'Meridian', { plan: p, policy: false });
  const asm = app.synth();
  return factsFromTemplates(asm.stacks.map((s) => ({ file: s.templateFile, stackName: s.stackName, region: s.environment.region, template: s.template }))).facts[0] as Facts;
}

function terraformFacts(p: GeoPlan): Facts {
  return factsFromTerraform([{ file: 'cdk.tf.json', json: renderGeoPlanJson(p, { policyChecker: false }).json }]).facts[0] as Facts;
}

/**
 * The facts of an example's outputs as the run shares them (test/support/outputs.ts): the example app's
 * own synth and its cdktf render, synthesized once per run. The synth-time policy check ran there, but
 * it reads the output and writes none (the templates and the JSON are those of `policy: false`).
 */
function sharedFacts(example: ExampleName): { cdk: Facts; terraform: Facts } {
  const cdk = factsFromTemplates(cdkStacks(example).map((s) => ({ file: s.file, stackName: s.stackName, region: s.region, template: s.template }))).facts;
  const terraform = factsFromTerraform([{ file: 'cdk.tf.json', json: terraformJson(example) as TerraformJson }]).facts;
  expect([cdk.length, terraform.length]).toEqual([1, 1]);
  return { cdk: cdk[0] as Facts, terraform: terraform[0] as Facts };
}

/**
 * `population | failure -> answer` lines, `!` marking an answer that is not healthy, `?` an unknown one;
 * sorted, since the readers list regions in their own order.
 */
function table(sim: FailureSimulation): string[] {
  return sim.routes.map((r) => `${r.population.label} | ${r.failure.label} -> ${r.answer.unknown !== undefined ? `? ${r.answer.unknown}` : r.answer.regions.join(' or ') || 'no answer'}${r.answer.healthy ? '' : ' !'}`).sort();
}

/** The answer a population gets: `normal` on the healthy day and while other regions are down, `fallback` while `primary` is down. */
function expectRoutes(sim: FailureSimulation, label: string, regions: readonly string[], primary: string, fallback: string): void {
  const normal = primary;
  const expected = [`${label} | every region is up -> ${normal}`, ...regions.map((r) => `${label} | ${r} is down -> ${r === primary ? fallback : normal}`)];
  expect(table(sim).filter((line) => line.startsWith(`${label} |`))).toEqual(expected.sort());
}

describe.each<[string, GeoSpec, ExampleName]>([
  ['examples/partitioned-residency', partitioned as GeoSpec, 'partitioned-residency'],
  ['examples/active-passive', activePassive, 'active-passive'],
  ['examples/active-active', activeActive as GeoSpec, 'active-active'],
  ['examples/specs/orders.yaml', loadSpecFile(path.join(__dirname, '..', '..', 'examples', 'specs', 'orders.yaml')), 'orders'],
])('%s: Route 53 answers under every single-region failure', (_name, spec, example) => {
  const p = plan(spec);
  const regions = p.regions.map((r) => r.name);
  // The run's outputs of the example, which are of this very plan.
  expect(examplePlan(example)).toEqual(p);
  const facts = { plan: factsFromPlan(p), ...sharedFacts(example) };
  const sims = { plan: simulateFailures(facts.plan), cdk: simulateFailures(facts.cdk), terraform: simulateFailures(facts.terraform) };

  test('the CDK and Terraform record graphs give the plan\'s answer to every population in every case', () => {
    expect(sims.plan.routes.length).toBeGreaterThan(regions.length);
    expect(table(sims.cdk)).toEqual(table(sims.plan));
    expect(table(sims.terraform)).toEqual(table(sims.plan));
  });

  test('the GEO-FAILURE rules find nothing in the synthesized output', () => {
    for (const side of [facts.cdk, facts.terraform]) {
      const report = evaluate(side, { rules: [failureResidency, failureNoAnswer, failureSingleRegionJurisdiction] });
      expect(report.findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    }
  });

  test('every population has a healthy answer while any one region is down', () => {
    for (const side of [sims.plan, sims.cdk, sims.terraform]) {
      expect(table(side).filter((line) => line.endsWith(' !') || line.includes('-> ?'))).toEqual([]);
    }
  });

  if (spec.mode === 'partitioned') {
    test('every EU population stays in EU regions, the US and everyone else in US regions', () => {
      const eu = ['eu-central-1', 'eu-west-3'];
      for (const side of [sims.cdk, sims.terraform]) {
        const euRoutes = side.routes.filter((r) => r.population.country !== undefined && EU_COUNTRIES.includes(r.population.country));
        expect(new Set(euRoutes.map((r) => r.population.country)).size).toBe(27);
        for (const r of euRoutes) expect(r.answer.regions.every((x) => eu.includes(x))).toBe(true);
        // Frankfurt is the EU set's PRIMARY, Paris its SECONDARY.
        expectRoutes(side, 'DE users', regions, 'eu-central-1', 'eu-west-3');
        expectRoutes(side, 'FR users', regions, 'eu-central-1', 'eu-west-3');
        expectRoutes(side, 'US users', regions, 'us-east-1', 'us-west-2');
        // dns.defaultRegion us-east-1: everyone else is answered by the US set.
        expectRoutes(side, 'users outside every listed location', regions, 'us-east-1', 'us-west-2');
      }
    });
  }

  if (spec.mode === 'active-passive') {
    test('all users: the primary, the SECONDARY while the primary is down', () => {
      for (const side of [sims.cdk, sims.terraform]) expectRoutes(side, 'all users', regions, 'us-east-1', 'us-west-2');
    });
  }

  if (spec.mode === 'active-active') {
    test('latency: each region\'s users stay home, and go to the nearest other region while it is down', () => {
      for (const side of [sims.cdk, sims.terraform]) {
        // Great-circle: N. Virginia and Dublin are each other's nearest; Sydney is nearer to N. Virginia than to Dublin.
        expectRoutes(side, 'users nearest us-east-1', regions, 'us-east-1', 'eu-west-1');
        expectRoutes(side, 'users nearest eu-west-1', regions, 'eu-west-1', 'us-east-1');
        expectRoutes(side, 'users nearest ap-southeast-2', regions, 'ap-southeast-2', 'us-east-1');
      }
    });
  }
});

test('synthesized output with dns.crossBorderFallback: GEO-FAILURE-001 names the EU users sent to us-east-1 (both renderers)', () => {
  const p = plan({ ...(partitioned as GeoSpec), dns: { ...(partitioned as GeoSpec).dns, crossBorderFallback: true } });
  for (const facts of [cdkFacts(p), terraformFacts(p)]) {
    const findings = evaluate(facts, { rules: [failureResidency] }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity, f.unknown])).toEqual([['GEO-FAILURE-001', 'error', false]]);
    expect(findings[0]?.message).toMatch(/^AT, BE, BG and 24 more users -> us-east-1 when eu-central-1 and eu-west-3 are down: us-east-1 is outside the EU partition/);
  }
});
