// The two real parsers routines are translated with, loaded on first use only: the MySQL grammar alone
// takes about a second to load, which a migration without triggers never pays.
import { register } from 'node:module';

/** What the translation reads of an ANTLR parse tree node (rule context or terminal). */
export interface ParseNode {
  readonly children?: ParseNode[] | null;
  readonly start?: { start: number } | null;
  readonly stop?: { stop: number } | null;
  /** Terminals only. */
  readonly symbol?: { text?: string | null } | null;
  getText(): string;
}

export interface MysqlParseResult {
  tree: ParseNode;
  errors: string[];
}

export interface RoutineParsers {
  /** dt-sql-parser's MySQL grammar (ANTLR): the whole statement, compound bodies included. */
  parseMysql(sql: string): MysqlParseResult;
  /** libpg_query, Postgres's own parser: throws with Postgres's message when `sql` does not parse. PL/pgSQL bodies are parsed too. */
  checkPostgres(sql: string): void;
}

// dt-sql-parser ships ES modules whose relative imports name neither the file extension nor index.js,
// which bundlers accept and Node's resolver does not. This hook completes them, for that package only.
const RESOLVE_HOOK = `
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); }
  catch (error) {
    if (!specifier.startsWith('.') || !context.parentURL || !context.parentURL.includes('/dt-sql-parser/')) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try { return await next(specifier + suffix, context); } catch {}
    }
    throw error;
  }
}`;

let loading: Promise<RoutineParsers> | null = null;

export function loadRoutineParsers(): Promise<RoutineParsers> {
  loading ??= load();
  return loading;
}

async function load(): Promise<RoutineParsers> {
  register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`);
  // The MySQL dialect alone: the package's index loads every dialect it has, twice the time.
  const [{ MySQL }, pg] = await Promise.all([import('dt-sql-parser/dist/parser/mysql/index.js'), import('libpg-query')]);
  await pg.loadModule();
  const mysql = new MySQL();
  return {
    parseMysql(sql) {
      const errors: string[] = [];
      const tree = mysql.parse(sql, (error) => errors.push(`line ${error.startLine}:${error.startColumn}: ${error.message}`));
      return { tree: tree as unknown as ParseNode, errors };
    },
    checkPostgres(sql) {
      pg.parseSync(sql);
      if (/^\s*CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\b/i.test(sql)) pg.parsePlPgSQLSync(sql);
    },
  };
}

/** Postgres's parser's message for the first statement it rejects, or null when it accepts them all. */
export function postgresRejects(sql: string[], parsers: RoutineParsers): string | null {
  for (const statement of sql) {
    try {
      parsers.checkPostgres(statement);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return null;
}

/** A dollar-quoted body: a tag the text does not contain. */
export function dollarQuoted(text: string): string {
  let tag = '$mh$';
  for (let i = 1; text.includes(tag); i++) tag = `$mh${i}$`;
  return `${tag}\n${text}\n${tag}`;
}
