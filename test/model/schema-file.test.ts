import { readFileSync } from 'fs';
import { join } from 'path';
import { renderSpecJsonSchema } from '../../lib/model/schema-file';

test('schema/meridian.schema.json is current (regenerate with `npm run gen:schema`)', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'schema', 'meridian.schema.json'), 'utf8');
  expect(committed).toBe(renderSpecJsonSchema());
});
