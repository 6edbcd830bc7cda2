/**
 * Automated region failover as plan() decides it: trigger and guard alarms, the promotion, the lock, no
 * failback, least-privilege statements, the rehearsal, and the specs it refuses.
 */
import { factsFromPlan } from '../../lib/facts/from-plan';
import { plan, SpecError, type GeoSpec } from '../../lib/model';
import { FAILOVER_LOCK_MINUTES } from '../../lib/model/plan-automation';
import { estimateDisruptions } from '../../lib/policy/estimate';
import { checkPlan } from '../../lib/policy';

const base: GeoSpec = {
  name: 'orders',
  mode: 'active-passive',
  regions: [
    { name: 'us-east-1', role: 'primary' },
    { name: 'eu-west-1', role: 'secondary', instances: 0 },
    { name: 'us-west-2', role: 'secondary' },
  ],
  data: { engine: 'aurora-postgresql', classification: 'confidential' },
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
  objectives: { rtoSeconds: 150, rpoSeconds: 5 },
};
const on = (sustainedSeconds?: number): GeoSpec => ({ ...base, automation: { regionFailover: { enabled: true, sustainedSeconds } } });

describe('automated region failover: off', () => {
  test('absent or disabled: no automation in the plan, no rehearsal, no extra alarm', () => {
    for (const spec of [base, { ...base, automation: { regionFailover: { enabled: false } } }]) {
      const p = plan(spec);
      expect(p.automation).toBeUndefined();
      expect(p.experiments.map((e) => e.kind)).not.toContain('region-failover-rehearsal');
      expect(p.alarms.list.filter((a) => a.id.endsWith('failover-trigger'))).toEqual([]);
    }
  });
});

describe('automated region failover: on', () => {
  const p = plan(on());
  const [f] = p.automation?.regionFailover ?? [];

  test('one Region switch plan for the partition, in the DNS home region', () => {
    expect(p.automation?.regionFailover).toHaveLength(1);
    expect(f).toMatchObject({ partitionId: 'main', planName: 'orders-main-failover', homeRegion: 'us-east-1', primaryRegion: 'us-east-1' });
  });

  test('the target is the first secondary with instances (eu-west-1 is headless, so us-west-2)', () => {
    expect(f.targetRegion).toBe('us-west-2');
    expect(f.regions).toEqual(['us-east-1', 'us-west-2']);
    expect(f.clusters).toEqual({ 'us-east-1': 'orders-us-east-1', 'us-west-2': 'orders-us-west-2', 'eu-west-1': 'orders-eu-west-1' });
  });

  test('trigger: the primary sustained-failure alarm red AND the target health green AND the target lag green', () => {
    expect(f.triggerConditions.map((c) => [c.alarmId, c.alarmRegion, c.condition])).toEqual([
      ['hc-use1-unhealthy', 'us-east-1', 'red'],
      ['hc-usw2-unhealthy', 'us-east-1', 'green'],
      ['usw2-replication-lag-critical', 'us-west-2', 'green'],
    ]);
    // Every condition names an alarm the plan renders.
    for (const c of f.triggerConditions) expect(p.alarms.list.find((a) => a.id === c.alarmId)?.name).toBe(c.alarmName);
  });

  test('writer trigger: the primary writer alarm red, with the same target guards', () => {
    expect(f.writerTriggerConditions.map((c) => [c.alarmId, c.alarmRegion, c.condition])).toEqual([
      ['use1-writer-unavailable', 'us-east-1', 'red'],
      ['hc-usw2-unhealthy', 'us-east-1', 'green'],
      ['usw2-replication-lag-critical', 'us-west-2', 'green'],
    ]);
  });

  test('the default sustained window (60 s) reuses the one-minute health-check alarm', () => {
    expect(f.sustainedSeconds).toBe(60);
    expect(p.alarms.list.filter((a) => a.id.endsWith('failover-trigger'))).toEqual([]);
  });

  test('promotion: switchover when graceful, failover with data loss when ungraceful; failback manual; one execution a day', () => {
    expect(f.promotion).toEqual({ behavior: 'switchoverOnly', ungraceful: 'failover', timeoutMinutes: 15 });
    expect(f.failback).toBe('manual');
    expect(f.minMinutesBetweenExecutions).toBe(FAILOVER_LOCK_MINUTES);
    expect(FAILOVER_LOCK_MINUTES).toBe(1440);
  });

  test('the objective 150 s rounds up to a 3-minute plan RTO', () => {
    expect(f.recoveryTimeObjectiveMinutes).toBe(3);
  });

  test('IAM: promotion only on this global cluster and its members; Describe* alone on *; alarm reads on the trigger alarms', () => {
    const bySid = Object.fromEntries(f.statements.map((s) => [s.sid, s]));
    expect(bySid.PromoteThisGlobalDatabase.actions).toEqual(['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster']);
    expect(bySid.PromoteThisGlobalDatabase.resources).toEqual([
      'arn:{partition}:rds::{account}:global-cluster:orders-global',
      'arn:{partition}:rds:us-east-1:{account}:cluster:orders-us-east-1',
      'arn:{partition}:rds:eu-west-1:{account}:cluster:orders-eu-west-1',
      'arn:{partition}:rds:us-west-2:{account}:cluster:orders-us-west-2',
    ]);
    expect(bySid.DescribeGlobalDatabase).toEqual({ sid: 'DescribeGlobalDatabase', actions: ['rds:DescribeDBClusters', 'rds:DescribeGlobalClusters'], resources: ['*'] });
    expect(bySid.ReadTriggerAlarms.resources).toEqual([
      'arn:{partition}:cloudwatch:us-east-1:{account}:alarm:orders-use1-endpoint-unhealthy',
      'arn:{partition}:cloudwatch:us-east-1:{account}:alarm:orders-usw2-endpoint-unhealthy',
      'arn:{partition}:cloudwatch:us-west-2:{account}:alarm:orders-usw2-replication-lag-critical',
      'arn:{partition}:cloudwatch:us-east-1:{account}:alarm:orders-use1-writer-unavailable',
    ]);
    expect(f.statements.flatMap((s) => s.resources.filter((r) => r === '*').map(() => s.sid))).toEqual(['DescribeGlobalDatabase']);
  });

  test('notifications go to the DNS alert topic through a named rule', () => {
    expect(f.notificationTopicName).toBe(p.dns.alertTopicName);
    expect(f.notificationRuleName).toBe('orders-main-failover-events');
  });

  test('rehearsal: a FIS experiment in the primary that cuts its data subnets for the window plus 5 minutes', () => {
    const r = p.experiments.find((e) => e.kind === 'region-failover-rehearsal');
    expect(r).toMatchObject({ id: 'use1-region-failover-rehearsal', region: 'us-east-1', durationMinutes: 6 });
    expect(r?.actions).toEqual([{ name: 'disrupt-all-connectivity', actionId: 'aws:network:disrupt-connectivity', parameters: { scope: 'all', duration: 'PT6M' }, targetKey: 'Subnets' }]);
    expect(r?.targets[0]).toMatchObject({ resourceType: 'aws:ec2:subnet', resourceTags: { 'meridian:topology': 'orders', 'meridian:subnet-tier': 'data' } });
    expect(r?.stopAlarmIds).toEqual(['use1-writer-unavailable']);
  });
});

describe('sustained window', () => {
  test('180 s adds a trigger alarm with 3 one-minute periods on the primary health check', () => {
    const p = plan(on(180));
    const trigger = p.alarms.list.find((a) => a.id === 'hc-use1-failover-trigger');
    expect(trigger).toMatchObject({
      kind: 'health-check', region: 'us-east-1', subjectRegion: 'us-east-1', metricName: 'HealthCheckStatus',
      periodSeconds: 60, evaluationPeriods: 3, comparison: 'LessThanThreshold', threshold: 1, name: 'orders-use1-failover-trigger',
    });
    expect(p.automation?.regionFailover[0].triggerConditions[0]).toMatchObject({ alarmId: 'hc-use1-failover-trigger', condition: 'red' });
    expect(p.experiments.find((e) => e.kind === 'region-failover-rehearsal')?.durationMinutes).toBe(8);
  });

  test.each([
    [30, /sustainedSeconds/],
    [90, /multiple of 60/],
    [7200, /sustainedSeconds/],
  ])('%i s is refused', (s, message) => {
    expect(() => plan(on(s))).toThrow(message);
  });
});

describe('refusals', () => {
  test('DynamoDB: nothing to promote', () => {
    const spec: GeoSpec = {
      ...on(), mode: 'active-active',
      regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
      data: { engine: 'dynamodb', classification: 'internal' },
    };
    expect(() => plan(spec)).toThrow(SpecError);
    expect(() => plan(spec)).toThrow(/automation\.regionFailover.*DynamoDB global tables take writes in every region/);
  });

  test('only headless secondaries: refused, naming them', () => {
    const spec: GeoSpec = { ...on(), regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary', instances: 0 }] };
    expect(() => plan(spec)).toThrow(/partition main: every secondary \(us-west-2\) is headless/);
  });

  test('an unknown key in automation is refused by the schema', () => {
    expect(() => plan({ ...base, automation: { regionFailover: { enabled: true, failback: true } } } as unknown as GeoSpec)).toThrow(/failback/);
  });
});

describe('facts and the estimator read the automation from the plan', () => {
  test('factsFromPlan: on with its window; off is false, never unknown', () => {
    expect(factsFromPlan(plan(on(120))).automation).toEqual({ regionFailover: true, writerFailover: true, sustainedSeconds: 120 });
    expect(factsFromPlan(plan(base)).automation).toEqual({ regionFailover: false, writerFailover: false });
  });

  test('region loss: alarm + runbook replace the human decision without being told', () => {
    const manual = estimateDisruptions(factsFromPlan(plan(base)));
    const automated = estimateDisruptions(factsFromPlan(plan(on())));
    expect(manual.automation).toBe(false);
    expect(automated.automation).toBe(true);
    const loss = (r: typeof manual) => r.disruptions.find((d) => d.kind === 'region-loss' && d.regions[0] === 'us-east-1');
    expect(loss(manual)?.phases.map((ph) => ph.kind)).toContain('decision');
    expect(loss(automated)?.phases.map((ph) => ph.kind)).toEqual(expect.arrayContaining(['alarm', 'automation-start', 'promotion']));
    expect(loss(automated)?.phases.map((ph) => ph.kind)).not.toContain('decision');
    // Same as asking for automation explicitly on the manual deployment.
    expect(loss(automated)?.rto).toEqual(loss(estimateDisruptions(factsFromPlan(plan(base)), { automation: true }))?.rto);
  });

  test('a longer sustained window delays the alarm phase by the extra minutes', () => {
    const loss = (s: number) => estimateDisruptions(factsFromPlan(plan(on(s)))).disruptions.find((d) => d.kind === 'region-loss' && d.regions[0] === 'us-east-1');
    const alarm = (s: number) => loss(s)?.phases.find((ph) => ph.kind === 'alarm');
    expect([alarm(60)?.best, alarm(60)?.worst]).toEqual([0, 60]);
    expect([alarm(180)?.best, alarm(180)?.worst]).toEqual([120, 180]);
    const r60 = loss(60)?.rto;
    const r180 = loss(180)?.rto;
    expect(r180?.worst).toBe((r60?.worst ?? NaN) + 120);
    expect(r180?.best).toBe((r60?.best ?? NaN) + 120);
  });

  test('writer loss: the writer trigger replaces the human decision too; without automation a human decides', () => {
    const writerLoss = (spec: GeoSpec) => estimateDisruptions(factsFromPlan(plan(spec))).disruptions.find((d) => d.kind === 'writer-loss');
    expect(writerLoss(on())?.phases.map((ph) => ph.kind)).toContain('automation-start');
    expect(writerLoss(on())?.phases.map((ph) => ph.kind)).not.toContain('decision');
    expect(writerLoss(base)?.phases.map((ph) => ph.kind)).toContain('decision');
  });
});

describe('the RESILIENCE rules judge the deployment with its automation', () => {
  // A 600 s objective: a human decision (up to 700 s for the region loss) misses it; the triggers meet it.
  const rto = (spec: GeoSpec) => checkPlan(plan({ ...spec, objectives: { rtoSeconds: 600, rpoSeconds: 30 } })).findings
    .filter((f) => f.ruleId === 'GEO-RESILIENCE-001' && !f.suppressed).map((f) => f.message.split(':')[0]);
  test('without automation: the loss of us-east-1 misses 600 s', () => {
    expect(rto(base)).toContain('loss of us-east-1');
  });
  test('with automation: no disruption misses 600 s', () => {
    expect(rto(on())).toEqual([]);
  });
});
