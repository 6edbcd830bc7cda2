/** Writes schema/meridian.schema.json from the zod spec schema; test/model/schema-file.test.ts keeps it current. */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { renderSpecJsonSchema } from '../lib/model/schema-file';

const target = join(__dirname, '..', 'schema', 'meridian.schema.json');
writeFileSync(target, renderSpecJsonSchema());
console.log(`wrote ${target}`);
