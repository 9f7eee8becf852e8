// One MySQL trigger (its parse tree) -> a PL/pgSQL trigger function body, statement by statement.
import { quoteIdent as qi, quoteLiteral } from '../plan/expression.js';
import { ExpressionTranslator, valueTypeOf, type Expr, type RoutineTable, type ValueType, type Variable } from './expression.js';
import type { ParseNode } from './parsers.js';
import { child, childrenOf, childrenOfKind, isTerminal, keywords, kindOf, nameParts, stringValue, unwrap } from './tree.js';

const INDENT = '  ';

export interface TriggerHeader {
  timing: 'BEFORE' | 'AFTER';
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  body: ParseNode;
}

/** The CREATE TRIGGER statement's parts; the body is a single statement or a BEGIN ... END block. */
export function triggerHeader(tree: ParseNode): TriggerHeader | { reason: string; bodyStart?: number } {
  const statements = childrenOf(tree).filter((c) => !isTerminal(c));
  let node = statements[0];
  while (node && kindOf(node) !== 'CreateTrigger') {
    const kids = childrenOf(node).filter((c) => !isTerminal(c));
    node = kids.length === 1 ? kids[0] : (undefined as unknown as ParseNode);
  }
  if (!node) return { reason: 'not a CREATE TRIGGER statement' };
  const words = keywords(node);
  const timing = words.find((w) => w === 'BEFORE' || w === 'AFTER') as TriggerHeader['timing'] | undefined;
  const event = words.find((w) => w === 'INSERT' || w === 'UPDATE' || w === 'DELETE') as TriggerHeader['event'] | undefined;
  const body = child(node, 'RoutineBody');
  if (!timing || !event || !body) return { reason: 'a trigger without BEFORE/AFTER INSERT/UPDATE/DELETE ... FOR EACH ROW' };
  // The grammar can end a lone body statement early (INSERT INTO t | SET a = 1 ...): read it again inside BEGIN ... END.
  if (statements.length > 1) return { reason: 'the MySQL parser reads its body as more than one statement', bodyStart: body.start?.start };
  return { timing, event, body };
}

/** MySQL DECLARE types -> Postgres; unknown ones are refused. */
function declaredType(node: ParseNode): string {
  const words = [...keywords(node), ...childrenOf(node).filter((c) => !isTerminal(c)).flatMap((c) => keywords(c))];
  const base = (words[0] ?? '').toUpperCase();
  const unsigned = words.includes('UNSIGNED');
  const dims = node.getText().match(/\((\d+)(?:,(\d+))?\)/);
  switch (base) {
    case 'TINYINT': case 'SMALLINT': return unsigned && base === 'SMALLINT' ? 'integer' : 'smallint';
    case 'MEDIUMINT': case 'INT': case 'INTEGER': return unsigned && base !== 'MEDIUMINT' ? 'bigint' : 'integer';
    case 'BIGINT': return unsigned ? 'numeric(20,0)' : 'bigint';
    case 'DECIMAL': case 'DEC': case 'NUMERIC': case 'FIXED': return `numeric(${dims?.[1] ?? 10},${dims?.[2] ?? 0})`;
    case 'FLOAT': return 'real';
    case 'DOUBLE': case 'REAL': return 'double precision';
    case 'CHAR': case 'VARCHAR': case 'NCHAR': case 'NVARCHAR': return dims ? `varchar(${dims[1]})` : 'varchar(1)';
    case 'TINYTEXT': case 'TEXT': case 'MEDIUMTEXT': case 'LONGTEXT': return 'text';
    case 'DATE': return 'date';
    case 'DATETIME': case 'TIMESTAMP': return `timestamptz(${dims?.[1] ?? 0})`;
    case 'TIME': return `time(${dims?.[1] ?? 0})`;
    case 'BOOL': case 'BOOLEAN': return 'boolean';
    default: throw new Error(base);
  }
}

export class TriggerTranslator extends ExpressionTranslator {
  /** Declarations of the function's outermost block. */
  readonly declarations: string[] = [];

  constructor(source: string, schema: string, database: string, tables: Map<string, RoutineTable>, table: RoutineTable, private readonly header: TriggerHeader) {
    super(source, schema, database, tables, { table, event: header.event, timing: header.timing });
  }

  /** The body's statements as PL/pgSQL lines (declarations of the outer block go to `declarations`). */
  body(): string[] {
    const inner = unwrap(this.header.body);
    if (kindOf(inner) === 'BlockStatement') return this.block(inner, 1, true);
    return this.statement(inner, 1);
  }

  private block(node: ParseNode, depth: number, outermost: boolean): string[] {
    const kids = childrenOf(node);
    if (isTerminal(kids[0]) && kids[0].getText().toUpperCase() !== 'BEGIN') this.refuse(node, 'a labelled block');
    if (child(node, 'Uid')) this.refuse(node, 'a labelled block');
    const scope = new Map<string, Variable>();
    this.variables.push(scope);
    const declarations: string[] = [];
    const lines: string[] = [];
    try {
      for (const k of kids.filter((c) => !isTerminal(c))) {
        const kind = kindOf(k);
        if (kind === 'DeclareVariable') declarations.push(...this.declare(k, scope));
        else if (kind === 'ProcedureSqlStatement') lines.push(...this.statement(k, outermost ? depth : depth + 1));
        else this.refuse(k);
      }
    } finally {
      this.variables.pop();
    }
    if (outermost) {
      this.declarations.push(...declarations);
      return lines;
    }
    const pad = INDENT.repeat(depth);
    return [...(declarations.length ? [`${pad}DECLARE`, ...declarations.map((d) => `${pad}${INDENT}${d}`)] : []), `${pad}BEGIN`, ...(lines.length ? lines : [`${pad}${INDENT}NULL;`]), `${pad}END;`];
  }

  private declare(node: ParseNode, scope: Map<string, Variable>): string[] {
    const names = nameParts(child(node, 'UidList')!);
    const typeNode = childrenOf(node).find((c) => !isTerminal(c) && kindOf(c).endsWith('DataType'));
    if (!typeNode) this.refuse(node, 'a DECLARE without a type');
    let pgType: string;
    try {
      pgType = declaredType(typeNode);
    } catch {
      this.refuse(typeNode, `variable type ${typeNode.getText()}`);
    }
    const defaultIndex = childrenOf(node).findIndex((c) => isTerminal(c) && c.getText().toUpperCase() === 'DEFAULT');
    // The default is evaluated before the names exist, as in MySQL.
    const initial = defaultIndex >= 0 ? this.coerce(this.expression(childrenOf(node)[defaultIndex + 1]), valueTypeOf(pgType)) : null;
    return names.map((name) => {
      if (scope.has(name.toLowerCase())) this.refuse(node, `variable ${name} declared twice`);
      scope.set(name.toLowerCase(), { name, pgType });
      return `${qi(name)} ${pgType}${initial ? ` := ${initial}` : ''};`;
    });
  }

  private statement(node: ParseNode, depth: number): string[] {
    const pad = INDENT.repeat(depth);
    const inner = unwrap(kindOf(node) === 'ProcedureSqlStatement' ? childrenOf(node).find((c) => !isTerminal(c))! : node);
    const kind = kindOf(inner);
    switch (kind) {
      case 'BlockStatement':
        return this.block(inner, depth, false);
      case 'IfStatement':
        return this.ifStatement(inner, depth);
      case 'SetNewValueInsideTrigger':
      case 'SetVariable':
        return this.assignments(inner).map((a) => `${pad}${a}`);
      case 'SignalStatement':
        return [`${pad}${this.signal(inner)}`];
      case 'SingleUpdateStatement':
        return [`${pad}${this.update(inner)};`];
      case 'InsertStatement':
        return [`${pad}${this.insert(inner)};`];
      case 'SingleDeleteStatement':
        return [`${pad}${this.remove(inner)};`];
      case 'QuerySpecification':
      case 'UnionAndLateralSelect':
      case 'SimpleSelect':
        return this.selectInto(inner, depth);
      default:
        return this.refuse(inner);
    }
  }

  private statements(nodes: ParseNode[], depth: number): string[] {
    const lines = nodes.flatMap((n) => this.statement(n, depth));
    return lines.length ? lines : [`${INDENT.repeat(depth)}NULL;`];
  }

  private ifStatement(node: ParseNode, depth: number): string[] {
    const pad = INDENT.repeat(depth);
    const kids = childrenOf(node);
    const condition = kids[1];
    const elseIndex = kids.findIndex((c) => isTerminal(c) && c.getText().toUpperCase() === 'ELSE');
    const thenStatements = kids.filter((c, i) => kindOf(c) === 'ProcedureSqlStatement' && (elseIndex < 0 || i < elseIndex));
    const lines = [`${pad}IF ${this.condition(condition)} THEN`, ...this.statements(thenStatements, depth + 1)];
    for (const alternative of childrenOfKind(node, 'ElseIfAlternative')) {
      const parts = childrenOf(alternative);
      lines.push(`${pad}ELSIF ${this.condition(parts[1])} THEN`, ...this.statements(parts.filter((c) => kindOf(c) === 'ProcedureSqlStatement'), depth + 1));
    }
    if (elseIndex >= 0) lines.push(`${pad}ELSE`, ...this.statements(kids.slice(elseIndex + 1).filter((c) => kindOf(c) === 'ProcedureSqlStatement'), depth + 1));
    lines.push(`${pad}END IF;`);
    return lines;
  }

  /** SET NEW.x = ..., v = ...: each target gets the value as its type holds it. */
  private assignments(node: ParseNode): string[] {
    const kids = childrenOf(node).filter((c) => !(isTerminal(c) && [',', 'SET'].includes(c.getText().toUpperCase())));
    const out: string[] = [];
    for (let i = 0; i < kids.length; i += 3) {
      const [target, operator, value] = kids.slice(i, i + 3);
      if (!value || !isTerminal(operator) || !['=', ':='].includes(operator.getText())) this.refuse(node, 'this SET');
      const parts = nameParts(target);
      if (target.getText().startsWith('@')) this.refuse(target, `user variable ${target.getText()}`);
      let sql: string;
      let type: ValueType;
      if (this.trigger && parts.length === 2 && /^new$/i.test(parts[0])) {
        if (this.trigger.timing === 'AFTER') this.refuse(target, 'SET NEW in an AFTER trigger');
        const column = this.column(this.trigger.table, parts[1], target);
        sql = `NEW.${qi(column.name)}`;
        type = valueTypeOf(column.pgType);
      } else if (parts.length === 1 && this.variable(parts[0])) {
        const variable = this.variable(parts[0])!;
        sql = qi(variable.name);
        type = valueTypeOf(variable.pgType);
      } else {
        this.refuse(target, `SET ${target.getText()}`);
      }
      out.push(`${sql} := ${this.coerce(this.expression(value), type)};`);
    }
    return out;
  }

  /** SIGNAL SQLSTATE '...' SET MESSAGE_TEXT = ... -> RAISE EXCEPTION with the same SQLSTATE and message. */
  private signal(node: ParseNode): string {
    const kids = childrenOf(node);
    const state = kids.find((c) => kindOf(c) === 'StringLiteral');
    if (!state || !keywords(node).includes('SQLSTATE')) this.refuse(node, 'SIGNAL of a named condition');
    const sqlstate = stringValue(state.getText());
    if (!/^[0-9A-Z]{5}$/.test(sqlstate) || /^0[012]/.test(sqlstate)) this.refuse(node, `SIGNAL SQLSTATE '${sqlstate}' (a warning or no-data class, or not a valid SQLSTATE)`);
    // Postgres takes the identity value before BEFORE INSERT triggers run; MySQL allocates after them.
    const trigger = this.trigger;
    if (trigger?.timing === 'BEFORE' && trigger.event === 'INSERT' && trigger.table.identity) {
      this.changes.add(`an insert this trigger refuses still takes the next ${trigger.table.identity} on Postgres (identity values are taken before BEFORE triggers run; MySQL allocates after them), so later ids can differ from MySQL's`);
    }
    let message = quoteLiteral('Unhandled user-defined exception condition');
    for (const info of childrenOfKind(node, 'SignalConditionInformation')) {
      const parts = childrenOf(info);
      const name = parts[0].getText().toUpperCase();
      const value = parts[2];
      if (name === 'MESSAGE_TEXT') {
        message = this.signalValue(value);
      } else if (name === 'MYSQL_ERRNO') {
        this.changes.add(`SIGNAL's MYSQL_ERRNO ${value.getText()} has no Postgres counterpart: the error keeps the SQLSTATE ${sqlstate} and the message`);
      } else {
        this.refuse(info, `SIGNAL ... SET ${name}`);
      }
    }
    return `RAISE EXCEPTION USING ERRCODE = ${quoteLiteral(sqlstate)}, MESSAGE = ${message};`;
  }

  private signalValue(node: ParseNode): string {
    const text = node.getText();
    if (/^['"]/.test(text)) return quoteLiteral(stringValue(text));
    if (text.startsWith('@')) this.refuse(node, `user variable ${text}`);
    const variable = this.variable(nameParts(node).join('.'));
    if (!variable) this.refuse(node, `MESSAGE_TEXT = ${text}`);
    return qi(variable.name);
  }

  private targetTable(node: ParseNode): { table: RoutineTable; alias: string | null; rest: ParseNode[] } {
    const kids = childrenOf(node);
    const tableIndex = kids.findIndex((c) => kindOf(c) === 'TableName');
    const table = this.table(kids[tableIndex]);
    const rest = kids.slice(tableIndex + 1);
    const aliasNode = rest[0] && kindOf(rest[0]) === 'Uid' ? rest[0] : isTerminal(rest[0] ?? node) && rest[0]?.getText().toUpperCase() === 'AS' ? rest[1] : undefined;
    const alias = aliasNode ? nameParts(aliasNode).join('.') : null;
    return { table, alias, rest };
  }

  private update(node: ParseNode): string {
    const words = keywords(node);
    if (words.includes('IGNORE') || words.includes('LOW_PRIORITY')) this.refuse(node, `UPDATE ${words.includes('IGNORE') ? 'IGNORE' : 'LOW_PRIORITY'}`);
    if (child(node, 'OrderByClause') || child(node, 'LimitClause')) this.refuse(node, 'UPDATE with ORDER BY or LIMIT');
    const { table, alias } = this.targetTable(node);
    this.scopes.push([{ alias: alias ?? table.sourceName, table }]);
    try {
      const assigned = new Set<string>();
      const sets = childrenOfKind(node, 'UpdatedElement').map((element) => {
        const [columnNode, , valueNode] = childrenOf(element);
        const parts = nameParts(columnNode);
        const column = this.column(table, parts[parts.length - 1], columnNode);
        // MySQL assigns left to right: a later expression reading an earlier-assigned column sees the new value.
        const reads = this.columnsRead(valueNode);
        const stale = [...reads].find((c) => assigned.has(c));
        if (stale) this.refuse(element, `an UPDATE whose SET reads ${stale} after assigning it (MySQL reads the new value, Postgres the old)`);
        assigned.add(column.name.toLowerCase());
        return `${qi(column.name)} = ${this.coerce(this.expression(valueNode), valueTypeOf(column.pgType))}`;
      });
      const where = this.whereOf(node);
      return `UPDATE ${this.qualified(table)}${alias ? ` AS ${qi(alias)}` : ''} SET ${sets.join(', ')}${where}`;
    } finally {
      this.scopes.pop();
    }
  }

  private whereOf(node: ParseNode): string {
    const kids = childrenOf(node);
    const index = kids.findIndex((c) => isTerminal(c) && c.getText().toUpperCase() === 'WHERE');
    return index >= 0 ? ` WHERE ${this.condition(kids[index + 1])}` : '';
  }

  /** Lower-cased names of the plain (unqualified or table-qualified, not NEW/OLD, not variable) columns an expression reads. */
  private columnsRead(node: ParseNode): Set<string> {
    const found = new Set<string>();
    const visit = (n: ParseNode) => {
      const kind = kindOf(n);
      if (kind === 'ColumnNamePath_default' || kind === 'ColumnNamePath_dotted' || kind === 'FullColumnName') {
        const parts = nameParts(n);
        if (parts.length === 2 && /^(new|old)$/i.test(parts[0])) return;
        if (parts.length === 1 && this.variable(parts[0])) return;
        found.add(parts[parts.length - 1].toLowerCase());
        return;
      }
      childrenOf(n).forEach(visit);
    };
    visit(node);
    return found;
  }

  private insert(node: ParseNode): string {
    const words = keywords(node);
    for (const w of ['IGNORE', 'DELAYED', 'LOW_PRIORITY', 'HIGH_PRIORITY', 'DUPLICATE']) if (words.includes(w)) this.refuse(node, w === 'DUPLICATE' ? 'INSERT ... ON DUPLICATE KEY UPDATE' : `INSERT ${w}`);
    if (words[0] === 'REPLACE') this.refuse(node, 'REPLACE');
    const table = this.table(child(node, 'TableName')!);
    const columnList = child(node, 'FullColumnNames');
    const columns = columnList
      ? childrenOfKind(child(columnList, 'ColumnNames') ?? columnList, 'ColumnName').map((c) => this.column(table, nameParts(c).slice(-1)[0], c))
      : table.columns;
    const values = child(node, 'ValuesOrValueList');
    const setList = child(node, 'SetAssignmentList');
    const target = `INSERT INTO ${this.qualified(table)}`;
    if (setList) {
      const elements = childrenOfKind(setList, 'UpdatedElement').map((element) => {
        const [columnNode, , valueNode] = childrenOf(element);
        const column = this.column(table, nameParts(columnNode).slice(-1)[0], columnNode);
        return { column, value: this.coerce(this.expression(valueNode), valueTypeOf(column.pgType)) };
      });
      return `${target} (${elements.map((e) => qi(e.column.name)).join(', ')}) VALUES (${elements.map((e) => e.value).join(', ')})`;
    }
    const names = columnList ? ` (${columns.map((c) => qi(c.name)).join(', ')})` : '';
    if (values) {
      const rows = childrenOfKind(values, 'ExpressionsWithDefaults').map((row) => {
        const cells = childrenOf(row).filter((c) => !isTerminal(c));
        if (cells.length !== columns.length) this.refuse(row, 'a VALUES row whose length differs from the column list');
        return `(${cells.map((cell, i) => this.coerce(this.expression(cell), valueTypeOf(columns[i].pgType))).join(', ')})`;
      });
      return `${target}${names} VALUES ${rows.join(', ')}`;
    }
    const query = childrenOf(node).find((c) => !isTerminal(c) && /Select|QuerySpecification/.test(kindOf(c)));
    if (!query) this.refuse(node, 'this INSERT');
    const result = this.query(query, (elements) => elements.map((e, i) => (columns[i] ? this.coerce(e, valueTypeOf(columns[i].pgType)) : e.sql)).join(', '));
    if (result.into) this.refuse(query, 'INSERT ... SELECT ... INTO');
    return `${target}${names} ${result.sql}`;
  }

  private remove(node: ParseNode): string {
    const words = keywords(node);
    if (words.includes('IGNORE') || words.includes('QUICK') || words.includes('LOW_PRIORITY')) this.refuse(node, 'DELETE with IGNORE, QUICK or LOW_PRIORITY');
    if (child(node, 'OrderByClause') || words.includes('LIMIT')) this.refuse(node, 'DELETE with ORDER BY or LIMIT');
    const { table, alias } = this.targetTable(node);
    this.scopes.push([{ alias: alias ?? table.sourceName, table }]);
    try {
      return `DELETE FROM ${this.qualified(table)}${alias ? ` AS ${qi(alias)}` : ''}${this.whereOf(node)}`;
    } finally {
      this.scopes.pop();
    }
  }

  /**
   * SELECT ... INTO v: MySQL leaves the variables as they were when no row is found and fails on more than
   * one; SELECT INTO STRICT fails on both, so "no row" is caught and ignored.
   */
  private selectInto(node: ParseNode, depth: number): string[] {
    const pad = INDENT.repeat(depth);
    let targets: { sql: string; type: ValueType }[] = [];
    const result = this.query(node, (elements: Expr[]) => {
      const intoNode = this.findInto(node);
      if (!intoNode) this.refuse(node, 'a SELECT without INTO (its rows would go nowhere)');
      targets = childrenOf(intoNode).filter((c) => !isTerminal(c)).map((t) => {
        if (t.getText().startsWith('@')) this.refuse(t, `user variable ${t.getText()}`);
        const variable = this.variable(nameParts(t).join('.'));
        if (!variable) this.refuse(t, `SELECT ... INTO ${t.getText()}`);
        return { sql: qi(variable.name), type: valueTypeOf(variable.pgType) };
      });
      if (targets.length !== elements.length) this.refuse(intoNode, 'INTO with a different number of variables than columns');
      return elements.map((e, i) => this.coerce(e, targets[i].type)).join(', ');
    });
    this.changes.add("SELECT ... INTO keeps MySQL's rules: no row leaves the variables unchanged, more than one is an error");
    const select = `SELECT ${result.select} INTO STRICT ${targets.map((t) => t.sql).join(', ')}${result.rest ? ` ${result.rest}` : ''};`;
    return [`${pad}BEGIN`, `${pad}${INDENT}${select}`, `${pad}EXCEPTION WHEN no_data_found THEN NULL;`, `${pad}END;`];
  }

  private findInto(node: ParseNode): ParseNode | undefined {
    if (kindOf(node) === 'SelectIntoVariables') return node;
    for (const c of childrenOf(node)) {
      const found = kindOf(c) === 'SubqueryExpressionAtom' ? undefined : this.findInto(c);
      if (found) return found;
    }
    return undefined;
  }
}
