// The CLI as the installed package has it — dist/ built by tsc into bench/tmp/pkg, with rules/, schemas/ and seeds/
// beside it — for benchmarks that run odbadge as a user does (run from source, Node's type stripper costs ~20 MB
// more in each thread).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The CLI as the installed package has it: dist/ built by tsc, with rules/, schemas/ and seeds/ beside it. */
export async function builtCli(): Promise<string> {
  const pkg = join(ROOT, 'bench/tmp/pkg');
  await rm(join(pkg, 'dist'), { recursive: true, force: true });
  await mkdir(pkg, { recursive: true });
  for (const d of ['rules', 'schemas', 'seeds', 'package.json']) {
    if (!existsSync(join(pkg, d))) await symlink(join(ROOT, d), join(pkg, d));
  }
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], { stdio: 'inherit' });
  return join(pkg, 'dist/cli/main.js');
}

