/**
 * The editor JSON Schema (schema/meridian.schema.json) must compile under Ajv's strict mode, which is
 * what editors and CI validators use: unknown keywords or formats are errors there, not warnings.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'meridian.schema.json'), 'utf8')) as Record<string, unknown>;

function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

describe('schema/meridian.schema.json', () => {
  test('compiles under Ajv strict mode', () => {
    // WHEN / THEN: strict mode throws on an unknown format such as zod's "starts_with"
    expect(() => strictAjv().compile(schema)).not.toThrow();
  });

  test('carries no format Ajv does not know and no ±2^53 bounds', () => {
    const text = JSON.stringify(schema);
    expect(text).not.toContain('"format":"starts_with"');
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });

  test('accepts the example spec and rejects a health-check path without a leading slash', () => {
    // GIVEN
    const validate = strictAjv().compile(schema);
    const spec = parse(readFileSync(join(ROOT, 'examples', 'specs', 'orders.yaml'), 'utf8')) as Record<string, unknown>;
    // THEN: the example passes
    expect(validate(spec)).toBe(true);
    // WHEN the path loses its leading slash (the check zod's startsWith('/') expresses as a pattern)
    const dns = spec.dns as Record<string, unknown>;
    const bad = { ...spec, dns: { ...dns, healthCheck: { ...(dns.healthCheck as object), path: 'health' } } };
    // THEN the pattern still rejects it
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`)).toContain('/dns/healthCheck/path pattern');
  });
});
