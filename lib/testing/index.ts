/**
 * meridian-geo/testing: Jest helpers for apps built with Meridian.
 *
 * - a snapshot serializer that keeps synthesized templates stable across aws-cdk-lib upgrades:
 *   `snapshotSerializers: ['meridian-geo/testing']` in the Jest config, or
 *   `expect.addSnapshotSerializer(templateSerializer)` in a test; `templatesOf(app)` gives every
 *   stack's normalized template for one snapshot of a whole deployment;
 * - matchers for policy reports: `expect.extend(meridianMatchers)` (or `installMeridianMatchers()`),
 *   then `expect(report).toPassMeridianPolicy()` / `expect(report).toHaveFinding('GEO-DNS-001', …)`.
 *
 * Loads neither aws-cdk-lib nor cdktf: the serializer works on plain template JSON and the matchers
 * on the report's shape.
 */
export {
  PARSED_JSON_KEY, PLACEHOLDERS, isTemplate, normalizeTemplate, normalizeString, templateSerializer, templatesOf, test, serialize,
  type TemplateJson, type Printer, type SynthesizableApp,
} from './serializer';
export {
  meridianMatchers, toPassMeridianPolicy, toHaveFinding, describeFinding,
  type FindingLike, type FindingSeverity, type PolicyReportLike, type PassOptions, type FindingCriteria, type MatcherResult,
} from './matchers';

import { meridianMatchers } from './matchers';

/**
 * Registers the Meridian matchers with the global `expect` (call it in a Jest setup file or at the
 * top of a test file).
 *
 * @throws when there is no global `expect` (not running under Jest).
 */
export function installMeridianMatchers(): void {
  const jestExpect = (globalThis as { expect?: { extend?: (matchers: object) => void } }).expect;
  if (!jestExpect?.extend) {
    throw new Error('installMeridianMatchers: no global expect with extend(); call it inside Jest (a setup file or a test file), or pass meridianMatchers to your expect.extend');
  }
  jestExpect.extend(meridianMatchers);
}
