/**
 * Every stateful resource of every example (database clusters, global clusters, tables, keys, log
 * groups, secrets, hosted zones) survives stack deletion (DeletionPolicy Retain or Snapshot) and has
 * deletion protection where its type offers it.
 */
import { EXAMPLE_APPS, cdkTemplates } from '../support/outputs';

const STATEFUL: Record<string, { deletionProtection?: (props: Record<string, unknown>) => unknown[] }> = {
  'AWS::RDS::DBCluster': { deletionProtection: (p) => [p.DeletionProtection] },
  'AWS::RDS::GlobalCluster': { deletionProtection: (p) => [p.DeletionProtection] },
  'AWS::DynamoDB::GlobalTable': {
    deletionProtection: (p) => (p.Replicas as Array<Record<string, unknown>>).map((r) => r.DeletionProtectionEnabled),
  },
  'AWS::DynamoDB::Table': { deletionProtection: (p) => [p.DeletionProtectionEnabled] },
  'AWS::KMS::Key': {},
  'AWS::Logs::LogGroup': {},
  'AWS::SecretsManager::Secret': {},
  'AWS::Route53::HostedZone': {},
};
const KEEPS = ['Retain', 'Snapshot', 'RetainExceptOnCreate'];

describe.each(EXAMPLE_APPS)('stateful resources of examples/%s', (name) => {
  // The run's shared cloud assembly of the example (test/support/outputs.ts).
  const templates = cdkTemplates(name);
  interface CfnResourceJson { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
  const found: Array<{ stack: string; id: string; type: string; resource: CfnResourceJson }> = [];
  for (const [stackName, template] of Object.entries(templates)) {
    const resources = template.Resources as Record<string, CfnResourceJson>;
    for (const [id, resource] of Object.entries(resources)) {
      if (STATEFUL[resource.Type]) found.push({ stack: stackName, id, type: resource.Type, resource });
    }
  }

  test('the enumeration finds the expected families', () => {
    const types = new Set(found.map((f) => f.type));
    for (const t of ['AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::Route53::HostedZone']) expect(types).toContain(t);
    expect(types.has('AWS::RDS::DBCluster') || types.has('AWS::DynamoDB::GlobalTable')).toBe(true);
  });

  test('every stateful resource keeps its data on delete and replacement', () => {
    const bad = found
      .filter((f) => !KEEPS.includes(f.resource.DeletionPolicy ?? 'Delete') || !KEEPS.includes(f.resource.UpdateReplacePolicy ?? 'Delete'))
      .map((f) => `${f.stack}/${f.id} (${f.type}): DeletionPolicy ${f.resource.DeletionPolicy}, UpdateReplacePolicy ${f.resource.UpdateReplacePolicy}`);
    expect(bad).toEqual([]);
  });

  test('deletion protection is on wherever the type has it', () => {
    const bad = found
      .filter((f) => {
        const protection = STATEFUL[f.type]?.deletionProtection;
        return protection !== undefined && !protection(f.resource.Properties).every((v) => v === true);
      })
      .map((f) => `${f.stack}/${f.id} (${f.type})`);
    expect(bad).toEqual([]);
  });
});
