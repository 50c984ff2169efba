// A real PostgreSQL for the tests: the one implementation lives in scripts/local-postgres.ts (the benchmarks use it too).
export { havePostgres, postgresBin, startPostgres, type TestPostgres } from '../../scripts/local-postgres.ts';
