import { defineConfig } from 'vitest/config';

// One run over every package; the JSON report is what .ci/run counts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tests/*'],
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
