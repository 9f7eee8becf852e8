// What the benchmarks share: options, the MarketHub-shaped source database at a scale, fresh targets.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

// dist/scripts/bench -> the project root
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BENCH_SQL = process.env.MARKETHUB_BENCH_SQL ?? path.resolve(ROOT, '../shared/bench/markethub-mysql.sql');
export const MYSQL = { host: '127.0.0.1', port: 3306, user: 'root' };
const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432';

export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export function die(message: string): never {
  console.error(`${path.basename(process.argv[1] ?? 'bench', '.js')}: ${message}`);
  process.exit(1);
}

export function mysqlCli(database: string, sql: string): string {
  const result = spawnSync('mysql', ['-h', MYSQL.host, '-P', String(MYSQL.port), '-u', MYSQL.user, '-N', '-B', database], { input: sql, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) die(`mysql: ${result.stderr.trim()}`);
  return result.stdout;
}

export async function freshPostgres(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: `${PG_ADMIN}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return `${PG_ADMIN}/${name}`;
}


/** The source database for `--scale N` (generated once and kept; `--regenerate` makes it anew). */
export function prepareBenchDatabase(): { scale: string; database: string; source: string } {
  const scale = option('scale', '1');
  if (!/^\d+(\.\d+)?$/.test(scale) || Number(scale) <= 0) die(`--scale must be a positive number, got ${scale}`);
  if (!existsSync(BENCH_SQL)) die(`benchmark SQL not found at ${BENCH_SQL} (set MARKETHUB_BENCH_SQL)`);
  if (!existsSync(path.join(ROOT, 'dist/cli/index.js'))) die('build first: npm run build');
  const database = `mh_bench_s${scale.replace('.', '_')}`;
  const exists = mysqlCli('mysql', `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${database}'`).trim() === '8';
  if (!exists || process.argv.includes('--regenerate')) {
    console.log(`generating ${database} at scale ${scale} ...`);
    mysqlCli('mysql', `DROP DATABASE IF EXISTS \`${database}\`; CREATE DATABASE \`${database}\``);
    mysqlCli(database, `SET @scale = ${scale};\n${readFileSync(BENCH_SQL, 'utf8')}\nANALYZE TABLE users, vendors, categories, products, product_images, reviews, orders, order_items;`);
  }
  return { scale, database, source: `mysql://${MYSQL.user}@${MYSQL.host}:${MYSQL.port}/${database}` };
}
