import { Testing } from 'cdktf';
import { GeoTerraformStack } from '../../lib/cdktf';
import { MeridianValidationError, plan } from '../../lib/model';

describe('GeoTerraformStack validates its props at run time', () => {
  const good = plan({
    name: 'orders', mode: 'active-passive',
    regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary' }],
    data: { engine: 'aurora-postgresql', classification: 'internal' },
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover' },
  });
  test.each([
    ['no props', undefined, /GeoTerraformStack G: props must be an object with a plan/],
    ['no plan', {}, /GeoTerraformStack G: plan must be a GeoPlan object, as returned by plan\(\)/],
    ['a spec instead of a plan', { plan: { name: 'orders', mode: 'active-passive', regions: [{ name: 'us-east-1', role: 'primary' }] } }, /plan\.regions\[\]\.stackName must be a stack name on every region/],
    ['alarms without a list', { plan: { ...good, alarms: {} } }, /plan\.alarms\.list must be an array of planned alarms/],
  ])('%s', (_what, props, message) => {
    expect(() => new GeoTerraformStack(Testing.app(), 'G', props as never)).toThrow(MeridianValidationError);
    expect(() => new GeoTerraformStack(Testing.app(), 'G', props as never)).toThrow(message);
  });
});
