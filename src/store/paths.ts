// Where the history store lives unless --db says otherwise: $ODBADGE_HOME/odbadge.db, else
// $XDG_DATA_HOME/odbadge/odbadge.db, else ~/.local/share/odbadge/odbadge.db (the XDG default).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ODBADGE_HOME) return join(env.ODBADGE_HOME, 'odbadge.db');
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'odbadge', 'odbadge.db');
}
