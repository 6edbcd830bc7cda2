// Flat config: typescript-eslint's recommended rules, plus the project's import boundaries.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/cdk.out/**', '**/cdktf.out/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The full provider index costs ~1.3 s and ~0.5 GB to load; only deep imports are allowed.
      'no-restricted-imports': ['error', { paths: [{ name: '@cdktf/provider-aws', message: 'Import by deep path, e.g. @cdktf/provider-aws/lib/vpc.' }] }],
    },
  },
  {
    // Plain CommonJS apps that scripts/pack-check.sh copies into fresh folders, as a user writes them.
    files: ['scripts/pack-fixtures/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Benchmarks load heavy renderers lazily, per case, so a filtered run does not pay for them.
    files: ['bench/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The pure layers stay free of renderer libraries so `meridian-geo/policy` loads fast anywhere.
    files: ['lib/model/**', 'lib/policy/**', 'lib/facts/**', 'lib/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdktf', '@cdktf/*'], message: 'The pure layers must not load a renderer.' },
      ] }],
    },
  },
);
