import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { loadTestTarget, PolicyError, runPolicyTests, type PolicyTestResult } from '../../core/policy/index';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { forStream } from '../plain-text';
import { printable } from '../../core/printable';
import { policyToCheck } from '../policy-files';

const HELP = `Usage: rampart-learn test [policy-or-suite.yaml] [--json] [--run GLOB] [--verbose]

Runs policy test cases (the Rampart test format) and reports each one. The
file defaults to ./rampart.yaml (also given as --policy).

The file is either a policy with inline tests:
  tests:
    - name: blocks rm of the root
      tool: exec
      params: { command: "rm -rf /" }
      expect: deny
      expect_message: "*destructive*"
or a suite file naming the policy (relative to the suite's directory):
  policy: ../policies/standard.yaml
  tests: [ … ]

Case keys: name, tool (default exec), agent, session, cwd, params
(command, path, url, query), expect (allow|deny|ask|watch|log) and
expect_message (a glob over the decision's message; * matches anything).

Options:
  --run GLOB   only the cases whose name matches GLOB
  --json       one JSON object per case, then a summary object:
               {"name":"…","passed":true,"expect":"deny","action":"deny",
                "policy":"…","rule":0,"message":"…","line":12}
               {"summary":{"passed":10,"failed":0,"skipped":0}}
  --verbose    also print the deciding policy, rule and message of passing cases

Exit status: 0 when every case passes, 1 when any fails, 2 for a bad file or
a --run that matches no case.
`;

function location(r: PolicyTestResult): string {
  return `${r.case.span.file}:${r.case.line}`;
}

export const command: CliCommand = {
  name: 'test',
  summary: 'Run the test cases of a policy or a test suite',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        run: { type: 'string' },
        verbose: { type: 'boolean', short: 'v', default: false },
        policy: { type: 'string' },
      },
    });
    let target;
    try {
      target = loadTestTarget(policyToCheck('test', positionals, values.policy));
    } catch (err) {
      if (err instanceof PolicyError) throw new UserError(err.message);
      throw err;
    }
    const report = runPolicyTests(target.set, target.cases, { run: values.run });
    // A --run typo in CI would otherwise pass with nothing tested.
    if (values.run !== undefined && !report.results.length && target.cases.length) {
      throw new UserError(`test: no case of ${target.cases.length} matches --run ${JSON.stringify(values.run)}`);
    }
    const out: string[] = [];
    for (const r of report.results) {
      const d = r.decision;
      if (values.json) {
        out.push(
          JSON.stringify({
            name: r.case.name,
            passed: r.passed,
            expect: r.case.expect,
            action: d.action,
            policy: d.policy,
            rule: d.rule,
            message: d.message,
            ...(r.failure ? { failure: r.failure } : {}),
            file: r.case.span.file,
            line: r.case.line,
          }),
        );
      } else if (!r.passed) {
        out.push(`${pc.red('FAIL')} ${printable(r.case.name)}\n     ${location(r)}: ${printable(r.failure ?? '')}`);
      } else {
        const by = d.policy === null ? 'default_action' : `${d.policy}#${d.rule}`;
        // Case names and messages are policy text, and a learned fragment's come from what an agent ran.
        out.push(`${pc.green('ok  ')} ${printable(r.case.name)}${values.verbose ? pc.dim(`  → ${d.action} [${by}] ${printable(d.message)}`) : ''}`);
      }
    }
    const summary = { passed: report.passed, failed: report.failed, skipped: report.skipped };
    if (values.json) out.push(JSON.stringify({ summary }));
    else {
      const skipped = report.skipped ? `, ${report.skipped} skipped` : '';
      const line = report.results.length
        ? `${report.results.length} case${report.results.length === 1 ? '' : 's'}: ${report.passed} passed, ${report.failed} failed${skipped}`
        : 'no test cases: add a tests: list to the policy (see --help)';
      out.push(report.failed ? pc.red(line) : pc.green(line));
    }
    const text = `${out.join('\n')}\n`;
    process.stdout.write(values.json ? text : forStream(process.stdout, text));
    return report.failed ? 1 : 0;
  },
};
