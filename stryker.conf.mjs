// Stryker (https://stryker-mutator.io) for the fn-calls command, js/cli/. Run it through scripts/mutants.sh; the
// results and the accepted survivors are in docs/mutation-testing.md.
//
// npm has no Stryker runner for node:test, so this uses the command runner: for every mutant it copies js/cli into
// pkg/bin (the command the tests run as a subprocess; the mutant is switched on through the environment, which the
// subprocess inherits) and runs the CLI suite (tests/js/cli.test.mjs, tests/js/cli-*.test.mjs). Every mutant costs a
// whole suite run (minutes), so narrow a run with
//   STRYKER_MUTATE   files or ranges to mutate, comma-separated (default: every file of js/cli), e.g. js/cli/fetch.mjs:100-130
//   STRYKER_TESTS    a regular expression of the test names to run (default: all but the npm-pack test)
//   STRYKER_TEST_FILES  the test files to run, space-separated (default: the CLI suite), e.g. the unit tests of one
//                    module, tests/js/cli-args.test.mjs, which take seconds where the CLI suite takes minutes
//   STRYKER_REPORT, STRYKER_TEMP_DIR  where the JSON report and the sandboxes go (for runs side by side)
// pkg/ must have been built (bash scripts/build.sh) before a run.
const mutate = process.env.STRYKER_MUTATE ? process.env.STRYKER_MUTATE.split(',') : ['js/cli/**/*.mjs'];
// The npm-pack test checks packaging, not the command's logic, and installs the package for every mutant.
const tests = process.env.STRYKER_TESTS ?? '^(?!the package installs)';
const files = process.env.STRYKER_TEST_FILES ?? 'tests/js/cli.test.mjs tests/js/cli-*.test.mjs';

export default {
  testRunner: 'command',
  commandRunner: {
    // www/node_modules is not copied: tests/js/www-data.test.mjs links the package there as npm would.
    command: `cp js/cli/*.mjs pkg/bin/ && node --test --test-name-pattern='${tests.replace(/'/g, "'\\''")}' ${files}`,
  },
  mutate,
  // Only what the tests need is copied to the sandbox (Stryker always leaves out node_modules and .git): js/cli, and the
  // dashboard's sources for the unit tests of its own logic (tests/js/www-*.test.mjs).
  ignorePatterns: ['/target', '/www/node_modules', '/www/dist', '/www/public', '/fuzz', '/bench', '/docs', '/src', '/examples', '/.tools', '/test-results', '/tests/browser', '/tests/conformance', '/tests/packaging'],
  concurrency: 1,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: process.env.STRYKER_REPORT ?? 'test-results/mutation/stryker.json' },
  tempDirName: process.env.STRYKER_TEMP_DIR ?? 'test-results/stryker-tmp',
  cleanTempDir: true,
};
