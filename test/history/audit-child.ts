// A child process for the kill tests: `odbadge audit` exactly as the CLI runs it, except that it announces the
// scoring phase on stdout and then waits there forever, so the test can SIGKILL it at that precise moment.
import { auditCommand } from '../../src/cli/audit-command.ts';

const [catalog, out, db] = process.argv.slice(2);
const code = await auditCommand(
  { catalog, out, db, allowPrivateNetwork: true, quiet: true },
  {
    onPhase: async () => {
      process.stdout.write('PHASE scoring\n');
      await new Promise(() => setInterval(() => {}, 1000));
    },
  },
);
process.exitCode = code;
