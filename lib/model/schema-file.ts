import { specJsonSchema } from './spec';

/** The editor schema file's exact text, so a test can tell when the committed copy is stale. */
export function renderSpecJsonSchema(): string {
  const schema = {
    ...specJsonSchema(),
    $id: 'https://meridian-geo.dev/schema/meridian.schema.json',
    title: 'Meridian multi-region topology spec',
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
