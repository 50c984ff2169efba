// One transaction on one pooled connection, for every PostgreSQL user in odbadge (the store, the host gate).
import type pg from 'pg';

/**
 * Runs `fn` between BEGIN and COMMIT on a connection of `pool`; rolls back when it throws. A deadlock or
 * serialization victim is run again (up to 5 times). A connection that broke is closed, not given back to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const c = await pool.connect();
    // pg-pool takes its own 'error' listener off a client while it is checked out, and a connection the server
    // drops (a restart) then emits 'error' with nobody listening — an uncaught exception that ends the process.
    // The statement in progress rejects with the same error, so listening is all this has to do.
    let broken = false;
    const onError = () => (broken = true);
    c.on('error', onError);
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      if (!broken) await c.query('ROLLBACK').catch(() => (broken = true));
      const code = (e as { code?: string }).code;
      if ((code === '40P01' || code === '40001') && attempt < 5) continue;
      throw e;
    } finally {
      c.off('error', onError);
      c.release(broken);
    }
  }
}
