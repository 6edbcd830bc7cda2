import { Testing, TerraformStack } from 'cdktf';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { attr } from '../../lib/cdktf/common';

// attr() exists because every read of a cdktf attribute getter makes a new token (each with a stack
// trace cdktf captures): reading once must give one token that still renders the same reference.
describe('attr: an attribute of a resource read once', () => {
  // GIVEN a VPC and two subnets in it on a bare stack
  const app = Testing.app();
  const stack = new TerraformStack(app, 'attributes');
  const vpc = new Vpc(stack, 'Vpc', { cidrBlock: '10.0.0.0/16' });
  const other = new Vpc(stack, 'Other', { cidrBlock: '10.1.0.0/16' });

  test('repeated reads of one attribute return the same token; other attributes and resources their own', () => {
    const id = attr(vpc, 'id');
    expect(attr(vpc, 'id')).toBe(id);
    // The getter itself makes a new token on each read: what attr() saves.
    expect(vpc.id).not.toBe(vpc.id);
    expect(attr(vpc, 'arn')).not.toBe(id);
    expect(attr(other, 'id')).not.toBe(id);
  });

  test('the shared token renders the reference the getter renders, in every resource that uses it', () => {
    // WHEN two subnets take the id through attr() and one reads the getter directly
    new Subnet(stack, 'A', { vpcId: attr(vpc, 'id'), cidrBlock: '10.0.1.0/24' });
    new Subnet(stack, 'B', { vpcId: attr(vpc, 'id'), cidrBlock: '10.0.2.0/24' });
    new Subnet(stack, 'C', { vpcId: vpc.id, cidrBlock: '10.0.3.0/24' });
    // THEN all three name the VPC the same way
    const json = JSON.parse(Testing.synth(stack)) as { resource: { aws_subnet: Record<string, { vpc_id: string }> } };
    const ids = Object.values(json.resource.aws_subnet).map((s) => s.vpc_id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids)).toEqual(new Set(['${aws_vpc.Vpc.id}']));
  });
});
