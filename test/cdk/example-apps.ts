/** The example apps by name, for tests that run over every example. */
import type { App } from 'aws-cdk-lib';
import type { GeoDeployment } from '../../lib/cdk';
import { build as activeActive } from '../../examples/active-active/app';
import { build as activePassive } from '../../examples/active-passive/app';
import { build as partitioned } from '../../examples/partitioned-residency/app';

export type ExampleBuild = (app?: App) => { app: App; deployment: GeoDeployment };

export const EXAMPLES: ReadonlyArray<[string, ExampleBuild]> = [
  ['active-passive', activePassive],
  ['active-active', activeActive],
  ['partitioned-residency', partitioned],
];
