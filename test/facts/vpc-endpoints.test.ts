/**
 * VPC endpoints in the facts: the same fact from a plan, a CloudFormation template and Terraform JSON
 * (service name, network, type, private DNS), and unknown where the artifact does not say.
 */
import { factsFromPlan, factsFromTemplates, factsFromTerraform } from '../../lib/facts';
import { plan, type GeoSpec } from '../../lib/model';

describe('VPC endpoints', () => {
  test('from a plan: one interface endpoint per planned service of each private-with-endpoints region, with its network', () => {
    // GIVEN a plan with endpoints in us-west-2 only
    const spec: GeoSpec = {
      name: 'ep', mode: 'active-passive',
      regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary', applicationSubnets: 'private-with-endpoints' }],
      data: { engine: 'aurora-postgresql', classification: 'internal' },
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover' },
    };
    // WHEN
    const f = factsFromPlan(plan(spec));
    // THEN
    expect(f.vpcEndpoints?.map((e) => [e.id, e.region, e.networkId, e.type, e.privateDns])).toEqual(
      ['secretsmanager', 'kms', 'logs', 'sts'].map((s) => [`com.amazonaws.us-west-2.${s}@ep-us-west-2`, 'us-west-2', 'ep-us-west-2', 'Interface', true]),
    );
  });

  test('from CloudFormation: service name, network by the VPC\'s Name tag, type and private DNS; absent ones unknown', () => {
    const template = {
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: 'shop-us-east-1' }] } },
        Kms: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.us-east-1.kms', VpcEndpointType: 'Interface', PrivateDnsEnabled: true } },
        Bare: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.us-east-1.s3' } },
      },
    };
    const f = factsFromTemplates([{ file: 't.json', stackName: 't', region: 'us-east-1', template }]).facts[0];
    expect(f?.vpcEndpoints?.map((e) => [e.id, e.region, e.networkId, e.serviceName, e.type, e.privateDns])).toEqual([
      ['com.amazonaws.us-east-1.kms@shop-us-east-1', 'us-east-1', 'shop-us-east-1', 'com.amazonaws.us-east-1.kms', 'Interface', true],
      ['com.amazonaws.us-east-1.s3@shop-us-east-1', 'us-east-1', 'shop-us-east-1', 'com.amazonaws.us-east-1.s3', undefined, undefined],
    ]);
  });

  test('from Terraform: the same fact; a service name that does not resolve leaves the id to the address', () => {
    const json = {
      provider: { aws: [{ region: 'us-east-1' }] },
      resource: {
        aws_vpc: { v: { cidr_block: '10.0.0.0/16', tags: { Name: 'shop-us-east-1' } } },
        aws_vpc_endpoint: {
          kms: { vpc_id: '${aws_vpc.v.id}', service_name: 'com.amazonaws.us-east-1.kms', vpc_endpoint_type: 'Interface', private_dns_enabled: true },
          unknown: { vpc_id: '${aws_vpc.v.id}', service_name: '${var.service}', private_dns_enabled: false },
        },
      },
    };
    const f = factsFromTerraform([{ file: 'main.tf.json', json }]).facts[0];
    expect(f?.vpcEndpoints?.map((e) => [e.id, e.networkId, e.serviceName, e.type, e.privateDns])).toEqual([
      ['com.amazonaws.us-east-1.kms@shop-us-east-1', 'shop-us-east-1', 'com.amazonaws.us-east-1.kms', 'Interface', true],
      ['aws_vpc_endpoint.unknown', 'shop-us-east-1', undefined, undefined, false],
    ]);
  });
});
