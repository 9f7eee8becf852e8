// MySQL compound statements (trigger, function and procedure bodies) -> PL/pgSQL, statement by statement.
import { quoteIdent as qi, quoteLiteral } from '../plan/expression.js';
import { fitIdentifier } from '../plan/names.js';
import { ExpressionTranslator, valueTypeOf, type Expr, type RoutineSignature, type RoutineTable, type TriggerContext, type ValueType, type Variable } from './expression.js';
import type { ParseNode } from './parsers.js';
import { child, childrenOf, childrenOfKind, isTerminal, keywords, kindOf, nameParts, stringValue, unwrap } from './tree.js';

export const INDENT = '  ';

/** MySQL DECLARE and parameter types -> Postgres; unknown ones are refused. */
export function declaredType(node: ParseNode): string {
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

export type { RoutineSignature } from './expression.js';

interface Label {
  name: string;
  kind: 'block' | 'loop' | 'repeat';
}

interface NotFoundHandler {
  action: 'CONTINUE' | 'EXIT';
  body: ParseNode;
  /** EXIT: the label of the block it leaves. */
  block: string;
}

const DML = new Set(['SingleUpdateStatement', 'InsertStatement', 'SingleDeleteStatement']);
const SELECTS = new Set(['QuerySpecification', 'UnionAndLateralSelect', 'SimpleSelect']);
const ROW_COUNT_VARIABLE = 'mh_row_count';

/** A result-set SELECT's column: its name as MySQL shows it, and the Postgres type it is returned as. */
export interface ResultColumn {
  name: string;
  pgType: string;
}

export class BodyTranslator extends ExpressionTranslator {
  /** Declarations of the function's outermost block. */
  readonly declarations: string[] = [];
  /** The outermost block's label (proc: BEGIN ... END proc), if any. */
  outerLabel: string | null = null;
  /** What the body does, for the routine's volatility. */
  reads = false;
  writes = false;
  /** A procedure's result-set SELECT: its columns (only one is translated). */
  resultSet: ResultColumn[] | null = null;
  /** Functions: the result type RETURN converts to; null where RETURN is not allowed. */
  protected returns: string | null = null;
  /** Procedures may send a SELECT's rows to the client; functions and triggers may not. */
  protected allowResultSet = false;
  /** Column references are written table-qualified (RETURNS TABLE's columns are variables that would take them). */
  protected qualifyColumns = false;
  private readonly labels: Label[] = [];
  /** Labels an EXIT names: only those are written out for blocks (MySQL's own labels always are). */
  private readonly exitLabels = new Set<string>();
  private readonly handlers: (NotFoundHandler | null)[] = [];
  private readonly cursors: Map<string, string>[] = [];
  private readonly temporary = new Set<RoutineTable>();
  private readonly hidden: string[] = [];
  private loops = 0;
  private afterDml = false;
  private rowCountReady = false;
  private readonly rowCountUsed: boolean;
  private blocks = 0;

  constructor(
    source: string, schema: string, database: string, tables: Map<string, RoutineTable>, trigger: TriggerContext | null,
    routines: Map<string, RoutineSignature> = new Map(),
  ) {
    // Temporary tables a body creates join its own copy of the tables.
    super(source, schema, database, new Map(tables), trigger, routines);
    this.rowCountUsed = /\bROW_COUNT\s*\(/i.test(source);
  }

  /** Declarations the translation itself needs, after the outermost block's own. */
  hiddenDeclarations(): string[] {
    return [...this.hidden, ...(this.rowCountUsed ? [`${ROW_COUNT_VARIABLE} bigint := -1;`] : [])];
  }

  protected block(node: ParseNode, depth: number, outermost: boolean): string[] {
    const kids = childrenOf(node);
    const label = this.labelOf(node);
    const scope = new Map<string, Variable>();
    this.variables.push(scope);
    this.cursors.push(new Map());
    this.handlers.push(null);
    const blockLabel = label ?? `mh_block_${++this.blocks}`;
    this.labels.push({ name: blockLabel, kind: 'block' });
    const declarations: string[] = [];
    const lines: string[] = [];
    let exceptionHandler: ParseNode | null = null;
    let exception: string[] = [];
    const inner = outermost ? depth : depth + 1;
    try {
      for (const k of kids.filter((c) => !isTerminal(c) && kindOf(c) !== 'Uid')) {
        const kind = kindOf(k);
        if (kind === 'DeclareVariable') declarations.push(...this.declare(k, scope));
        else if (kind === 'DeclareCursor') declarations.push(this.declareCursor(k));
        else if (kind === 'DeclareHandler') {
          const handler = this.declareHandler(k, blockLabel);
          if (handler) this.handlers[this.handlers.length - 1] = handler;
          else exceptionHandler = k;
        } else if (kind === 'ProcedureSqlStatement') lines.push(...this.statement(k, inner));
        else this.refuse(k);
      }
      exception = exceptionHandler ? this.exceptionBlock(node, exceptionHandler, inner) : [];
    } finally {
      this.labels.pop();
      this.handlers.pop();
      this.cursors.pop();
      this.variables.pop();
    }
    if (outermost && !exception.length) {
      this.declarations.push(...declarations);
      this.outerLabel = label ?? (this.usedLabel(blockLabel) ? blockLabel : null);
      return lines;
    }
    const pad = INDENT.repeat(depth);
    const named = label ?? (this.usedLabel(blockLabel) ? blockLabel : null);
    return [
      ...(named ? [`${pad}<<${qi(named)}>>`] : []),
      ...(declarations.length ? [`${pad}DECLARE`, ...declarations.map((d) => `${pad}${INDENT}${d}`)] : []),
      `${pad}BEGIN`, ...(lines.length ? lines.map((l) => (outermost ? INDENT + l : l)) : [`${pad}${INDENT}NULL;`]),
      ...exception.map((l) => (outermost ? INDENT + l : l)),
      `${pad}END${named ? ` ${qi(named)}` : ''};`,
    ];
  }

  private usedLabel(name: string): boolean {
    return this.exitLabels.has(name.toLowerCase());
  }

  /** `label:` before BEGIN, LOOP, WHILE, REPEAT. */
  private labelOf(node: ParseNode): string | null {
    const kids = childrenOf(node);
    return kindOf(kids[0]) === 'Uid' && kids[1]?.getText() === ':' ? nameParts(kids[0])[0] : null;
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
      if (name.toLowerCase().startsWith('mh_')) this.refuse(node, `variable ${name} (mh_ names are the translation's own)`);
      scope.set(name.toLowerCase(), { name, pgType });
      return `${qi(name)} ${pgType}${initial ? ` := ${initial}` : ''};`;
    });
  }

  /** DECLARE c CURSOR FOR SELECT ...: a bound cursor; its query reads the variables when it is opened, as in MySQL. */
  private declareCursor(node: ParseNode): string {
    const name = nameParts(child(node, 'Uid')!)[0];
    const query = childrenOf(node).find((c) => !isTerminal(c) && kindOf(c) !== 'Uid')!;
    const sql = this.query(query).sql;
    this.cursors[this.cursors.length - 1].set(name.toLowerCase(), name);
    return `${qi(name)} CURSOR FOR ${sql};`;
  }

  private cursor(node: ParseNode): string {
    const name = nameParts(node)[0];
    for (let i = this.cursors.length - 1; i >= 0; i--) {
      const found = this.cursors[i].get(name.toLowerCase());
      if (found) return qi(found);
    }
    return this.refuse(node, `unknown cursor ${name}`);
  }

  /** NOT FOUND handlers are kept for FETCH and SELECT ... INTO; null means the block's EXIT HANDLER FOR SQLEXCEPTION. */
  private declareHandler(node: ParseNode, block: string): NotFoundHandler | null {
    const words = keywords(node);
    const action = words[1] as 'CONTINUE' | 'EXIT' | 'UNDO';
    const conditions = childrenOf(node).filter((c) => kindOf(c).startsWith('HandlerCondition'));
    const body = child(node, 'RoutineBody')!;
    if (action === 'UNDO') this.refuse(node, 'DECLARE UNDO HANDLER');
    if (conditions.length !== 1) this.refuse(node, 'a handler for several conditions');
    const condition = kindOf(conditions[0]);
    if (condition === 'HandlerConditionNotfound') {
      if (action === 'EXIT') this.exitLabels.add(block.toLowerCase());
      return { action, body, block };
    }
    if (condition === 'HandlerConditionException' && action === 'EXIT') return null;
    return this.refuse(node, `DECLARE ${action} HANDLER FOR ${conditions[0].getText()}`);
  }

  /**
   * EXIT HANDLER FOR SQLEXCEPTION -> the block's EXCEPTION WHEN OTHERS. Postgres undoes what the block wrote
   * before the error, MySQL keeps it: only a block that writes nothing means the same on both.
   */
  private exceptionBlock(block: ParseNode, handler: ParseNode, depth: number): string[] {
    const writes = (n: ParseNode): boolean => {
      const kind = kindOf(n);
      if (DML.has(kind) || kind === 'CallStatement' || kind === 'ColumnCreateTable' || kind === 'QueryCreateTable' || kind === 'DropTable') return true;
      return childrenOf(n).some((c) => c !== handler && writes(c));
    };
    if (writes(block)) this.refuse(handler, 'DECLARE EXIT HANDLER FOR SQLEXCEPTION in a block that writes (Postgres undoes the block\'s earlier writes on an error, MySQL keeps them)');
    const pad = INDENT.repeat(depth - 1);
    this.changes.add('EXIT HANDLER FOR SQLEXCEPTION became an EXCEPTION WHEN OTHERS block');
    return [`${pad}EXCEPTION WHEN OTHERS THEN`, ...this.handlerStatements(child(handler, 'RoutineBody')!, depth)];
  }

  private handlerStatements(body: ParseNode, depth: number): string[] {
    const inner = childrenOf(body).find((c) => !isTerminal(c))!;
    return this.statement(inner, depth);
  }

  /** What runs when FETCH or SELECT ... INTO finds no row: the NOT FOUND handler in scope, or MySQL's error. */
  private notFound(depth: number, kind: 'fetch' | 'select'): string[] {
    const pad = INDENT.repeat(depth);
    const handler = [...this.handlers].reverse().find((h) => h !== null);
    if (!handler) {
      if (kind === 'select') return [`${pad}NULL;`];
      return [`${pad}RAISE EXCEPTION USING ERRCODE = '02000', MESSAGE = 'No data - zero rows fetched, selected, or processed';`];
    }
    // The handler's own statements run outside its scope.
    const saved = this.handlers.splice(0);
    try {
      const lines = this.handlerStatements(handler.body, depth);
      if (handler.action === 'EXIT') lines.push(`${pad}EXIT ${qi(handler.block)};`);
      return lines;
    } finally {
      this.handlers.push(...saved);
    }
  }

  protected statement(node: ParseNode, depth: number): string[] {
    const pad = INDENT.repeat(depth);
    const inner = unwrap(kindOf(node) === 'ProcedureSqlStatement' ? childrenOf(node).find((c) => !isTerminal(c))! : node);
    const kind = kindOf(inner);
    // MySQL's ROW_COUNT() is the statement before's: readable only right after an INSERT, UPDATE or DELETE.
    this.rowCountReady = this.afterDml;
    this.afterDml = false;
    const lines = this.statementLines(inner, kind, depth, pad);
    this.afterDml = DML.has(kind);
    if (DML.has(kind)) {
      this.writes = true;
      if (this.rowCountUsed) lines.push(`${pad}GET DIAGNOSTICS ${ROW_COUNT_VARIABLE} = ROW_COUNT;`);
    }
    return lines;
  }

  private statementLines(inner: ParseNode, kind: string, depth: number, pad: string): string[] {
    switch (kind) {
      case 'BlockStatement':
        return this.block(inner, depth, false);
      case 'IfStatement':
        return this.ifStatement(inner, depth);
      case 'CaseStatement':
        return this.caseStatement(inner, depth);
      case 'LoopStatement':
      case 'WhileStatement':
      case 'RepeatStatement':
        return this.loop(inner, kind, depth);
      case 'LeaveStatement':
      case 'IterateStatement': {
        const name = nameParts(child(inner, 'Uid')!)[0];
        const label = [...this.labels].reverse().find((l) => l.name.toLowerCase() === name.toLowerCase());
        if (!label) this.refuse(inner, `${kind === 'LeaveStatement' ? 'LEAVE' : 'ITERATE'} of an unknown label`);
        if (kind === 'LeaveStatement') {
          this.exitLabels.add(label.name.toLowerCase());
          return [`${pad}EXIT ${qi(label.name)};`];
        }
        // Postgres's CONTINUE would skip the UNTIL test that ends the translated REPEAT.
        if (label.kind !== 'loop') this.refuse(inner, `ITERATE ${label.kind === 'repeat' ? 'of a REPEAT loop' : 'of a block'}`);
        return [`${pad}CONTINUE ${qi(label.name)};`];
      }
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
        return this.findInto(inner) ? this.selectInto(inner, depth) : this.resultSetQuery(inner, depth);
      case 'OpenCursor':
        // A NULL cursor variable gets a portal name of its own: a nested call opening a cursor of the same name does not clash.
        this.reads = true;
        return [`${pad}${this.cursor(child(inner, 'Uid')!)} := NULL;`, `${pad}OPEN ${this.cursor(child(inner, 'Uid')!)};`];
      case 'CloseCursor':
        return [`${pad}CLOSE ${this.cursor(child(inner, 'Uid')!)};`];
      case 'FetchCursor':
        return this.fetch(inner, depth);
      case 'ReturnStatement':
        return [`${pad}${this.returnStatement(inner)}`];
      case 'CallStatement':
        return [`${pad}${this.call(inner)};`];
      case 'ColumnCreateTable':
        return [`${pad}${this.createTemporary(inner)};`];
      case 'QueryCreateTable':
        return [`${pad}${this.createTemporaryAs(inner)};`];
      case 'DropTable':
        return [`${pad}${this.dropTemporary(inner)};`];
      default:
        return this.refuse(inner);
    }
  }

  protected statements(nodes: ParseNode[], depth: number): string[] {
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

  /** CASE [x] WHEN ... THEN ... [ELSE ...] END CASE; with no branch taken MySQL fails with SQLSTATE 20000, as Postgres does. */
  private caseStatement(node: ParseNode, depth: number): string[] {
    const pad = INDENT.repeat(depth);
    const kids = childrenOf(node);
    const subjectNode = kids[1] && kindOf(kids[1]) !== 'CaseAlternative' && !isTerminal(kids[1]) ? kids[1] : null;
    const subject = subjectNode ? (kindOf(subjectNode) === 'Uid' ? this.reference(subjectNode) : this.expression(subjectNode)) : null;
    const lines: string[] = [];
    const alternatives = childrenOfKind(node, 'CaseAlternative');
    const whens = alternatives.map((a) => this.expression(childrenOf(a)[1]));
    const anyNumber = whens.some((w) => w.type === 'number');
    lines.push(subject ? `${pad}CASE ${subject.type === 'boolean' && anyNumber ? `(${subject.sql})::int` : subject.sql}` : `${pad}CASE`);
    alternatives.forEach((alternative, i) => {
      const value = subject ? (subject.type !== 'boolean' || anyNumber ? this.numeric(whens[i]) : whens[i].sql) : this.asCondition(whens[i], childrenOf(alternative)[1]);
      lines.push(`${pad}WHEN ${value} THEN`, ...this.statements(childrenOfKind(alternative, 'ProcedureSqlStatement'), depth + 1));
    });
    const elseIndex = kids.findIndex((c) => isTerminal(c) && c.getText().toUpperCase() === 'ELSE');
    if (elseIndex >= 0) lines.push(`${pad}ELSE`, ...this.statements(kids.slice(elseIndex + 1).filter((c) => kindOf(c) === 'ProcedureSqlStatement'), depth + 1));
    else lines.push(`${pad}ELSE`, `${pad}${INDENT}RAISE EXCEPTION USING ERRCODE = '20000', MESSAGE = 'Case not found for CASE statement';`);
    lines.push(`${pad}END CASE;`);
    return lines;
  }

  /** LOOP, WHILE ... DO, REPEAT ... UNTIL (a LOOP that ends with EXIT WHEN), labels kept. */
  private loop(node: ParseNode, kind: string, depth: number): string[] {
    const pad = INDENT.repeat(depth);
    const kids = childrenOf(node);
    const label = this.labelOf(node);
    const body = kids.filter((c) => kindOf(c) === 'ProcedureSqlStatement');
    const conditionNode = kids.find((c) => !isTerminal(c) && kindOf(c) !== 'ProcedureSqlStatement' && kindOf(c) !== 'Uid');
    if (label) this.labels.push({ name: label, kind: kind === 'RepeatStatement' ? 'repeat' : 'loop' });
    this.loops++;
    try {
      const head = kind === 'WhileStatement' ? `WHILE ${this.condition(conditionNode!)} LOOP` : 'LOOP';
      const lines = this.statements(body, depth + 1);
      if (kind === 'RepeatStatement') lines.push(`${pad}${INDENT}EXIT WHEN ${this.condition(conditionNode!)};`);
      return [...(label ? [`${pad}<<${qi(label)}>>`] : []), `${pad}${head}`, ...lines, `${pad}END LOOP${label ? ` ${qi(label)}` : ''};`];
    } finally {
      this.loops--;
      if (label) this.labels.pop();
    }
  }

  /**
   * FETCH c INTO a, b: Postgres sets the targets to NULL when no row is left, MySQL leaves them: the row
   * goes through variables of the translation's own, and no row runs the NOT FOUND handler.
   */
  private fetch(node: ParseNode, depth: number): string[] {
    const pad = INDENT.repeat(depth);
    const cursor = this.cursor(child(node, 'Uid')!);
    const targets = childrenOf(child(node, 'UidList')!).filter((c) => !isTerminal(c)).map((t) => {
      const variable = this.variable(nameParts(t)[0]);
      if (!variable) this.refuse(t, `FETCH ... INTO ${t.getText()}`);
      return variable;
    });
    const temps = targets.map((t) => {
      const name = `mh_fetch_${this.hidden.length + 1}`;
      this.hidden.push(`${name} ${t.pgType};`);
      return name;
    });
    return [
      `${pad}FETCH ${cursor} INTO ${temps.join(', ')};`,
      `${pad}IF FOUND THEN`,
      ...targets.map((t, i) => `${pad}${INDENT}${qi(t.name)} := ${temps[i]};`),
      `${pad}ELSE`,
      ...this.notFound(depth + 1, 'fetch'),
      `${pad}END IF;`,
    ];
  }

  private returnStatement(node: ParseNode): string {
    if (this.returns === null) this.refuse(node, 'RETURN outside a function');
    const value = this.expression(childrenOf(node)[1]);
    const coerced = this.coerce(value, valueTypeOf(this.returns));
    // A function's declared result type keeps no precision in Postgres; MySQL rounds to it.
    return `RETURN ${/^numeric\(/.test(this.returns) ? `(${coerced})::${this.returns}` : coerced};`;
  }

  private call(node: ParseNode): string {
    const nameNode = child(node, 'FullId')!;
    const parts = nameParts(nameNode);
    const name = parts.length === 2 && parts[0].toLowerCase() === this.database.toLowerCase() ? parts[1] : parts.length === 1 ? parts[0] : null;
    const callee = name === null ? undefined : this.routines.get(name.toLowerCase());
    if (!callee || callee.kind === 'function') this.refuse(node, 'CALL of a procedure that is not part of this migration');
    if (callee.kind === 'result-set') this.refuse(node, 'CALL of a procedure that returns a result set');
    const list = child(node, 'Expressions');
    const args = list ? childrenOf(list).filter((c) => !isTerminal(c)) : [];
    if (args.length !== callee.params.length) this.refuse(node, 'CALL with a different number of arguments');
    this.calls.add(name!.toLowerCase());
    this.writes = true;
    const sqls = args.map((arg, i) => {
      const param = callee.params[i];
      if (param.mode === 'IN') return this.coerce(this.expression(arg), valueTypeOf(param.pgType));
      if (arg.getText().startsWith('@')) this.refuse(arg, `user variable ${arg.getText()}`);
      const variable = this.variable(nameParts(unwrap(arg)).join('.'));
      if (!variable) this.refuse(arg, `an ${param.mode} argument that is not a variable`);
      return qi(variable.name);
    });
    return `CALL ${qi(this.schema)}.${qi(callee.name)}(${sqls.join(', ')})`;
  }

  /** Functions MySQL has and Postgres does not know by that name: ROW_COUNT() and the migrated functions. */
  protected override unknownFunction(name: string, node: ParseNode, args: ParseNode[]): Expr {
    if (name === 'ROW_COUNT' && !args.length) {
      if (!this.rowCountReady) this.refuse(node, 'ROW_COUNT() not right after an INSERT, UPDATE or DELETE');
      this.changes.add("ROW_COUNT() after an UPDATE counts the rows it matched, MySQL's those it changed");
      return { sql: ROW_COUNT_VARIABLE, type: 'number' };
    }
    return super.unknownFunction(name, node, args);
  }

  protected override table(node: ParseNode): RoutineTable {
    this.reads = true;
    return super.table(node);
  }

  protected override qualified(table: RoutineTable): string {
    return this.temporary.has(table) ? `pg_temp.${qi(table.name)}` : super.qualified(table);
  }

  /** Columns and variables with their Postgres types (result sets declare them); columns table-qualified when asked. */
  protected override reference(node: ParseNode): Expr & { pgType?: string } {
    const e = super.reference(node);
    const parts = nameParts(node);
    if (parts.length === 1) {
      const variable = this.variable(parts[0]);
      if (variable) return { ...e, pgType: variable.pgType };
    }
    const [qualifier, name] = parts.length === 1 ? [null, parts[0]] : parts.slice(-2);
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const match = this.scopes[i].find((s) => (qualifier === null || s.alias.toLowerCase() === qualifier.toLowerCase()) && s.table.columns.some((c) => c.name.toLowerCase() === name.toLowerCase()));
      if (!match) continue;
      const column = match.table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())!;
      const alias = match.alias === match.table.sourceName ? match.table.name : match.alias;
      return { ...e, sql: this.qualifyColumns && qualifier === null ? `${qi(alias)}.${qi(column.name)}` : e.sql, pgType: column.pgType };
    }
    return e;
  }

  /** CREATE TEMPORARY TABLE t (columns): Postgres's temporary tables also live until the session ends, in pg_temp. */
  private createTemporary(node: ParseNode): string {
    const words = keywords(node);
    if (!words.includes('TEMPORARY')) this.refuse(node, 'CREATE TABLE (not TEMPORARY)');
    const ifNotExists = child(node, 'IfNotExists') ? 'IF NOT EXISTS ' : '';
    const sourceName = nameParts(child(node, 'TableNameCreate')!).slice(-1)[0];
    for (const option of childrenOf(node).filter((c) => !isTerminal(c) && /^TableOption/.test(kindOf(c)))) {
      if (!['TableOptionEngine', 'TableOptionCharset', 'TableOptionCollate'].includes(kindOf(option))) this.refuse(option, 'this temporary table option');
    }
    const definitions = childrenOfKind(child(node, 'CreateDefinitions') ?? node, 'CreateDefinition');
    if (!child(node, 'CreateDefinitions')) this.refuse(node, 'CREATE TEMPORARY TABLE without a column list');
    const table: RoutineTable = { sourceName, name: fitIdentifier(sourceName), columns: [], identity: null };
    const columns = definitions.map((d) => {
      const nameNode = child(d, 'ColumnNameCreate');
      const definition = child(d, 'ColumnDefinition');
      if (!nameNode || !definition) this.refuse(d, 'this temporary table definition');
      const name = nameParts(nameNode)[0];
      const [typeNode, ...constraints] = childrenOf(definition).filter((c) => !isTerminal(c));
      let pgType: string;
      try {
        pgType = declaredType(typeNode);
      } catch {
        this.refuse(typeNode, `column type ${typeNode.getText()}`);
      }
      const extra = constraints.map((c) => {
        if (kindOf(c) === 'NullColumnConstraint') return keywords(child(c, 'NullNotnull') ?? c).includes('NOT') ? ' NOT NULL' : ' NULL';
        if (kindOf(c) === 'PrimaryKeyColumnConstraint') return ' PRIMARY KEY';
        return this.refuse(c, 'this temporary table column constraint');
      });
      table.columns.push({ name: fitIdentifier(name), pgType });
      return `${qi(fitIdentifier(name))} ${pgType}${extra.join('')}`;
    });
    this.temporary.add(table);
    this.tables.set(sourceName.toLowerCase(), table);
    this.writes = true;
    this.changes.add('temporary tables are created in pg_temp and, as in MySQL, last until the session ends');
    return `CREATE TEMP TABLE ${ifNotExists}${qi(table.name)} (${columns.join(', ')})`;
  }

  private dropTemporary(node: ParseNode): string {
    if (!keywords(node).includes('TEMPORARY')) this.refuse(node, 'DROP TABLE (not TEMPORARY)');
    // DROP TEMPORARY drops only temporary tables, which are pg_temp's, whoever created them.
    const names = childrenOfKind(child(node, 'TableNames')!, 'TableName').map((n) => `pg_temp.${qi(fitIdentifier(nameParts(n).slice(-1)[0]))}`);
    this.writes = true;
    return `DROP TABLE ${child(node, 'IfExists') ? 'IF EXISTS ' : ''}${names.join(', ')}`;
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

  protected targetTable(node: ParseNode): { table: RoutineTable; alias: string | null; rest: ParseNode[] } {
    const kids = childrenOf(node);
    const tableIndex = kids.findIndex((c) => kindOf(c) === 'TableName');
    const table = this.table(kids[tableIndex]);
    const rest = kids.slice(tableIndex + 1);
    const aliasNode = rest[0] && kindOf(rest[0]) === 'Uid' ? rest[0] : isTerminal(rest[0] ?? node) && rest[0]?.getText().toUpperCase() === 'AS' ? rest[1] : undefined;
    const alias = aliasNode ? nameParts(aliasNode).join('.') : null;
    return { table, alias, rest };
  }

  protected update(node: ParseNode): string {
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

  protected insert(node: ParseNode): string {
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

  protected remove(node: ParseNode): string {
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
    return [
      `${pad}BEGIN`, `${pad}${INDENT}${select}`,
      `${pad}EXCEPTION WHEN no_data_found THEN`, ...this.notFound(depth + 1, 'select'),
      // MySQL's error for more than one row, with its SQLSTATE and message.
      `${pad}WHEN too_many_rows THEN`, `${pad}${INDENT}RAISE EXCEPTION USING ERRCODE = '42000', MESSAGE = 'Result consisted of more than one row';`,
      `${pad}END;`,
    ];
  }

  protected findInto(node: ParseNode): ParseNode | undefined {
    if (kindOf(node) === 'SelectIntoVariables') return node;
    for (const c of childrenOf(node)) {
      const found = kindOf(c) === 'SubqueryExpressionAtom' ? undefined : this.findInto(c);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * A procedure's SELECT without INTO sends its rows to the client: the procedure became a function
   * RETURNS TABLE, and the rows are its result, each column as its source column's type.
   */
  private resultSetQuery(node: ParseNode, depth: number): string[] {
    if (!this.allowResultSet) this.refuse(node, 'a SELECT without INTO (its rows would go nowhere)');
    if (this.resultSet) this.refuse(node, 'a second result set (a Postgres function returns one)');
    if (this.loops) this.refuse(node, 'a result set sent from inside a loop');
    const { sql, columns } = this.typedQuery(node, false);
    this.resultSet = columns;
    return [`${INDENT.repeat(depth)}RETURN QUERY ${sql};`];
  }

  /** A SELECT whose columns have MySQL's names and each a Postgres type: its source column's, or one for what it computes. */
  private typedQuery(node: ParseNode, named: boolean): { sql: string; columns: ResultColumn[] } {
    const spec = this.specification(node);
    const elementNodes = childrenOf(child(spec, 'SelectElements')!).filter((c) => !isTerminal(c));
    const columns: ResultColumn[] = [];
    const result = this.query(node, (elements) => elements.map((e, i) => {
      const typed = e as Expr & { pgType?: string };
      const pgType = typed.pgType ?? RESULT_TYPES[e.type];
      const name = this.resultName(elementNodes[i]);
      if (columns.some((c) => c.name === name)) this.refuse(elementNodes[i], `a query with two columns named ${name}`);
      columns.push({ name, pgType });
      const sql = e.sql.replace(/ AS "(?:[^"]|"")+"$/, '');
      return `(${this.coerce({ ...e, sql }, valueTypeOf(pgType))})::${pgType}${named ? ` AS ${qi(name)}` : ''}`;
    }).join(', '));
    if (result.into) this.refuse(result.into, 'SELECT ... INTO here');
    return { sql: result.sql, columns };
  }

  /** CREATE TEMPORARY TABLE t [AS] SELECT ...: the columns are the query's, typed as the result set's would be. */
  private createTemporaryAs(node: ParseNode): string {
    const words = keywords(node);
    if (!words.includes('TEMPORARY')) this.refuse(node, 'CREATE TABLE (not TEMPORARY)');
    if (child(node, 'CreateDefinitions') || childrenOf(node).some((c) => !isTerminal(c) && /^TableOption|^Partition/.test(kindOf(c)))) this.refuse(node, 'CREATE TEMPORARY TABLE with columns or options beside its query');
    const sourceName = nameParts(child(node, 'TableNameCreate')!).slice(-1)[0];
    const query = childrenOf(node).find((c) => !isTerminal(c) && SELECTS.has(kindOf(c)));
    if (!query) this.refuse(node, 'this CREATE TEMPORARY TABLE');
    const { sql, columns } = this.typedQuery(query, true);
    const table: RoutineTable = { sourceName, name: fitIdentifier(sourceName), columns: columns.map((c) => ({ name: c.name, pgType: c.pgType })), identity: null };
    this.temporary.add(table);
    this.tables.set(sourceName.toLowerCase(), table);
    this.writes = true;
    this.changes.add('temporary tables are created in pg_temp and, as in MySQL, last until the session ends');
    return `CREATE TEMP TABLE ${child(node, 'IfNotExists') ? 'IF NOT EXISTS ' : ''}${qi(table.name)} AS ${sql}`;
  }

  private specification(node: ParseNode): ParseNode {
    let spec = node;
    while (kindOf(spec) !== 'QuerySpecification' && childrenOf(spec).length) spec = childrenOf(spec).find((c) => !isTerminal(c)) ?? spec;
    return spec;
  }

  /** The column name MySQL gives a select element: its alias, its column's name, or the expression as written. */
  private resultName(node: ParseNode): string {
    const inner = unwrap(node);
    const kids = childrenOf(inner).filter((c) => !(isTerminal(c) && c.getText().toUpperCase() === 'AS'));
    const kind = kindOf(inner);
    if ((kind === 'SelectExpressionElement' || kind === 'SelectLiteralColumnName' || kind === 'SelectFunctionElement' || kind === 'SelectElement_expr') && kids.length === 2) return fitIdentifier(nameParts(kids[1]).join('.'));
    const plain = kind === 'SelectLiteralColumnName' ? kids[0] : inner;
    if (['ColumnName', 'FullColumnName', 'Uid', 'SimpleId', 'SelectLiteralColumnName', 'ColumnNamePath_default', 'ColumnNamePath_dotted'].includes(kindOf(plain))) return fitIdentifier(nameParts(plain).slice(-1)[0]);
    const start = node.start?.start ?? 0;
    const stop = node.stop?.stop ?? start;
    return fitIdentifier(this.source.slice(start, stop + 1));
  }
}

/** Result-set columns computed by an expression: the Postgres type for what the expression yields. */
const RESULT_TYPES: Record<ValueType, string> = { boolean: 'boolean', number: 'numeric', text: 'text', time: 'timestamptz', interval: 'interval', unknown: 'text' };
