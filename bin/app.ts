#!/usr/bin/env node
/**
 * The default CDK app (`cdk.json` runs it): the three-region active-passive `orders` deployment of
 * examples/specs/orders.yaml — us-east-1 primary, us-west-2 and eu-west-1 (headless) secondaries,
 * Aurora PostgreSQL global database, failover routing. Synthesizes offline without AWS credentials.
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { GeoDeployment } from '../lib/cdk';
import { loadSpecFile, plan } from '../lib/model';

const app = new App({
  context: {
    // Cross-stack references (only VPC, route table and peering ids, inside the peering stacks) are
    // weak: Fn::GetStackOutput, no exports that would block replacing a region stack during failback.
    '@aws-cdk/core:defaultCrossStackReferences': 'weak',
  },
});
const specFile = process.env.MERIDIAN_SPEC ?? path.join(__dirname, '..', 'examples', 'specs', 'orders.yaml');
new GeoDeployment(app, 'Meridian', { plan: plan(loadSpecFile(specFile)) });
app.synth();
