#!/usr/bin/env node
/**
 * The default CDK app (`cdk.json` runs it): the three-region active-passive `orders` deployment of
 * examples/specs/orders.yaml — us-east-1 primary, us-west-2 and eu-west-1 (headless) secondaries,
 * Aurora PostgreSQL global database, failover routing. Synthesizes offline without AWS credentials.
 *
 * MERIDIAN_SPEC=<file> synthesizes another spec file instead.
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { GeoDeployment, PolicyViolationError } from '../lib/cdk';
import { loadSpecFile, plan, SpecError } from '../lib/model';

const specFile = process.env.MERIDIAN_SPEC ?? path.join(__dirname, '..', 'examples', 'specs', 'orders.yaml');
try {
  const app = new App({
    context: {
      // Cross-stack references (only VPC, route table and peering connection ids, all inside the
      // peering stacks) are weak: Fn::GetStackOutput, no exports that would block replacing a region's
      // stack during failback. GeoDeployment sets the same on each of its stacks; this makes it explicit.
      '@aws-cdk/core:defaultCrossStackReferences': 'weak',
      // A failed policy validation prints CDK's validation report and exits 1, instead of throwing
      // (which ends a synth with a stack trace). cdk.json sets the same for `cdk synth`.
      '@aws-cdk/core:appMode': 'process',
    },
  });
  new GeoDeployment(app, 'Meridian', { plan: plan(loadSpecFile(specFile)) });
  app.synth();
} catch (e) {
  if (e instanceof SpecError || e instanceof PolicyViolationError) {
    // Input and policy errors are for the user, not stack traces.
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  } else {
    throw e;
  }
}
