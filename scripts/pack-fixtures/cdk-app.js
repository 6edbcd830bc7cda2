// A plain AWS CDK app, as a team writes it after `npm install meridian-geo aws-cdk-lib constructs`:
// it brings its own VPC and key per region and its own hosted zone, lets Meridian lay the deployment
// out on them, and adds one service per region in a stack of its own. Synthesized offline by
// scripts/pack-check.sh (no credentials, no lookups).
const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const kms = require('aws-cdk-lib/aws-kms');
const lambda = require('aws-cdk-lib/aws-lambda');
const route53 = require('aws-cdk-lib/aws-route53');
const { GeoDeployment } = require('meridian-geo');
const { loadSpecFile, plan } = require('meridian-geo/model');

// A `cdk init` app's cdk.json holds the feature flags its aws-cdk-lib recommends, and `cdk synth` hands
// them to the app; run directly, the app gets the same context here. MERIDIAN_CDK_FLAGS=none runs it as
// an app from before the flags (an old cdk.json), which must work too.
const { CURRENTLY_RECOMMENDED_FLAGS } = require('aws-cdk-lib/cx-api');
const flags = process.env.MERIDIAN_CDK_FLAGS === 'none' ? {} : CURRENTLY_RECOMMENDED_FLAGS;
const app = new App({ outdir: process.env.CDK_OUTDIR || path.join(__dirname, 'cdk.out'), context: { ...flags } });
const geoPlan = plan(loadSpecFile(process.env.MERIDIAN_SPEC));

// What the team already has: a platform stack per region, and the zone.
const existing = {};
for (const region of geoPlan.regions) {
  const platform = new Stack(app, `platform-${region.name}`, { env: { region: region.name } });
  const vpc = new ec2.Vpc(platform, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(region.cidr), maxAzs: 2, natGateways: 0,
    subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  existing[region.name] = { vpc, key: new kms.Key(platform, 'Key', { enableKeyRotation: true }) };
}
const zoneStack = new Stack(app, 'zone', { env: { region: geoPlan.dns.homeRegion } });
const hostedZone = new route53.PublicHostedZone(zoneStack, 'Zone', { zoneName: geoPlan.dns.zoneName });

const geo = new GeoDeployment(app, 'Orders', { plan: geoPlan, existing, hostedZone });

// One service per region, in a stack of the team's that follows the region stack.
for (const region of geoPlan.regions) {
  const deployed = geo.region(region.name);
  const services = geo.addServiceStack(region.name, 'Service');
  const fn = new lambda.Function(services, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    vpc: deployed.vpc,
    vpcSubnets: deployed.network.dataSubnets,
    allowAllOutbound: false, // egress only to the database, granted below
  });
  // From the service's side, so the rule lives in the service stack (the planned port: no token to resolve).
  if (deployed.cluster) fn.connections.allowTo(deployed.cluster, ec2.Port.tcp(geoPlan.data.port));
}

const assembly = app.synth();
const stacks = assembly.stacks.map((s) => s.stackName).sort();
const has = (s, type) => Object.values(s.template.Resources).some((r) => r.Type === type);
// The team's service stacks with their function (the platform stacks may hold aws-cdk-lib's own handler:
// with the recommended flags, the one that closes a VPC's default security group).
const services = assembly.stacks.filter((s) => s.stackName.endsWith('-service') && has(s, 'AWS::Lambda::Function')).length;
// Meridian's region stacks create no VPC or key of their own: the team's are used.
const own = assembly.stacks.filter((s) => geoPlan.regions.some((r) => r.stackName === s.stackName) && (has(s, 'AWS::EC2::VPC') || has(s, 'AWS::KMS::Key'))).length;
const zones = assembly.stacks.filter((s) => has(s, 'AWS::Route53::HostedZone')).map((s) => s.stackName);
console.log(JSON.stringify({ stacks, services, regionStacksWithOwnVpcOrKey: own, zones, flags: Object.keys(flags).length }));
