// Lint (`npm run lint`, run by `npm test` after the typecheck): typescript-eslint's recommended rules,
// no style rules (formatting is not linted).
//
// Product code (src, webview, bench, scripts): the full recommendedTypeChecked set.
// Tests: the same type-checked set minus no-explicit-any and the no-unsafe-* family. Tests read
//   loosely typed answers (JSON, `as any`) on purpose; those rules made 2,500 of the 2,800 findings
//   in test/ and say nothing about whether a test can fail. The type information stays because it
//   does find tests that cannot fail or cannot explain a failure: an un-awaited promise
//   (no-floating-promises, no-misused-promises: a session close racing the next one in
//   walkthrough.e2e) and failure messages printing "[object Object]" (no-base-to-string, 12 helpers).
//
// Cost, measured uncached (CI lints a clean clone) on the 2-core machine while other sessions ran
// (load 6-20, so ±25% noise), CPU seconds of one single-threaded `eslint .`, 3 rounds each:
//   product files typed, tests not linted                        38 / 47 / 53 s
//   product files typed + tests with the untyped `recommended`   44 / 46 / 59 s
//   product files typed + tests typed as above (this config)     44 / 52 / 55 / 57 s
//   for scale, `tsc --noEmit -p .` (the typecheck step)          11 / 28 s
//   `npm run lint` again with its cache (.cache/eslint/): nothing changed 2 s, one file changed 10-12 s
//   (the cache keys on each file's own content: a file whose imports changed keeps its cached result
//   until it changes itself or the cache is deleted; CI has no cache)
// Most of the cost is TypeScript checking the program (500k lines of AWS SDK / VS Code / Playwright
// declarations), paid once for product and tests together; typed tests cost ~8-10 s more than untyped ones.
// The untyped alternative for tests: lint test/ with tseslint.configs.recommended and a tsconfig
// without test/ (no parserOptions.project for test files).
//
// Rules changed from the recommended sets, each for a stated reason:
// - no-unused-vars: a leading `_` marks a parameter / binding as deliberately unused (a hook's
//   argument, a member dropped by `{ a: _a, ...rest }`), as the code base already writes it.
// - require-await: off. An `async` method without `await` is how the code satisfies a
//   Promise-returning interface (Command.run, durability hooks, test doubles); rewriting it as
//   `() => Promise.resolve(...)` would turn a throw into a synchronous throw, a change in behaviour.
//   A forgotten `await` is what no-floating-promises catches.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const productFiles = ['src/**/*.ts', 'webview/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];
const testFiles = ['test/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: [...productFiles, ...testFiles],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './webview/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: testFiles,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
