import { loadSpecFile, plan } from '../lib/model';
import { factsFromPlan } from '../lib/facts';
import { estimateDisruptions } from '../lib/policy';
const f = factsFromPlan(plan(loadSpecFile(process.argv[2] ?? 'examples/specs/orders.yaml')));
for (const a of [false, true]) {
  const r = estimateDisruptions(f, { automation: a });
  console.log(a, r.strategy, r.strategyReason);
  for (const d of r.disruptions) console.log(' ', d.kind, d.name, JSON.stringify(d.rto), JSON.stringify(d.rpo), d.problem ?? '', d.phases.map((p) => `${p.kind}@${p.startWorst}+${p.worst}`).join(' '));
}
