import { MeridianValidationError, PolicyViolationError, SpecError } from '../../lib/model';

describe('one error hierarchy', () => {
  test('MeridianValidationError names the construct, the prop, what is allowed and the value received', () => {
    const e = new MeridianValidationError({ construct: 'RegionalNetwork App/use1/Network', prop: 'maxAzs', value: 7, allowed: 'a whole number between 2 and 6' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('MeridianValidationError');
    expect(e.message).toBe('RegionalNetwork App/use1/Network: maxAzs must be a whole number between 2 and 6, got 7');
    expect(e.problems).toEqual([{ construct: 'RegionalNetwork App/use1/Network', prop: 'maxAzs', value: 7, allowed: 'a whole number between 2 and 6' }]);
  });

  test('several problems are reported at once, one line each; a custom sentence keeps the construct', () => {
    const e = new MeridianValidationError([
      { construct: 'A', prop: 'x', value: 'y', allowed: 'one of a, b' },
      { construct: 'B', prop: 'z', value: 3, allowed: 'at most 2', message: 'z is 3 but B holds at most 2' },
    ]);
    expect(e.message).toBe('A: x must be one of a, b, got "y"\nB: z is 3 but B holds at most 2');
  });

  test('PolicyViolationError carries the findings and lists them; SpecError stays the error for spec input', () => {
    const findings = [{ ruleId: 'GEO-DNS-001', resource: 'record', message: 'TTL 300 s is above 60 s' }];
    const e = PolicyViolationError.forPlan('orders', findings);
    expect(e).toBeInstanceOf(PolicyViolationError);
    expect(e.findings).toBe(findings);
    expect(e.message).toMatch(/plan "orders" has 1 unsuppressed error finding; .*\n {2}GEO-DNS-001 \[record\]: TTL 300 s is above 60 s/);
    expect(new SpecError([{ path: 'regions[0].name', message: 'unknown' }])).toBeInstanceOf(Error);
  });
});
