/**
 * Route targets in both readers: a gateway of the artifact is named by its kind, the same word from
 * CloudFormation and from Terraform, so the facts (and parity) can tell a route to the internet from a
 * route through a NAT gateway; a literal id stays as written; what cannot be resolved says so.
 */
import { factsFromTemplates, factsFromTerraform, type Facts } from '../../lib/facts';

const routesOf = (f: Facts | undefined) => (f?.routeTables ?? []).flatMap((t) => (t.routes ?? []).map((r) => `${r.destinationCidr} ${r.target}`)).sort();

describe('route targets', () => {
  test('CloudFormation: Ref to an internet or NAT gateway by kind, a literal id as written, a parameter unresolved', () => {
    // GIVEN a template with one route table and four routes
    const template = {
      Parameters: { Gateway: { Type: 'String' } },
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        Table: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
        Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
        Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1', AllocationId: 'eipalloc-1' } },
        ToIgw: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } } },
        ToNat: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '10.9.0.0/16', NatGatewayId: { Ref: 'Nat' } } },
        ToLiteral: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '10.8.0.0/16', GatewayId: 'vgw-0abc' } },
        ToParameter: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '10.7.0.0/16', GatewayId: { Ref: 'Gateway' } } },
      },
    };
    // WHEN read
    const set = factsFromTemplates([{ file: 'net.template.json', stackName: 'net', region: 'us-east-1', template }]);
    // THEN
    expect(routesOf(set.facts[0])).toEqual(['0.0.0.0/0 internet-gateway', '10.7.0.0/16 unresolved', '10.8.0.0/16 vgw-0abc', '10.9.0.0/16 nat-gateway']);
  });

  test('Terraform: references to aws_internet_gateway and aws_nat_gateway by the same words, inline and separate routes alike', () => {
    // GIVEN a configuration with an inline route and separate routes
    const json = {
      provider: { aws: [{ region: 'us-east-1' }] },
      resource: {
        aws_vpc: { v: { cidr_block: '10.0.0.0/16' } },
        aws_internet_gateway: { igw: { vpc_id: '${aws_vpc.v.id}' } },
        aws_nat_gateway: { nat: { subnet_id: 'subnet-1', allocation_id: 'eipalloc-1' } },
        aws_route_table: {
          inline: { vpc_id: '${aws_vpc.v.id}', route: [{ cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.igw.id}' }] },
          separate: { vpc_id: '${aws_vpc.v.id}' },
        },
        aws_route: {
          toNat: { route_table_id: '${aws_route_table.separate.id}', destination_cidr_block: '10.9.0.0/16', nat_gateway_id: '${aws_nat_gateway.nat.id}' },
          toLiteral: { route_table_id: '${aws_route_table.separate.id}', destination_cidr_block: '10.8.0.0/16', gateway_id: 'vgw-0abc' },
          toVariable: { route_table_id: '${aws_route_table.separate.id}', destination_cidr_block: '10.7.0.0/16', gateway_id: '${var.gateway}' },
        },
      },
    };
    // WHEN read
    const set = factsFromTerraform([{ file: 'main.tf.json', json }]);
    // THEN
    expect(routesOf(set.facts[0])).toEqual(['0.0.0.0/0 internet-gateway', '10.7.0.0/16 unresolved', '10.8.0.0/16 vgw-0abc', '10.9.0.0/16 nat-gateway']);
  });
});
