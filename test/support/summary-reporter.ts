/**
 * mocha's spec reporter plus one closing line, `N passed, N failed[, N skipped]`,
 * that CI reads to count the tests.
 */
import Mocha from 'mocha';

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const stats = runner.stats;
      if (!stats) return;
      const skipped = stats.pending ? `, ${stats.pending} skipped` : '';
      process.stdout.write(`\nmocha: ${stats.passes} passed, ${stats.failures} failed${skipped}\n`);
    });
  }
}

export = SummaryReporter;
