// What the benchmarks share: options, the MarketHub-shaped source database at a scale, fresh targets.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import { LOAD_SESSION, SHOP_TABLES, shopLoadPlan, shopSize, totalRows } from './shop-generator.js';

export const ROOT = PROJECT_ROOT;
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
export async function prepareBenchDatabase(): Promise<{ scale: string; database: string; source: string }> {
  const scale = option('scale', '1');
  if (!/^\d+(\.\d+)?$/.test(scale) || Number(scale) <= 0) die(`--scale must be a positive number, got ${scale}`);
  if (!existsSync(path.join(ROOT, 'dist/cli/index.js'))) die('build first: npm run build');
  const database = `mh_shop_s${scale.replace('.', '_')}`;
  const tables = mysqlCli('mysql', `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${database}'`).trim();
  if (tables !== String(SHOP_TABLES.length) || process.argv.includes('--regenerate')) {
    const started = performance.now();
    console.log(`generating ${database} at scale ${scale} (${totalRows(shopSize(Number(scale))).toLocaleString('en')} rows) ...`);
    mysqlCli('mysql', `DROP DATABASE IF EXISTS \`${database}\`; CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
    await generateShop(database, Number(scale));
    console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return { scale, database, source: `mysql://${MYSQL.user}@${MYSQL.host}:${MYSQL.port}/${database}` };
}

/** Runs each step of the shop's load plan with its statements spread over a few connections at once. */
async function generateShop(database: string, scale: number): Promise<void> {
  const plan = shopLoadPlan(scale);
  const uri = `mysql://${MYSQL.user}@${MYSQL.host}:${MYSQL.port}/${database}`;
  const connections = await Promise.all(Array.from({ length: 3 }, () => mysql.createConnection({ uri })));
  try {
    for (const c of connections) await c.query(LOAD_SESSION);
    for (const step of [plan.create, plan.load, plan.keys, [plan.analyze]]) {
      const queue = [...step];
      await Promise.all(connections.map(async (c) => {
        for (let statement = queue.shift(); statement; statement = queue.shift()) await c.query(statement);
      }));
    }
  } finally {
    await Promise.all(connections.map((c) => c.end()));
  }
}
