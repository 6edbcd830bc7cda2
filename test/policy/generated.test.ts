import { readFileSync } from 'fs';
import { join } from 'path';
import { GENERATED_FILES, ROOT, staleFiles } from '../../scripts/generate';
import { RULES } from '../../lib/policy';

test('generated files (RULES.md, the JSON Schema) are current; run `npm run gen` if not', () => {
  expect(staleFiles()).toEqual([]);
});

test('RULES.md documents every rule with its severity', () => {
  expect(GENERATED_FILES.map((f) => f.path)).toContain('RULES.md');
  const doc = readFileSync(join(ROOT, 'RULES.md'), 'utf8');
  for (const r of RULES) {
    expect(doc).toContain(`## ${r.id}`);
    expect(doc).toContain(`| [${r.id}](#${r.id.toLowerCase()}) | ${r.severity} |`);
  }
});
