import { App } from 'aws-cdk-lib';
import { GeoDeployment } from './lib/cdk';
import { loadSpecFile, plan } from './lib/model';
const app = new App({ builtinCloudFormationValidation: false, context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak' } });
const geo = new GeoDeployment(app, 'Meridian', { plan: plan(loadSpecFile(process.argv[2] ?? 'examples/specs/orders.yaml')) });
const t = Date.now();
try { app.synth(); } catch (e) { console.log('THROW', (e as Error).message.slice(0, 3000)); }
console.log('synth ms', Date.now() - t);
for (const r of geo.policy?.reports ?? []) { console.log(r.topology, JSON.stringify(r.summary)); for (const f of r.findings) console.log(' ', f.severity, f.ruleId, f.resource, f.unknown ? '?' : '', f.suppressed ? '~' : '', f.message.slice(0, 120)); }
