import { App } from 'aws-cdk-lib';
import { GeoDeployment } from '../../lib/cdk';
import { MeridianValidationError, plan, type GeoPlan } from '../../lib/model';
import { ORDERS } from './geo-fixtures';

// JavaScript callers and plans read from JSON bypass the TypeScript types: the construct checks its
// props itself and names the prop, instead of failing later with a TypeError.

const app = () => new App({ builtinCloudFormationValidation: false });
const good = plan(ORDERS);
const json = (p: GeoPlan) => JSON.parse(JSON.stringify(p)) as Record<string, unknown>;

function refusal(props: unknown): MeridianValidationError {
  try {
    new GeoDeployment(app(), 'G', props as never);
  } catch (e) {
    if (e instanceof MeridianValidationError) return e;
    throw e;
  }
  throw new Error('expected a MeridianValidationError');
}

describe('GeoDeployment validates its props at run time', () => {
  test.each([
    ['no props at all', undefined, 'props', /GeoDeployment G: props must be an object with a spec or a plan/],
    ['an empty object', {}, 'spec | plan', /spec \| plan must be exactly one of spec \(a GeoSpec\) or plan \(a GeoPlan\); got neither/],
    ['a string spec', { spec: 'orders.yaml' }, 'spec', /spec must be a GeoSpec object, got "orders\.yaml"/],
    ['a plan that is a number', { plan: 42 }, 'plan', /plan must be a GeoPlan object, as returned by plan\(\), got 42/],
    ['a plan without regions', { plan: { ...json(good), regions: [] } }, 'plan.regions', /plan\.regions must be a non-empty array of planned regions, got \[\]/],
    ['a plan with an unknown engine', { plan: { ...json(good), data: { ...(json(good).data as object), engine: 'mongodb' } } }, 'plan.data.engine', /plan\.data\.engine must be aurora-postgresql \| aurora-mysql \| dynamodb, got "mongodb"/],
    ['a plan whose region lost its name', { plan: { ...json(good), regions: [{ ...good.regions[0], name: undefined }] } }, 'plan.regions[].name', /plan\.regions\[\]\.name must be a region code from the catalog on every region/],
    ['a plan without DNS', { plan: { ...json(good), dns: undefined } }, 'plan.dns.zoneName', /plan\.dns\.zoneName must be a DNS name/],
  ])('%s', (_what, props, prop, message) => {
    const e = refusal(props);
    expect(e.problems.map((p) => p.prop)).toContain(prop);
    expect(e.message).toMatch(message);
  });

  test('a plan round-tripped through JSON is accepted', () => {
    expect(() => new GeoDeployment(app(), 'G', { plan: json(good) as unknown as GeoPlan, policy: false })).not.toThrow();
  });

  test('every problem is reported at once', () => {
    const e = refusal({ plan: { name: 'x' } });
    expect(e.problems.length).toBeGreaterThan(5);
    expect(e.message.split('\n').length).toBe(e.problems.length);
  });
});
