/**
 * applyTags: each `Tags.of(scope).add` is an aspect that visits every construct below its scope at synth,
 * so a scope below one that already got the same tag from applyTags adds none of its own; the
 * resources must carry exactly the tags they carried with every scope tagging itself.
 */
import { Aspects, Stack, Tag } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, type IConstruct } from 'constructs';
import { applyTags } from '../../lib/cdk/tags';
import { deploy, fastApp, ORDERS, tpl } from './geo-fixtures';

const tagAspects = (scope: IConstruct): Tag[] => Aspects.of(scope).all.filter((a): a is Tag => a instanceof Tag);
const topicTags = (stack: Stack, id: string): unknown => {
  const topics = tpl(stack).findResources('AWS::SNS::Topic');
  const entry = Object.entries(topics).find(([logicalId]) => logicalId.startsWith(id));
  return (entry?.[1] as { Properties?: { Tags?: unknown } } | undefined)?.Properties?.Tags;
};

describe('applyTags', () => {
  test('a scope below one tagged alike adds no aspect of its own, and its resources keep every tag', () => {
    // GIVEN a stack tagged a=1, b=2 and a construct inside it tagged a=1 (the same) and c=3 (new)
    const stack = new Stack(fastApp(), 'S');
    applyTags(stack, { a: '1', b: '2' });
    const inner = new Construct(stack, 'Inner');
    applyTags(inner, { a: '1', c: '3' });
    new sns.Topic(inner, 'Topic');
    // THEN only c is an aspect of the inner scope
    expect(tagAspects(inner).map((t) => `${t.key}=${t.value}`)).toEqual(['c=3']);
    // and the topic carries all three
    expect(topicTags(stack, 'InnerTopic')).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }]);
  });

  test('a different value below is applied and wins, as the nearer tag does', () => {
    // GIVEN
    const stack = new Stack(fastApp(), 'S');
    applyTags(stack, { a: '1' });
    const inner = new Construct(stack, 'Inner');
    // WHEN
    applyTags(inner, { a: '2' });
    new sns.Topic(inner, 'Topic');
    // THEN
    expect(tagAspects(inner).map((t) => `${t.key}=${t.value}`)).toEqual(['a=2']);
    expect(topicTags(stack, 'InnerTopic')).toEqual([{ Key: 'a', Value: '2' }]);
  });

  test('a tag narrowed to some resource types never stands in for a scope below', () => {
    // GIVEN a stack whose tag reaches subnets only
    const stack = new Stack(fastApp(), 'S');
    applyTags(stack, { a: '1' }, { includeResourceTypes: ['AWS::EC2::Subnet'] });
    const inner = new Construct(stack, 'Inner');
    // WHEN the construct below asks for the same tag on everything
    applyTags(inner, { a: '1' });
    new sns.Topic(inner, 'Topic');
    // THEN it gets an aspect of its own, and the topic the tag
    expect(tagAspects(inner)).toHaveLength(1);
    expect(topicTags(stack, 'InnerTopic')).toEqual([{ Key: 'a', Value: '1' }]);
  });

  test('in a GeoDeployment only the stacks and the subnet tiers carry tag aspects; resources keep the plan and region tags', () => {
    // GIVEN / WHEN
    const { app, geo, plan } = deploy(ORDERS);
    // THEN the constructs inside the stacks (alarms, experiments, DNS, dashboard) inherit the stacks' tags
    // (aws-cdk-lib's own Name and aws-cdk:* tags aside): besides the stacks, only the subnets have one
    const ours = (c: IConstruct) => tagAspects(c).filter((t) => t.key.startsWith('meridian:'));
    const holders = app.node.findAll().filter((c) => !Stack.isStack(c) && ours(c).length > 0);
    expect(holders.map((c) => c.node.id)).toEqual(Array.from({ length: 3 }, () => ['dataSubnet1', 'dataSubnet2', 'dataSubnet3']).flat());
    // and each subnet's own is its tier (the topology comes from its stack)
    for (const subnet of holders) expect(ours(subnet).map((t) => t.key)).toEqual(['meridian:subnet-tier']);
    // while the region's topic still carries the region's tags (topology and role among them)
    const us = plan.regions.find((r) => r.name === 'us-west-2');
    const tags = topicTags(geo.region('us-west-2').stack, 'Alarms') as Array<{ Key: string; Value: string }>;
    expect(tags).toEqual(expect.arrayContaining(Object.entries(us?.tags ?? { missing: 'region' }).map(([Key, Value]) => ({ Key, Value }))));
    expect(tags).toEqual(expect.arrayContaining([{ Key: 'meridian:topology', Value: 'orders' }, { Key: 'meridian:region-role', Value: 'secondary' }]));
  });
});
