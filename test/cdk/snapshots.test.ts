/**
 * A second net under the fine-grained tests: every example's whole deployment as one snapshot, taken
 * through `meridian-geo/testing` the way our users take theirs (asset hashes and bootstrap noise
 * replaced, so an aws-cdk-lib upgrade alone does not churn it), and the policy matchers on its plan.
 */
import { checkPlan } from '../../lib/policy';
import { installMeridianMatchers, templatesOf, templateSerializer } from '../../lib/testing';
import { EXAMPLE_APPS, cdkTemplates, examplePlan } from '../support/outputs';

expect.addSnapshotSerializer(templateSerializer);
installMeridianMatchers();

describe.each(EXAMPLE_APPS)('example %s', (name) => {
  test('its plan passes every rule, warnings included', () => {
    expect(checkPlan(examplePlan(name))).toPassMeridianPolicy({ failOn: 'warning' });
  });

  test('the synthesized deployment matches its snapshot', () => {
    // The run's shared cloud assembly of the example (test/support/outputs.ts), read as an app's synth.
    const stacks = Object.entries(cdkTemplates(name)).map(([stackName, template]) => ({ stackName, template }));
    expect(templatesOf({ synth: () => ({ stacks }) })).toMatchSnapshot();
  });
});

test('the matchers name the rule a misconfigured example breaks', () => {
  // GIVEN the active-passive example with a five-minute TTL, checked without building it
  const plan = examplePlan('active-passive');
  const report = checkPlan({ ...plan, dns: { ...plan.dns, ttlSeconds: 300 } });
  // THEN
  expect(report).not.toPassMeridianPolicy();
  expect(report).toHaveFinding('GEO-DNS-001', { severity: 'error', value: 300, limit: 60, suppressed: false });
});
