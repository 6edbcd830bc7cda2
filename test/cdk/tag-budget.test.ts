/**
 * The tag budget the spec validation promises: a resource takes 50 tags (TAGS.perResource) and the spec
 * may carry at most MAX_USER_TAGS of its own, because Meridian and the renderers add at most
 * TAGS.meridianPerResource. Counted here on every tagged resource of every example, from the synthesized
 * CloudFormation and Terraform, so a new tag (ours or the renderer's, such as aws-cdk-lib's
 * `aws-cdk:subnet-*` on subnets) that breaks the promise fails here instead of at deploy time.
 * Tags whose key starts with `aws:` are not counted against the limit (TAGS.source).
 */
import { MAX_USER_TAGS, TAGS } from '../../lib/model';
import { cdkTemplates, EXAMPLE_NAMES, exampleSpec, terraformJson, type ExampleName } from '../support/outputs';

type Counted = { resource: string; count: number; keys: string[] };

function userTagKeys(example: ExampleName): Set<string> {
  const spec = exampleSpec(example) as { tags?: Record<string, string> };
  return new Set(Object.keys(spec.tags ?? {}));
}

const counted = (keys: string[], user: Set<string>): string[] => keys.filter((k) => !k.startsWith(TAGS.reservedPrefix) && !user.has(k));

function cloudFormationCounts(example: ExampleName): Counted[] {
  const user = userTagKeys(example);
  const out: Counted[] = [];
  for (const [stack, template] of Object.entries(cdkTemplates(example))) {
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      const tags = (resource as { Properties?: { Tags?: unknown } }).Properties?.Tags;
      let keys: string[] = [];
      if (Array.isArray(tags)) keys = tags.map((t) => String((t as { Key?: unknown }).Key));
      else if (tags && typeof tags === 'object') keys = Object.keys(tags);
      if (keys.length > 0) out.push({ resource: `${stack}/${id}`, count: counted(keys, user).length, keys });
    }
  }
  return out;
}

function terraformCounts(example: ExampleName): Counted[] {
  const user = userTagKeys(example);
  const out: Counted[] = [];
  for (const [type, byName] of Object.entries(terraformJson(example).resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const tags = (body as { tags?: unknown }).tags;
      const keys = tags && typeof tags === 'object' ? Object.keys(tags) : [];
      if (keys.length > 0) out.push({ resource: `${type}.${name}`, count: counted(keys, user).length, keys });
    }
  }
  return out;
}

describe.each(EXAMPLE_NAMES)('tag budget of %s', (example) => {
  test.each([['CloudFormation', cloudFormationCounts], ['Terraform', terraformCounts]] as const)('%s: no resource carries more than TAGS.meridianPerResource tags besides the user\'s', (_, count) => {
    // WHEN
    const rows = count(example);
    // THEN
    expect(rows.length).toBeGreaterThan(20);
    const over = rows.filter((r) => r.count > TAGS.meridianPerResource);
    expect(over).toEqual([]);
  });
});

test('the budget is tight: some example resource carries exactly TAGS.meridianPerResource tags, so MAX_USER_TAGS is not lower than it must be', () => {
  // WHEN
  const most = Math.max(...EXAMPLE_NAMES.flatMap((e) => [...cloudFormationCounts(e), ...terraformCounts(e)].map((r) => r.count)));
  // THEN
  expect(most).toBe(TAGS.meridianPerResource);
  expect(MAX_USER_TAGS + TAGS.meridianPerResource).toBe(TAGS.perResource);
});
