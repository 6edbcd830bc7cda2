// A plain AWS CDK app, as a team writes it after `npm install meridian-geo aws-cdk-lib constructs`:
// one GeoDeployment from the package, and one service of the team's own per region. Synthesized
// offline by scripts/pack-check.sh (no credentials, no lookups).
const path = require('path');
const { App } = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const { GeoDeployment } = require('meridian-geo');
const { loadSpecFile } = require('meridian-geo/model');

const app = new App({ outdir: process.env.CDK_OUTDIR || path.join(__dirname, 'cdk.out') });
const geo = new GeoDeployment(app, 'Orders', { spec: loadSpecFile(process.env.MERIDIAN_SPEC) });
for (const region of geo.plan.regions) {
  const deployed = geo.region(region.name);
  new lambda.Function(deployed.stack, 'Service', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    vpc: deployed.vpc,
    vpcSubnets: deployed.network.dataSubnets,
  });
}
const assembly = app.synth();
const stacks = assembly.stacks.map((s) => s.stackName).sort();
const services = assembly.stacks.filter((s) => Object.values(s.template.Resources).some((r) => r.Type === 'AWS::Lambda::Function')).length;
console.log(JSON.stringify({ stacks, services }));
