/**
 * Every cdk.json of the repository (the default app's and each example's) sets the feature flags that
 * the installed aws-cdk-lib recommends, with the recommended values, so what our snapshots, cdk-nag,
 * cfn-guard and policy tests check is what a user's `cdk init` app synthesizes. An aws-cdk-lib upgrade
 * that recommends a new flag fails here until `npm run flags` writes it (scripts/feature-flags.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { FLAGS } from 'aws-cdk-lib/cx-api';
import { MERIDIAN_CONTEXT, cdkJsonContext, cdkJsonFiles, contextDrift, recommendedFlags, withRecommendedFlags } from '../../scripts/feature-flags';

const ROOT = path.join(__dirname, '..', '..');

test('the repository has a cdk.json for the default app and for every CDK example', () => {
  expect(cdkJsonFiles()).toEqual([
    'cdk.json',
    path.join('examples', 'active-active', 'cdk.json'),
    path.join('examples', 'active-passive', 'cdk.json'),
    path.join('examples', 'partitioned-residency', 'cdk.json'),
    path.join('examples', 'with-services', 'cdk.json'),
  ]);
});

test.each(cdkJsonFiles())('%s sets every recommended flag and Meridian\'s own context (else: npm run flags)', (file) => {
  expect(contextDrift(cdkJsonContext(file))).toEqual([]);
});

test('aws-cdk-lib recommends flags, and weak cross-stack references are among them', () => {
  // A guard on the source itself: an empty or renamed export would make every cdk.json trivially pass.
  expect(Object.keys(recommendedFlags()).length).toBeGreaterThan(50);
  expect(recommendedFlags()['@aws-cdk/core:defaultCrossStackReferences']).toBe(MERIDIAN_CONTEXT['@aws-cdk/core:defaultCrossStackReferences']);
});

test('a flag the installed CLI\'s `cdk init` writes and aws-cdk-lib knows has the same value in our cdk.json', () => {
  // What a new user's cdk.json holds: the CLI's init template. Flags this aws-cdk-lib does not know
  // (a newer CLI) do nothing here and are left out.
  const file = path.join(path.dirname(require.resolve('aws-cdk/package.json')), 'lib', 'init-templates', '.recommended-feature-flags.json');
  const cliFlags = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const known = Object.entries(cliFlags).filter(([flag]) => flag in FLAGS);
  expect(known.length).toBeGreaterThan(50);
  const context = cdkJsonContext('cdk.json');
  expect(known.filter(([flag, value]) => JSON.stringify(context[flag]) !== JSON.stringify(value)).map(([flag]) => flag)).toEqual([]);
});

describe('the drift check and the writer', () => {
  test('a context without the flags is reported flag by flag, naming the expected value', () => {
    const drift = contextDrift({ '@aws-cdk/core:appMode': 'process' });
    expect(drift).toHaveLength(Object.keys({ ...recommendedFlags(), ...MERIDIAN_CONTEXT }).length - 1);
    expect(drift).toContain('@aws-cdk/core:defaultCrossStackReferences: expected "weak", found nothing');
  });

  test('a flag set against the recommendation is reported with both values', () => {
    const context = { ...cdkJsonContext('cdk.json'), '@aws-cdk/aws-iam:minimizePolicies': false };
    expect(contextDrift(context)).toEqual(['@aws-cdk/aws-iam:minimizePolicies: expected true, found false']);
  });

  test('the writer keeps the app command and other keys, and what it writes has no drift', () => {
    const text = JSON.stringify({ app: 'node app.js', watch: { include: ['lib'] }, context: { mine: 1, '@aws-cdk/aws-iam:minimizePolicies': false } });
    const written = JSON.parse(withRecommendedFlags(text)) as { app: string; watch: unknown; context: Record<string, unknown> };
    expect(written.app).toBe('node app.js');
    expect(written.watch).toEqual({ include: ['lib'] });
    expect(written.context.mine).toBe(1);
    expect(contextDrift(written.context)).toEqual([]);
  });

  test('the committed cdk.json files are exactly what the writer produces (formatting included)', () => {
    for (const file of cdkJsonFiles()) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      expect({ file, text: withRecommendedFlags(text) }).toEqual({ file, text });
    }
  });
});
