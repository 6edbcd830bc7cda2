/**
 * CDK synth time against the number of regions: an active-active DynamoDB deployment with full-mesh
 * peering (the largest shape: N(N-1)/2 peerings, N(N-1) replication-lag alarm pairs), one fresh Node
 * process per size so caches and the validator's WASM engine start cold each time, as in `cdk synth`.
 * Record results in bench/RESULTS.md ("Synthesis against regions").
 *
 *   npx ts-node --transpile-only bench/synth-regions.ts               2 4 8 12 16 20 24, validation on and off
 *   npx ts-node --transpile-only bench/synth-regions.ts 8 16          only these sizes
 *   npx ts-node --transpile-only bench/synth-regions.ts --one 8 on    one measurement (used by the parent)
 */
import { execFileSync } from 'child_process';
import { cpus, loadavg } from 'os';
import { App } from 'aws-cdk-lib';
import { GeoDeployment } from '../lib/cdk';
import { FIS_QUOTAS, plan, REGION_CODES, regionInfo } from '../lib/model';

function one(n: number, validation: boolean): void {
  const regions = REGION_CODES.filter((c) => regionInfo(c)?.partition === 'aws').slice(0, n);
  const p = plan({
    name: 'mesh', mode: 'active-active',
    regions: regions.map((name) => ({ name, role: 'active' as const })),
    data: { engine: 'dynamodb', classification: 'internal' },
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
    // Region isolation has one FIS action per other region, and FIS allows 20 per template.
    experiments: n - 1 > FIS_QUOTAS.actionsPerTemplate ? ['dynamodb-replication-pause'] : undefined,
  });
  const t0 = performance.now();
  const app = new App({ builtinCloudFormationValidation: validation });
  new GeoDeployment(app, 'M', { plan: p });
  const t1 = performance.now();
  const assembly = app.synth();
  const t2 = performance.now();
  const resources = assembly.stacks.reduce((sum, s) => sum + Object.keys((s.template as { Resources?: object }).Resources ?? {}).length, 0);
  console.log(JSON.stringify({ n, validation, stacks: assembly.stacks.length, resources, constructMs: Math.round(t1 - t0), synthMs: Math.round(t2 - t1) }));
}

if (process.argv[2] === '--one') {
  one(Number(process.argv[3]), process.argv[4] !== 'off');
} else {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${(loadavg()[0] ?? 0).toFixed(1)}`);
  console.log(`${'regions'.padStart(7)} ${'stacks'.padStart(6)} ${'resources'.padStart(9)} ${'construct s'.padStart(11)} ${'synth s (validation off)'.padStart(24)} ${'synth s (on)'.padStart(12)}`);
  for (const n of sizes.length > 0 ? sizes : [2, 4, 8, 12, 16, 20, 24]) {
    const measure = (v: 'on' | 'off') => JSON.parse(execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--one', String(n), v], { cwd: `${__dirname}/..`, maxBuffer: 1 << 26 }).toString().trim().split('\n').pop() as string) as { stacks: number; resources: number; constructMs: number; synthMs: number };
    const off = measure('off');
    const on = measure('on');
    const s = (ms: number) => (ms / 1000).toFixed(1);
    console.log(`${String(n).padStart(7)} ${String(on.stacks).padStart(6)} ${String(on.resources).padStart(9)} ${s(on.constructMs).padStart(11)} ${s(off.synthMs).padStart(24)} ${s(on.synthMs).padStart(12)}`);
  }
}
