/**
 * Writes every generated file from its source of truth. `npm run gen` after changing a rule (or the spec
 * schema); test/policy/generated.test.ts fails when a committed copy is stale.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { renderCatalogTypes } from '../lib/model/catalog-types-file';
import { renderSpecJsonSchema } from '../lib/model/schema-file';
import { renderRulesMarkdown } from '../lib/policy/rules-doc';
import { withRecoveryBlock } from './readme-recovery';

export interface GeneratedFile {
  /** Path relative to the repository root. */
  readonly path: string;
  readonly render: () => string;
}

export const ROOT = join(__dirname, '..');

/** Add new generated files here; the staleness test checks every entry. */
export const GENERATED_FILES: readonly GeneratedFile[] = [
  { path: 'RULES.md', render: () => renderRulesMarkdown() },
  { path: 'schema/meridian.schema.json', render: renderSpecJsonSchema },
  { path: 'lib/model/catalog-types.ts', render: renderCatalogTypes },
  // Only the block between the recovery markers is generated; the rest of the README is hand-written.
  { path: 'README.md', render: () => withRecoveryBlock(readFileSync(join(ROOT, 'README.md'), 'utf8'), ROOT) },
];

/** Generated files whose committed text differs from what the generator would write. */
export function staleFiles(root = ROOT): string[] {
  return GENERATED_FILES.filter((f) => {
    let current: string | undefined;
    try {
      current = readFileSync(join(root, f.path), 'utf8');
    } catch {
      current = undefined;
    }
    return current !== f.render();
  }).map((f) => f.path);
}

if (require.main === module) {
  for (const f of GENERATED_FILES) {
    writeFileSync(join(ROOT, f.path), f.render());
    console.log(`wrote ${f.path}`);
  }
}
