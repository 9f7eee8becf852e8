// MySQL views (information_schema's normalised VIEW_DEFINITION) -> Postgres CREATE VIEW, through the parse tree.
import { quoteIdent as qi } from '../plan/expression.js';
import { fitIdentifier } from '../plan/names.js';
import { ExpressionTranslator, pgTypeOf, type RoutineSignature, type RoutineTable } from './expression.js';
import type { ParseNode, RoutineParsers } from './parsers.js';
import { childrenOf, isTerminal, kindOf, nameParts, Untranslatable } from './tree.js';

export interface ViewSource {
  name: string;
  /** information_schema.VIEWS.VIEW_DEFINITION: the server's normalised SELECT. */
  sql: string;
}

export interface ViewPlanInput {
  schema: string;
  database: string;
  tables: RoutineTable[];
  views: ViewSource[];
  /** The migrated functions views may call. */
  routines?: Map<string, RoutineSignature>;
}

export interface PlannedView {
  source: ViewSource;
  /** Target view name. */
  name: string;
  /** CREATE VIEW ..., accepted by Postgres's parser. */
  sql: string;
  /** Source names of the other views it reads: created before it. */
  dependsOn: string[];
  /** What behaves differently from MySQL, in words. */
  changes: string[];
  /** Its columns as later views read them. */
  columns: { name: string; pgType: string }[];
}

export interface ViewPlan {
  /** In dependency order. */
  planned: PlannedView[];
  refused: { source: ViewSource; why: string }[];
}

/** Reads a view's SELECT with MySQL's result semantics kept (division scale, NULL for / 0, 0/1 comparisons). */
class ViewTranslator extends ExpressionTranslator {
  constructor(source: string, schema: string, database: string, tables: Map<string, RoutineTable>, routines: Map<string, RoutineSignature>) {
    super(source, schema, database, tables, null, routines);
    this.mysqlResults = true;
  }
}

export function planViews(input: ViewPlanInput, parsers: RoutineParsers): ViewPlan {
  const tables = new Map(input.tables.map((t) => [t.sourceName.toLowerCase(), t]));
  const byName = new Map(input.views.map((v) => [v.name.toLowerCase(), v]));
  const planned: PlannedView[] = [];
  const refused: ViewPlan['refused'] = [];
  const trees = new Map<ViewSource, { tree: ParseNode; reads: string[] } | { why: string }>();
  for (const view of input.views) {
    const { tree, errors } = parsers.parseMysql(view.sql);
    if (errors.length) {
      trees.set(view, { why: `the MySQL parser does not read it (${errors[0]})` });
      continue;
    }
    const reads = [...new Set(tableNames(tree, input.database).filter((n) => byName.has(n) && n !== view.name.toLowerCase()))];
    trees.set(view, { tree, reads: reads.map((n) => byName.get(n)!.name) });
  }

  // A view reading another comes after it; MySQL has no cycles among views.
  const done = new Map<string, 'planned' | 'refused'>();
  const visit = (view: ViewSource, path: Set<string>) => {
    const key = view.name.toLowerCase();
    if (done.has(key)) return;
    const parsed = trees.get(view)!;
    if ('why' in parsed) {
      refused.push({ source: view, why: parsed.why });
      done.set(key, 'refused');
      return;
    }
    path.add(key);
    for (const dependency of parsed.reads) if (!path.has(dependency.toLowerCase())) visit(byName.get(dependency.toLowerCase())!, path);
    path.delete(key);
    const missing = parsed.reads.filter((d) => done.get(d.toLowerCase()) !== 'planned');
    if (missing.length) {
      refused.push({ source: view, why: `it reads view${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not translated` });
      done.set(key, 'refused');
      return;
    }
    const result = translateView(view, parsed.tree, parsed.reads, input, tables, parsers);
    if ('why' in result) {
      refused.push(result);
      done.set(key, 'refused');
      return;
    }
    planned.push(result);
    done.set(key, 'planned');
    // Later views read this one as a table of its output columns.
    tables.set(key, { sourceName: view.name, name: result.name, columns: result.columns, identity: null });
  };
  for (const view of input.views) visit(view, new Set());
  return { planned, refused };
}

function translateView(view: ViewSource, tree: ParseNode, reads: string[], input: ViewPlanInput, tables: Map<string, RoutineTable>, parsers: RoutineParsers): PlannedView | { source: ViewSource; why: string } {
  const statements = childrenOf(tree).filter((c) => !isTerminal(c));
  if (statements.length !== 1) return { source: view, why: 'the MySQL parser reads its definition as more than one statement' };
  const translator = new ViewTranslator(view.sql, input.schema, input.database, tables, input.routines ?? new Map());
  const name = fitIdentifier(view.name);
  try {
    const result = translator.query(statements[0]);
    const names = result.names;
    const unnamed = names.findIndex((n) => n === null);
    if (unnamed >= 0) return { source: view, why: `its column ${unnamed + 1} has no name` };
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n!)) return { source: view, why: `it has two columns named ${n}` };
      seen.add(n!);
    }
    const sql = `CREATE VIEW ${qi(input.schema)}.${qi(name)} AS ${result.sql}`;
    try {
      parsers.checkPostgres(sql);
    } catch (error) {
      return { source: view, why: `Postgres's parser rejects the translation: ${(error as Error).message}` };
    }
    const changes = [...translator.changes];
    if (result.exprs.some((e) => e.type === 'boolean')) changes.push('tinyint(1) columns it selects are boolean, as in the migrated tables (MySQL shows 0 and 1)');
    return {
      source: view, name, sql, dependsOn: reads, changes,
      columns: names.map((n, i) => ({ name: n!, pgType: pgTypeOf(result.exprs[i]) })),
    };
  } catch (error) {
    if (error instanceof Untranslatable) return { source: view, why: `${error.message} is not translated` };
    throw error;
  }
}

/** Every table name the definition reads (lower case, database qualifier dropped when it is this database). */
function tableNames(node: ParseNode, database: string): string[] {
  if (isTerminal(node)) return [];
  if (kindOf(node) === 'TableName') {
    const parts = nameParts(node);
    if (parts.length === 1) return [parts[0].toLowerCase()];
    if (parts.length === 2 && parts[0].toLowerCase() === database.toLowerCase()) return [parts[1].toLowerCase()];
    return [];
  }
  return childrenOf(node).flatMap((c) => tableNames(c, database));
}
