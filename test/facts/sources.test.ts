/**
 * Where findings are placed (lib/facts/sources.ts): a fact's id at its own source, a DNS name at its
 * first record, `dns` at the topology's DNS; ids win over names; files in fact order.
 */
import { factsFromTemplates, type Facts } from '../../lib/facts';
import { dnsSource, factFiles, factSources } from '../../lib/facts/sources';

const record = (name: string, id: string) => ({
  Type: 'AWS::Route53::RecordSet',
  Properties: { HostedZoneName: 'example.com.', Name: `${name}.`, Type: 'CNAME', TTL: '60', SetIdentifier: id, Failover: id === 'a' ? 'PRIMARY' : 'SECONDARY', ResourceRecords: [`${id}.example.net`] },
});

function facts(): Facts {
  const set = factsFromTemplates([
    { file: 'keys.json', stackName: 'keys', region: 'us-east-1', template: { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } } } },
    // A record whose set identifier is the other record's name: the id wins.
    { file: 'dns.json', stackName: 'dns', region: 'us-east-1', template: { Resources: { RecA: record('api.example.com', 'a'), RecB: record('api.example.com', 'b'), RecC: record('c.example.com', 'api.example.com') } } },
  ]);
  expect(set.facts).toHaveLength(1);
  return set.facts[0] as Facts;
}

test('a record name maps to its first record; `dns` to the first DNS fact; ids win over names', () => {
  const f = facts();
  const index = factSources(f);
  expect(index.get('a')).toMatchObject({ file: 'dns.json', id: 'RecA' });
  expect(index.get('b')).toMatchObject({ file: 'dns.json', id: 'RecB' });
  expect(index.get('c.example.com')).toMatchObject({ file: 'dns.json', id: 'RecC' });
  // `api.example.com` is both the id (set identifier) of RecC and the name of RecA and RecB: the id wins
  expect(index.get('api.example.com')).toMatchObject({ id: 'RecC' });
  expect(index.get('dns')).toMatchObject({ file: 'dns.json', id: 'RecA' });
  expect(dnsSource(f)).toMatchObject({ file: 'dns.json', id: 'RecA' });
  expect(factFiles(index).sort()).toEqual(['dns.json', 'keys.json']);
});

test('facts without DNS have no DNS source and no `dns` entry', () => {
  const set = factsFromTemplates([{ file: 'keys.json', stackName: 'keys', region: 'us-east-1', template: { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: {} } } } }]);
  const f = set.facts[0] as Facts;
  expect(dnsSource(f)).toBeUndefined();
  expect(factSources(f).has('dns')).toBe(false);
});
