/**
 * A second net under the fine-grained tests: every example's whole deployment as one snapshot, taken
 * through `meridian-geo/testing` the way our users take theirs (asset hashes and bootstrap noise
 * replaced, so an aws-cdk-lib upgrade alone does not churn it), and the policy matchers on its plan.
 */
import { App } from 'aws-cdk-lib';
import { checkPlan } from '../../lib/policy';
import { installMeridianMatchers, templatesOf, templateSerializer } from '../../lib/testing';
import { build as buildActivePassive } from '../../examples/active-passive/app';
import { EXAMPLES } from './example-apps';

expect.addSnapshotSerializer(templateSerializer);
installMeridianMatchers();

describe.each(EXAMPLES)('example %s', (_name, build) => {
  const { app, deployment } = build(new App({ builtinCloudFormationValidation: false }));

  test('its plan passes every rule, warnings included', () => {
    expect(checkPlan(deployment.plan)).toPassMeridianPolicy({ failOn: 'warning' });
  });

  test('the synthesized deployment matches its snapshot', () => {
    expect(templatesOf(app)).toMatchSnapshot();
  });
});

test('the matchers name the rule a misconfigured example breaks', () => {
  // GIVEN the active-passive example with a five-minute TTL, checked without building it
  const { deployment } = buildActivePassive(new App({ builtinCloudFormationValidation: false }));
  const report = checkPlan({ ...deployment.plan, dns: { ...deployment.plan.dns, ttlSeconds: 300 } });
  // THEN
  expect(report).not.toPassMeridianPolicy();
  expect(report).toHaveFinding('GEO-DNS-001', { severity: 'error', value: 300, limit: 60, suppressed: false });
});
