// MySQL expressions (as dt-sql-parser's tree has them) -> Postgres SQL, with the little typing needed to
// keep MySQL's meaning: tinyint(1) columns became boolean, while MySQL compares and adds them as integers.
import { quoteIdent as qi, quoteLiteral } from '../plan/expression.js';
import type { ParseNode } from './parsers.js';
import { child, childrenOf, childrenOfKind, isTerminal, keywords, kindOf, nameParts, sourceText, stringValue, unwrap, Untranslatable } from './tree.js';

export type ValueType = 'boolean' | 'number' | 'text' | 'time' | 'interval' | 'unknown';

export interface Expr {
  sql: string;
  type: ValueType;
  /** For a plain integer literal: its text (0 and 1 become FALSE and TRUE where a boolean is wanted). */
  integer?: string;
  /** An exact number's decimal places as MySQL types it (division and AVG depend on it); absent for floats and unknowns. */
  scale?: number;
  /** A floating-point number (FLOAT / DOUBLE): MySQL divides it as one. */
  float?: boolean;
  /** For a string literal: its value (MySQL reads it as a number beside one). */
  literal?: string;
  /**
   * What kind of time: MySQL keeps a DATE a DATE through + INTERVAL n DAY, Postgres makes it a timestamp.
   * On an interval, 'date' says it is whole days or longer.
   */
  temporal?: 'date' | 'datetime' | 'time';
  /** A plain column reference: a boolean column stays boolean in a view. */
  column?: boolean;
}

export interface RoutineColumn {
  name: string;
  pgType: string;
}

export interface RoutineTable {
  /** The MySQL name. */
  sourceName: string;
  /** The Postgres name (names longer than 63 bytes are shortened by the plan). */
  name: string;
  columns: RoutineColumn[];
  /** The AUTO_INCREMENT column, now an identity column. */
  identity: string | null;
  /** Base tables only: Postgres lets the other columns of a grouped primary key be selected as MySQL does. */
  primaryKey?: string[];
  /** Unique keys over NOT NULL columns: grouping by one determines the other columns. */
  uniqueKeys?: string[][];
}

export interface TriggerContext {
  table: RoutineTable;
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  timing: 'BEFORE' | 'AFTER';
}

/** Another migrated routine, as calls to it need it. */
export interface RoutineSignature {
  /** Target name. */
  name: string;
  /** 'result-set': a MySQL procedure that returns rows, now a set-returning function. */
  kind: 'function' | 'procedure' | 'result-set';
  params: { name: string; mode: 'IN' | 'OUT' | 'INOUT'; pgType: string }[];
  /** Functions: the result type. */
  returns: string | null;
}

export interface Variable {
  name: string;
  pgType: string;
}

interface ScopeTable {
  alias: string;
  table: RoutineTable;
}

/** A column a query read, and where: GROUP BY needs the ones read outside aggregates. */
interface ColumnUse {
  scope: ScopeTable[];
  entry: ScopeTable;
  column: string;
  inAggregate: boolean;
}

/** A translated SELECT: its SQL, and what its columns are. */
export interface QueryResult {
  sql: string;
  select: string;
  rest: string;
  types: ValueType[];
  exprs: Expr[];
  /** Output column names (the alias, or the column's name); null where MySQL would name it by its text. */
  names: (string | null)[];
  into: ParseNode | null;
}

export function scaleOf(pgType: string): number | undefined {
  const t = pgType.toLowerCase();
  if (/^(smallint|integer|bigint)\b/.test(t)) return 0;
  const m = t.match(/^numeric\(\s*\d+\s*(?:,\s*(\d+)\s*)?\)/);
  return m ? Number(m[1] ?? 0) : undefined;
}

function temporalOf(pgType: string): Expr['temporal'] {
  const t = pgType.toLowerCase();
  if (t === 'date') return 'date';
  if (t.startsWith('timestamp')) return 'datetime';
  if (t.startsWith('time')) return 'time';
  return undefined;
}

/** A Postgres type for a computed column another view or a derived table reads. */
export function pgTypeOf(e: Expr): string {
  switch (e.type) {
    case 'boolean': return 'boolean';
    case 'number': return e.float ? 'double precision' : e.scale === undefined ? 'numeric' : e.scale === 0 ? 'bigint' : `numeric(65,${e.scale})`;
    case 'text': return 'text';
    case 'time': return e.temporal === 'date' ? 'date' : e.temporal === 'time' ? 'time' : 'timestamptz';
    case 'interval': return 'interval';
    default: return 'unknown';
  }
}

/** The number MySQL reads from a string: its numeric prefix, 0 when there is none. */
function numericPrefix(text: string): string {
  const m = text.match(/^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/);
  if (!m) return '0';
  const n = m[1].replace(/^\+/, '');
  return /^-?\./.test(n) ? n.replace('.', '0.') : n.replace(/\.$/, '');
}

/** MySQL DATE_FORMAT / STR_TO_DATE specifiers -> to_char / to_timestamp patterns. */
const DATE_SPECIFIERS: Record<string, string> = {
  Y: 'YYYY', y: 'YY', m: 'MM', c: 'FMMM', d: 'DD', e: 'FMDD', H: 'HH24', k: 'FMHH24', h: 'HH12', I: 'HH12', l: 'FMHH12',
  i: 'MI', s: 'SS', S: 'SS', f: 'US', p: 'AM', b: 'Mon', M: 'FMMonth', a: 'Dy', W: 'FMDay', j: 'DDD', T: 'HH24:MI:SS', r: 'HH12:MI:SS AM',
};

export function valueTypeOf(pgType: string): ValueType {
  const t = pgType.toLowerCase();
  if (t === 'boolean') return 'boolean';
  if (/^(smallint|integer|bigint|numeric|real|double precision)/.test(t)) return 'number';
  if (/^(text|varchar|char|citext|character)/.test(t) || / collate /.test(t)) return 'text';
  if (/^(timestamp|date|time)/.test(t)) return 'time';
  if (t === 'interval') return 'interval';
  return 'unknown';
}

const INTERVAL_UNITS: Record<string, string> = {
  MICROSECOND: 'microsecond', SECOND: 'second', MINUTE: 'minute', HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: '3 months', YEAR: 'year',
};

/** Functions with the same meaning under a Postgres name (LENGTH counts bytes in MySQL). */
const SAME_FUNCTIONS: Record<string, { name: string; type: ValueType }> = {
  UPPER: { name: 'upper', type: 'text' }, UCASE: { name: 'upper', type: 'text' }, LOWER: { name: 'lower', type: 'text' }, LCASE: { name: 'lower', type: 'text' },
  CHAR_LENGTH: { name: 'char_length', type: 'number' }, CHARACTER_LENGTH: { name: 'char_length', type: 'number' }, LENGTH: { name: 'octet_length', type: 'number' },
  ABS: { name: 'abs', type: 'number' }, FLOOR: { name: 'floor', type: 'number' }, CEIL: { name: 'ceil', type: 'number' }, CEILING: { name: 'ceil', type: 'number' },
  LTRIM: { name: 'ltrim', type: 'text' }, RTRIM: { name: 'rtrim', type: 'text' }, TRIM: { name: 'btrim', type: 'text' }, NULLIF: { name: 'nullif', type: 'unknown' },
};

export class ExpressionTranslator {
  protected readonly variables: Map<string, Variable>[] = [];
  protected readonly scopes: ScopeTable[][] = [];
  /** What changed meaning on the way, said once each in the trigger's note. */
  readonly changes = new Set<string>();
  /** Lower-cased MySQL names of the migrated routines it calls. */
  readonly calls = new Set<string>();
  /** Views: results as MySQL shows them (division and AVG scales, NULL for a division by zero, comparisons as 0/1). */
  protected mysqlResults = false;
  /** Every column read, in order: a query looks at the ones it added. */
  protected readonly uses: ColumnUse[] = [];
  private aggregateDepth = 0;
  /** The queries (their scopes) that aggregate: one group of all rows when there is no GROUP BY. */
  private readonly aggregatedScopes = new Set<ScopeTable[]>();
  /** The select list's aliases, while GROUP BY / HAVING / ORDER BY of that select are read (MySQL lets them name it). */
  private aliases: { names: Map<string, { expr: Expr; uses: ColumnUse[] }>; first: boolean } | null = null;

  constructor(
    protected readonly source: string,
    protected readonly schema: string,
    protected readonly database: string,
    protected readonly tables: Map<string, RoutineTable>,
    /** Inside a trigger body: the row NEW and OLD refer to. Views and routines have none. */
    protected readonly trigger: TriggerContext | null,
    /** The migrated functions and procedures it may call, by lower-cased MySQL name. */
    protected readonly routines: Map<string, RoutineSignature> = new Map(),
  ) {}

  protected refuse(node: ParseNode, what?: string): never {
    throw new Untranslatable(`${what ?? kindOf(node)} (${sourceText(this.source, node)})`);
  }

  protected table(node: ParseNode): RoutineTable {
    const parts = nameParts(node);
    const name = parts.length === 2 && parts[0].toLowerCase() === this.database.toLowerCase() ? parts[1] : parts.length === 1 ? parts[0] : null;
    const table = name === null ? undefined : this.tables.get(name.toLowerCase());
    if (!table) this.refuse(node, 'a table that is not part of this migration');
    return table;
  }

  protected qualified(table: RoutineTable): string {
    return `${qi(this.schema)}.${qi(table.name)}`;
  }

  protected variable(name: string): Variable | undefined {
    for (let i = this.variables.length - 1; i >= 0; i--) {
      const found = this.variables[i].get(name.toLowerCase());
      if (found) return found;
    }
    return undefined;
  }

  protected column(table: RoutineTable, name: string, node: ParseNode): RoutineColumn {
    const column = table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!column) this.refuse(node, `unknown column ${table.sourceName}.${name}`);
    return column;
  }

  /** NEW.x, OLD.x, a local variable, or a column of a table in scope. */
  protected reference(node: ParseNode): Expr {
    const parts = nameParts(node);
    if (this.trigger && parts.length === 2 && /^(new|old)$/i.test(parts[0])) {
      const { table, event, timing } = this.trigger;
      const row = parts[0].toUpperCase();
      if ((row === 'NEW' && event === 'DELETE') || (row === 'OLD' && event === 'INSERT')) this.refuse(node, `${row} in a${event === 'INSERT' ? 'n' : ''} ${event} trigger`);
      const column = this.column(table, parts[1], node);
      if (row === 'NEW' && timing === 'BEFORE' && event === 'INSERT' && column.name === table.identity) {
        this.refuse(node, `NEW.${column.name} of the AUTO_INCREMENT column in a BEFORE INSERT trigger (MySQL sees 0 there, Postgres the new id)`);
      }
      return { sql: `${row}.${qi(column.name)}`, type: valueTypeOf(column.pgType) };
    }
    if (parts.length === 1) {
      const variable = this.variable(parts[0]);
      if (variable) return { sql: qi(variable.name), type: valueTypeOf(variable.pgType) };
    }
    const [qualifier, name] = parts.length === 1 ? [null, parts[0]] : parts.length === 2 ? parts : parts.length === 3 && parts[0].toLowerCase() === this.database.toLowerCase() ? parts.slice(1) : [null, null];
    if (name === null) this.refuse(node, 'a column name');
    const alias = qualifier === null ? this.aliases?.names.get(name.toLowerCase()) : undefined;
    const viaAlias = (): Expr => {
      // The columns the aliased expression reads are read here too (GROUP BY v groups the column v names).
      this.uses.push(...alias!.uses.map((u) => ({ ...u, inAggregate: u.inAggregate || this.aggregateDepth > 0 })));
      return alias!.expr.column ? alias!.expr : { ...alias!.expr, sql: `(${alias!.expr.sql})` };
    };
    // ORDER BY reads a select alias before a column; GROUP BY and HAVING a column before an alias.
    if (alias && this.aliases?.first) return viaAlias();
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const matches = this.scopes[i].filter((s) => (qualifier === null || s.alias.toLowerCase() === qualifier.toLowerCase()) && s.table.columns.some((c) => c.name.toLowerCase() === name.toLowerCase()));
      if (matches.length > 1) this.refuse(node, `ambiguous column ${name}`);
      if (matches.length === 1) {
        const entry = matches[0];
        const column = this.column(entry.table, name, node);
        this.uses.push({ scope: this.scopes[i], entry, column: column.name, inAggregate: this.aggregateDepth > 0 });
        // Qualified unless the query reads one table: a join or derived table may bring the same name twice.
        const sql = qualifier === null && this.scopes[i].length === 1 ? qi(column.name) : `${qi(entry.alias)}.${qi(column.name)}`;
        const temporal = temporalOf(column.pgType);
        // For a time: its fractional digits.
        const scale = temporal ? Number(column.pgType.match(/\((\d)\)/)?.[1] ?? 0) : scaleOf(column.pgType);
        return { sql, type: valueTypeOf(column.pgType), scale, temporal, column: true, float: /^(real|double precision)/i.test(column.pgType) || undefined };
      }
    }
    if (alias) return viaAlias();
    this.refuse(node, `unknown column or variable ${parts.join('.')}`);
  }

  /** An expression used as a condition: MySQL takes any number as true when not 0. */
  condition(node: ParseNode): string {
    return this.asCondition(this.expression(node), node);
  }

  protected asCondition(e: Expr, node: ParseNode): string {
    if (e.type === 'number') return e.integer !== undefined ? (e.integer === '0' ? 'FALSE' : 'TRUE') : `(${e.sql} <> 0)`;
    if (e.type === 'text' || e.type === 'time' || e.type === 'interval') this.refuse(node, 'a non-numeric value used as a condition');
    return e.sql;
  }

  /** The expression as a value of `type`: boolean <-> integer as MySQL stores them (0/1). */
  coerce(e: Expr, type: ValueType): string {
    if (type === 'boolean' && e.type === 'number') {
      if (e.integer === '0') return 'FALSE';
      if (e.integer === '1') return 'TRUE';
      this.changes.add('a number stored into a boolean column becomes true when not 0');
      return `(${e.sql} <> 0)`;
    }
    if (type !== 'boolean' && type !== 'unknown' && e.type === 'boolean') return `(${e.sql})::int`;
    return e.sql;
  }

  /** A value as MySQL computes with it: booleans count as 0 and 1. */
  protected numeric(e: Expr): string {
    return e.type === 'boolean' ? `(${e.sql})::int` : e.sql;
  }

  /** A value in arithmetic or beside a number: MySQL reads strings as numbers there. */
  protected asNumber(e: Expr): string {
    if (e.type === 'boolean') return `(${e.sql})::int`;
    if (e.type === 'text') {
      if (e.literal !== undefined) return numericPrefix(e.literal);
      this.changes.add("text used as a number is cast to numeric: Postgres fails on text that is not a number, where MySQL reads the number it starts with");
      return `(${e.sql})::numeric`;
    }
    return e.sql;
  }

  expression(node: ParseNode): Expr {
    const kind = kindOf(node);
    switch (kind) {
      case 'PredicateExpression':
      case 'ExpressionAtomPredicate':
      case 'FunctionArg':
      case 'ExpressionOrDefault':
      case 'FunctionCallExpressionAtom':
      case 'ConstantExpressionAtom':
      case 'SpecificFunctionCall':
      case 'AggregateFunctionCall':
        if (childrenOf(node).length === 1) return this.expression(childrenOf(node)[0]);
        if (kind === 'ExpressionOrDefault' && keywords(node)[0] === 'DEFAULT') return { sql: 'DEFAULT', type: 'unknown' };
        return this.refuse(node);
      case 'LogicalExpression':
      case 'NotExpression':
        return { sql: this.logical(node), type: 'boolean' };
      case 'IsExpression': {
        // x IS [NOT] TRUE | FALSE | UNKNOWN
        const words = keywords(node);
        return { sql: `(${this.condition(childrenOf(node)[0])} ${words.join(' ')})`, type: 'boolean' };
      }
      case 'BinaryComparisonPredicate':
        return this.comparison(node);
      case 'IsNullPredicate': {
        const [operand, , nullNotNull] = childrenOf(node);
        return { sql: `(${this.expression(operand).sql} IS ${keywords(nullNotNull).join(' ')})`, type: 'boolean' };
      }
      case 'InPredicate':
        return this.inPredicate(node);
      case 'BetweenPredicate': {
        const operands = childrenOf(node).filter((c) => !isTerminal(c)).map((c) => this.expression(c));
        const not = keywords(node).includes('NOT') ? 'NOT ' : '';
        return { sql: `(${this.numeric(operands[0])} ${not}BETWEEN ${this.numeric(operands[1])} AND ${this.numeric(operands[2])})`, type: 'boolean' };
      }
      case 'LikePredicate': {
        const operands = childrenOf(node).filter((c) => !isTerminal(c));
        const words = keywords(node);
        if (operands.length !== 2 || words.includes('ESCAPE')) this.refuse(node, 'LIKE ... ESCAPE');
        return { sql: `(${this.expression(operands[0]).sql} ${words.includes('NOT') ? 'NOT ' : ''}LIKE ${this.expression(operands[1]).sql})`, type: 'boolean' };
      }
      case 'ColumnNameExpressionAtom':
        return this.reference(childrenOf(node)[0]);
      case 'FullColumnName':
      case 'ColumnNamePath_default':
      case 'ColumnNamePath_dotted':
        return this.reference(node);
      case 'Constant':
        return this.constant(node);
      case 'StringLiteral':
        return this.constant(node);
      case 'DecimalLiteral':
        return this.number(node.getText());
      case 'NestedExpressionAtom': {
        const inner = childrenOf(node).filter((c) => !isTerminal(c));
        if (inner.length !== 1) this.refuse(node, 'a row constructor');
        const e = this.expression(inner[0]);
        return { ...e, sql: `(${e.sql})` };
      }
      case 'SubqueryExpressionAtom': {
        const query = childrenOf(node).find((c) => !isTerminal(c))!;
        const result = this.query(query);
        if (result.exprs.length === 1) return { ...result.exprs[0], sql: `(${result.sql})`, column: false, integer: undefined, literal: undefined };
        return { sql: `(${result.sql})`, type: 'unknown' };
      }
      case 'ExistsExpressionAtom': {
        const query = childrenOf(node).find((c) => !isTerminal(c))!;
        return { sql: `(EXISTS (${this.query(query).sql}))`, type: 'boolean' };
      }
      case 'MathExpressionAtom':
        return this.math(node);
      case 'UnaryExpressionAtom': {
        const [operator, operand] = childrenOf(node);
        const op = operator.getText().toUpperCase();
        const e = this.expression(operand);
        if (op === '-') return { sql: `(- ${this.numeric(e)})`, type: 'number' };
        if (op === '+') return e;
        if (op === '!' || op === 'NOT') return { sql: `(NOT ${this.asCondition(e, operand)})`, type: 'boolean' };
        return this.refuse(node, `operator ${op}`);
      }
      case 'IntervalExpressionAtom': {
        const [, amount, unit] = childrenOf(node);
        const name = INTERVAL_UNITS[unit.getText().toUpperCase()];
        if (!name) this.refuse(node, `INTERVAL ... ${unit.getText()}`);
        const wholeDays = !['MICROSECOND', 'SECOND', 'MINUTE', 'HOUR'].includes(unit.getText().toUpperCase());
        return { sql: `(${this.numeric(this.expression(amount))} * interval '1 ${name}')`, type: 'interval', temporal: wholeDays ? 'date' : undefined };
      }
      case 'ScalarFunctionCall':
      case 'UdfFunctionCall':
        return this.functionCall(node);
      case 'SimpleFunctionCall':
        return this.simpleFunction(node);
      case 'TrimFunctionCall':
        return this.trim(node);
      case 'CaseFunctionCall':
      case 'CaseExpressionFunctionCall':
        return this.caseExpression(node);
      case 'DataTypeFunctionCall':
        return this.cast(node);
      case 'AggregateWindowedFunction':
        return this.aggregate(node);
      default:
        return this.refuse(node);
    }
  }

  private number(text: string): Expr {
    if (/^\d+$/.test(text)) return { sql: text, type: 'number', integer: text, scale: 0 };
    const decimal = text.match(/^-?\d*\.(\d*)$/);
    return decimal ? { sql: text, type: 'number', scale: decimal[1].length } : { sql: text, type: 'number' };
  }

  private constant(node: ParseNode): Expr {
    const inner = unwrap(node);
    const kind = kindOf(inner);
    // b'0' / b'1' (how BIT(1) flags are written): a number where one is wanted, 0 or 1 into a boolean.
    const bits = /^b'([01]+)'$/i.exec(inner.getText());
    if (bits && isTerminal(childrenOf(inner)[0] ?? inner)) return this.number(String(parseInt(bits[1], 2)));
    if (kind === 'StringLiteral') {
      const tokens = childrenOf(inner);
      // The grammar reads a lone `quoted` name in an expression as a string literal: it is a column or variable.
      if (tokens.length === 1 && tokens[0].getText().startsWith('`')) return this.reference(inner);
      if (!tokens.every((t) => isTerminal(t) && /^['"]/.test(t.getText()))) this.refuse(inner, 'a string with a character set introducer');
      const value = tokens.map((t) => stringValue(t.getText())).join('');
      return { sql: quoteLiteral(value), type: 'text', literal: value };
    }
    if (kind === 'DecimalLiteral') return this.number(inner.getText());
    if (kind === 'BooleanLiteral') return { sql: inner.getText().toUpperCase(), type: 'boolean' };
    const words = keywords(inner);
    if (words.length === 1 && (words[0] === 'NULL' || words[0] === '\\N')) return { sql: 'NULL', type: 'unknown' };
    if (words.length === 1 && (words[0] === 'TRUE' || words[0] === 'FALSE')) return { sql: words[0], type: 'boolean' };
    if (words[0] === '-' && childrenOf(inner).length === 2 && kindOf(childrenOf(inner)[1]) === 'DecimalLiteral') return { ...this.number(childrenOf(inner)[1].getText()), sql: `-${childrenOf(inner)[1].getText()}`, integer: undefined };
    if (/^[0-9.eE+-]+$/.test(inner.getText())) return this.number(inner.getText());
    return this.refuse(node, 'literal');
  }

  /** AND / OR / NOT chains. The grammar nests them without precedence, so they are regrouped here: NOT > AND > OR. */
  private logical(node: ParseNode): string {
    const items: (string | ParseNode)[] = [];
    const flatten = (n: ParseNode) => {
      const k = kindOf(n);
      if (k === 'LogicalExpression') {
        const [left, operator, right] = childrenOf(n);
        flatten(left);
        items.push(operator.getText().toUpperCase());
        flatten(right);
      } else if (k === 'NotExpression') {
        items.push('NOT');
        flatten(childrenOf(n)[1]);
      } else {
        items.push(n);
      }
    };
    flatten(node);
    let i = 0;
    const operand = (): string => {
      const item = items[i++];
      if (item === 'NOT') return `(NOT ${operand()})`;
      if (typeof item === 'string') this.refuse(node, `operator ${item}`);
      return this.condition(item);
    };
    const level = (ops: string[], next: () => string) => (): string => {
      let left = next();
      while (i < items.length && ops.includes(items[i] as string)) {
        const op = items[i++] as string;
        if (op === 'XOR') this.refuse(node, 'XOR');
        left = `(${left} ${op === '&&' ? 'AND' : op === '||' ? 'OR' : op} ${next()})`;
      }
      return left;
    };
    const and = level(['AND', '&&'], operand);
    const or = level(['OR', '||', 'XOR'], and);
    const sql = or();
    if (i !== items.length) this.refuse(node);
    return sql;
  }

  private comparison(node: ParseNode): Expr {
    const [leftNode, operatorNode, rightNode] = childrenOf(node);
    if (kindOf(leftNode) === 'BinaryComparisonPredicate' || kindOf(rightNode) === 'BinaryComparisonPredicate') this.refuse(node, 'a chain of comparisons');
    if (childrenOf(node).length !== 3) this.refuse(node, 'a comparison with a subquery quantifier');
    const op = operatorNode.getText();
    const left = this.expression(leftNode);
    const right = this.expression(rightNode);
    const [l, r] = this.comparable(left, right);
    if (op === '<=>') return { sql: `(${l} IS NOT DISTINCT FROM ${r})`, type: 'boolean' };
    if (!['=', '<>', '!=', '<', '<=', '>', '>='].includes(op)) this.refuse(node, `operator ${op}`);
    return { sql: `(${l} ${op === '!=' ? '<>' : op} ${r})`, type: 'boolean' };
  }

  /** A boolean compared with a number is compared as MySQL does, as 0 or 1. */
  protected comparable(left: Expr, right: Expr): [string, string] {
    if (left.type === 'boolean' && right.type === 'number') return [`(${left.sql})::int`, right.sql];
    if (right.type === 'boolean' && left.type === 'number') return [left.sql, `(${right.sql})::int`];
    // MySQL compares a number with a string as numbers.
    if (left.type === 'number' && right.type === 'text') return [left.sql, this.asNumber(right)];
    if (right.type === 'number' && left.type === 'text') return [this.asNumber(left), right.sql];
    return [left.sql, right.sql];
  }

  private inPredicate(node: ParseNode): Expr {
    const kids = childrenOf(node);
    const operand = this.expression(kids[0]);
    const not = keywords(node).includes('NOT') ? 'NOT ' : '';
    const list = kids.find((c) => kindOf(c) === 'Expressions');
    if (list) {
      const values = childrenOf(list).filter((c) => !isTerminal(c)).map((c) => this.expression(c));
      const anyNumber = values.some((v) => v.type === 'number');
      const left = operand.type === 'boolean' && anyNumber ? `(${operand.sql})::int` : operand.sql;
      return { sql: `(${left} ${not}IN (${values.map((v) => (operand.type !== 'boolean' || anyNumber ? this.numeric(v) : v.sql)).join(', ')}))`, type: 'boolean' };
    }
    const query = kids.find((c) => !isTerminal(c) && c !== kids[0]);
    if (!query) this.refuse(node);
    return { sql: `(${this.numeric(operand)} ${not}IN (${this.query(query).sql}))`, type: 'boolean' };
  }

  /** + - * / DIV MOD %. The grammar nests them without precedence, so they are regrouped: * / DIV MOD % before + -. */
  private math(node: ParseNode): Expr {
    const items: (string | ParseNode)[] = [];
    const flatten = (n: ParseNode) => {
      if (kindOf(n) === 'MathExpressionAtom') {
        const [left, operator, right] = childrenOf(n);
        flatten(left);
        items.push(operator.getText().toUpperCase());
        flatten(right);
      } else {
        items.push(n);
      }
    };
    flatten(node);
    let i = 0;
    const operand = (): Expr => this.expression(items[i++] as ParseNode);
    const combine = (left: Expr, op: string, right: Expr): Expr => {
      if (left.type === 'time' || right.type === 'time' || left.type === 'interval' || right.type === 'interval') {
        if ((op === '+' || op === '-') && (right.type === 'interval' || left.type === 'interval')) {
          const [time, interval] = right.type === 'interval' ? [left, right] : [right, left];
          if (time.temporal === 'date' && interval.temporal === 'date') return { sql: `CAST(${left.sql} ${op} ${right.sql} AS date)`, type: 'time', temporal: 'date' };
          return { sql: `(${left.sql} ${op} ${right.sql})`, type: 'time', temporal: time.temporal === 'date' ? 'datetime' : time.temporal };
        }
        this.refuse(node, `date arithmetic with ${op}`);
      }
      const l = this.asNumber(left), r = this.asNumber(right);
      const known = left.scale !== undefined && right.scale !== undefined;
      const scale = (f: (a: number, b: number) => number) => (known ? f(left.scale!, right.scale!) : undefined);
      // MySQL's division, DIV and MOD by zero are NULL: in a view the rows must match, in a trigger it is an error either way.
      const divisor = this.mysqlResults ? `NULLIF(${r}, 0)` : r;
      const float = left.float || right.float || undefined;
      switch (op) {
        case '+': case '-': return { sql: `(${l} ${op} ${r})`, type: 'number', scale: scale(Math.max), float };
        case '*': return { sql: `(${l} ${op} ${r})`, type: 'number', scale: scale((a, b) => a + b), float };
        case '%': case 'MOD': return { sql: `(${l} % ${divisor})`, type: 'number', scale: scale(Math.max), float };
        case '/':
          if (this.mysqlResults) {
            if (float) return { sql: `((${l})::double precision / ${divisor})`, type: 'number', float };
            // MySQL gives the dividend's decimal places plus div_precision_increment (4), rounded.
            if (known) return { sql: `round((${l})::numeric / ${divisor}, ${Math.min(left.scale! + 4, 30)})`, type: 'number', scale: Math.min(left.scale! + 4, 30) };
            return { sql: `((${l})::numeric / ${divisor})`, type: 'number' };
          }
          this.changes.add('/ divides as numeric (MySQL never divides integers as integers); a division by zero is an error in Postgres');
          return { sql: `((${l})::numeric / ${r})`, type: 'number' };
        case 'DIV':
          if (!this.mysqlResults) this.changes.add('a division by zero is an error in Postgres');
          return { sql: `div((${l})::numeric, (${divisor})::numeric)`, type: 'number', scale: 0 };
        default:
          return this.refuse(node, `operator ${op}`);
      }
    };
    const level = (ops: string[], next: () => Expr) => (): Expr => {
      let left = next();
      while (i < items.length && ops.includes(items[i] as string)) {
        const op = items[i++] as string;
        left = combine(left, op, next());
      }
      return left;
    };
    const product = level(['*', '/', '%', 'DIV', 'MOD'], operand);
    const sum = level(['+', '-'], product);
    const result = sum();
    if (i !== items.length) this.refuse(node, `operator ${String(items[i])}`);
    return result;
  }

  private args(node: ParseNode): ParseNode[] {
    const list = child(node, 'FunctionArgs');
    return list ? childrenOf(list).filter((c) => !isTerminal(c)) : [];
  }

  private functionCall(node: ParseNode): Expr {
    const nameNode = childrenOf(node)[0];
    const name = (kindOf(node) === 'UdfFunctionCall' ? nameParts(nameNode).join('.') : nameNode.getText()).toUpperCase();
    const args = this.args(node);
    const values = () => args.map((a) => this.expression(a));
    switch (name) {
      case 'NOW':
      case 'CURRENT_TIMESTAMP':
      case 'LOCALTIME':
      case 'LOCALTIMESTAMP': {
        const precision = args.length ? args[0].getText() : '0';
        return this.now(precision, node);
      }
      case 'CURDATE':
      case 'CURRENT_DATE':
        if (args.length) this.refuse(node);
        return { sql: 'CAST(statement_timestamp() AS date)', type: 'time' };
      case 'IFNULL':
      case 'COALESCE': {
        if (name === 'IFNULL' && args.length !== 2) this.refuse(node);
        return this.sameTypes(values(), (sqls) => `COALESCE(${sqls.join(', ')})`);
      }
      case 'IF': {
        if (args.length !== 3) this.refuse(node);
        const condition = this.condition(args[0]);
        return this.sameTypes(values().slice(1), ([a, b]) => `CASE WHEN ${condition} THEN ${a} ELSE ${b} END`);
      }
      case 'GREATEST':
      case 'LEAST': {
        // MySQL's are NULL when any argument is; Postgres's skip NULLs.
        const vs = values();
        return this.sameTypes(vs, (sqls) => `CASE WHEN ${sqls.map((s) => `${s} IS NULL`).join(' OR ')} THEN NULL ELSE ${name.toLowerCase()}(${sqls.join(', ')}) END`);
      }
      case 'CONCAT': {
        // MySQL's CONCAT is NULL when any argument is, as || is; Postgres's concat() skips NULLs.
        if (!args.length) this.refuse(node);
        return { sql: `(${values().map((v) => this.asText(v)).join(' || ')})`, type: 'text' };
      }
      case 'CONCAT_WS': {
        if (args.length < 2) this.refuse(node);
        return { sql: `concat_ws(${values().map((v) => this.asText(v)).join(', ')})`, type: 'text' };
      }
      case 'ISNULL':
        if (args.length !== 1) this.refuse(node);
        return { sql: `(${values()[0].sql} IS NULL)`, type: 'boolean' };
      case 'DATE_FORMAT': {
        if (args.length !== 2) this.refuse(node);
        const [date] = values();
        this.changes.add("DATE_FORMAT writes the time in the Postgres session's time zone");
        return { sql: `to_char(${this.asTime(date)}, ${quoteLiteral(this.datePattern(args[1], node, false))})`, type: 'text' };
      }
      case 'STR_TO_DATE': {
        if (args.length !== 2) this.refuse(node);
        const [text] = values();
        const pattern = this.datePattern(args[1], node, true);
        this.changes.add('STR_TO_DATE: text that does not match the format is an error in Postgres, where MySQL gives NULL');
        // MySQL gives a DATE when the format has no time of day.
        if (!/HH|MI|SS|US|AM/.test(pattern)) return { sql: `to_date(${this.asText(text)}, ${quoteLiteral(pattern)})`, type: 'time', temporal: 'date' };
        return { sql: `CAST(to_timestamp(${this.asText(text)}, ${quoteLiteral(pattern)}) AS timestamp)`, type: 'time', temporal: 'datetime' };
      }
      case 'UNIX_TIMESTAMP': {
        if (args.length > 1) this.refuse(node);
        this.changes.add("UNIX_TIMESTAMP reads a date and time without a zone in the Postgres session's time zone");
        if (!args.length) return { sql: 'floor(extract(epoch FROM statement_timestamp()))::bigint', type: 'number', scale: 0 };
        const [time] = values();
        // Whole seconds unless the value has a fraction, as MySQL's result.
        const fraction = time.type === 'text' ? (time.literal?.match(/\.(\d+)/)?.[1].length ?? 0) : (time.scale ?? 0);
        const epoch = `extract(epoch FROM CAST(${time.sql} AS timestamptz))`;
        return fraction ? { sql: `round(${epoch}, ${fraction})`, type: 'number', scale: fraction } : { sql: `floor(${epoch})::bigint`, type: 'number', scale: 0 };
      }
      case 'LAST_DAY': {
        if (args.length !== 1) this.refuse(node);
        return { sql: `CAST(date_trunc('month', ${this.asTime(values()[0])}) + interval '1 month - 1 day' AS date)`, type: 'time', temporal: 'date' };
      }
      case 'DATE':
        if (args.length !== 1) this.refuse(node);
        return { sql: `CAST(${this.asTime(values()[0])} AS date)`, type: 'time', temporal: 'date' };
      case 'YEAR': case 'MONTH': case 'DAY': case 'DAYOFMONTH': case 'HOUR': case 'MINUTE': case 'QUARTER': {
        if (args.length !== 1) this.refuse(node);
        const field = name === 'DAYOFMONTH' ? 'day' : name.toLowerCase();
        return { sql: `CAST(extract(${field} FROM ${this.asTime(values()[0])}) AS integer)`, type: 'number', scale: 0 };
      }
      case 'REPLACE': {
        if (args.length !== 3) this.refuse(node);
        return { sql: `replace(${values().map((v) => (v.type === 'text' ? v.sql : this.asText(v))).join(', ')})`, type: 'text' };
      }
      case 'LEFT': case 'RIGHT': {
        if (args.length !== 2) this.refuse(node);
        const [text, count] = values();
        const n = this.asNumber(count);
        // A negative count gives '' in MySQL, all but that many characters in Postgres.
        return { sql: `CASE WHEN ${n} < 0 THEN '' ELSE ${name.toLowerCase()}(${text.type === 'text' ? text.sql : this.asText(text)}, ${n}) END`, type: 'text' };
      }
      case 'SUBSTR': case 'SUBSTRING': case 'MID': {
        if (args.length !== 2 && args.length !== 3) this.refuse(node);
        const [text, from, length] = values();
        // MySQL counts a negative start from the end and gives '' for 0; only a positive start means the same in Postgres.
        if (from.integer === undefined || from.integer === '0') this.refuse(node, `${name} from other than a positive number`);
        const t = text.type === 'text' ? text.sql : this.asText(text);
        if (!length) return { sql: `substr(${t}, ${from.integer})`, type: 'text' };
        const l = this.asNumber(length);
        return { sql: `CASE WHEN ${l} < 0 THEN '' ELSE substr(${t}, ${from.integer}, ${l}) END`, type: 'text' };
      }
      case 'TO_DAYS': {
        if (args.length !== 1) this.refuse(node);
        // Days since MySQL's year 0: 0001-01-01 is day 366.
        return { sql: `(CAST(${this.asTime(values()[0])} AS date) - DATE '0001-01-01' + 366)`, type: 'number', scale: 0 };
      }
      case 'DATEDIFF': {
        if (args.length !== 2) this.refuse(node);
        const [a, b] = values();
        return { sql: `(CAST(${this.asTime(a)} AS date) - CAST(${this.asTime(b)} AS date))`, type: 'number', scale: 0 };
      }
      case 'ROUND':
      case 'TRUNCATE': {
        if (args.length < 1 || args.length > 2 || (name === 'TRUNCATE' && args.length !== 2)) this.refuse(node);
        const [x, d] = values();
        return { sql: `${name === 'ROUND' ? 'round' : 'trunc'}((${this.numeric(x)})::numeric${d ? `, ${this.numeric(d)}` : ''})`, type: 'number', scale: d ? (d.integer !== undefined ? Number(d.integer) : undefined) : 0 };
      }
      default: {
        const same = SAME_FUNCTIONS[name];
        if (!same) return this.unknownFunction(name, node, args);
        const vs = values();
        return { sql: `${same.name}(${vs.map((v) => this.numeric(v)).join(', ')})`, type: same.type === 'unknown' ? (vs[0]?.type ?? 'unknown') : same.type };
      }
    }
  }

  /** A function MySQL does not have: one of the migrated functions, called in the target schema. */
  protected unknownFunction(name: string, node: ParseNode, args: ParseNode[]): Expr {
    const parts = kindOf(node) === 'UdfFunctionCall' ? nameParts(childrenOf(node)[0]) : [name];
    const own = parts.length === 2 && parts[0].toLowerCase() === this.database.toLowerCase() ? parts[1] : parts.length === 1 ? parts[0] : null;
    const callee = own === null ? undefined : this.routines.get(own.toLowerCase());
    if (!callee || callee.kind !== 'function') return this.refuse(node, `function ${name}`);
    if (args.length !== callee.params.length) this.refuse(node, `${own}() with a different number of arguments`);
    this.calls.add(own!.toLowerCase());
    const sqls = args.map((a, i) => this.coerce(this.expression(a), valueTypeOf(callee.params[i].pgType)));
    return { sql: `${qi(this.schema)}.${qi(callee.name)}(${sqls.join(', ')})`, type: valueTypeOf(callee.returns ?? '') };
  }

  /** TRIM([BOTH | LEADING | TRAILING] 'c' FROM s): MySQL removes a string, Postgres a set of characters; one character is both. */
  private trim(node: ParseNode): Expr {
    const words = keywords(node);
    const operands = childrenOf(node).filter((c) => !isTerminal(c));
    const side = words.find((w) => ['BOTH', 'LEADING', 'TRAILING'].includes(w)) ?? 'BOTH';
    const [remove, from] = operands.length === 2 ? operands : [null, operands[0]];
    const characters = remove ? this.expression(remove) : { sql: "' '", type: 'text' as const };
    if (remove && !(kindOf(unwrap(remove)) === 'StringLiteral' && stringValue(unwrap(remove).getText()).length === 1)) this.refuse(node, 'TRIM of anything but one character');
    return { sql: `trim(${side} ${characters.sql} FROM ${this.expression(from).sql})`, type: 'text' };
  }

  private simpleFunction(node: ParseNode): Expr {
    const words = keywords(node);
    if (['CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP'].includes(words[0])) return this.now('0', node);
    if (words[0] === 'CURRENT_DATE' || words[0] === 'CURDATE') return { sql: 'CAST(statement_timestamp() AS date)', type: 'time' };
    return this.refuse(node, `function ${words[0]}`);
  }

  /** MySQL's NOW(): the statement's start, cut to the asked fractional digits (not rounded). */
  private now(precision: string, node: ParseNode): Expr {
    const unit = ({ '0': 'second', '3': 'milliseconds', '6': 'microseconds' } as Record<string, string>)[precision];
    if (!unit) this.refuse(node, `NOW(${precision})`);
    this.changes.add("NOW() is the statement's start time in the Postgres session's time zone");
    return { sql: unit === 'microseconds' ? 'statement_timestamp()' : `date_trunc('${unit}', statement_timestamp())`, type: 'time' };
  }

  private asText(e: Expr): string {
    if (e.type === 'boolean') return `((${e.sql})::int)::text`;
    if (e.type === 'time' && this.mysqlResults && e.temporal) {
      // As MySQL writes them: no zone, as many fractional digits as the column has.
      const fraction = e.scale === 3 ? '.MS' : e.scale === 6 ? '.US' : '';
      if (!fraction && e.scale) this.changes.add('a time with other than 0, 3 or 6 fractional digits turned into text shows all 6');
      const pattern = e.temporal === 'date' ? 'YYYY-MM-DD' : e.temporal === 'time' ? `HH24:MI:SS${fraction}` : `YYYY-MM-DD HH24:MI:SS${fraction || (e.scale ? '.US' : '')}`;
      if (e.temporal === 'datetime') this.changes.add("a date and time turned into text is written in the Postgres session's time zone");
      return `to_char(${e.sql}, '${pattern}')`;
    }
    if (e.type === 'time') this.changes.add('a date or time turned into text is written in Postgres format');
    return `(${e.sql})::text`;
  }

  /** CAST(x AS type) and CONVERT(x, type) to the types MySQL casts to. */
  private cast(node: ParseNode): Expr {
    const kids = childrenOf(node);
    const typeNode = child(node, 'ConvertedDataType');
    const valueNode = kids.find((c) => !isTerminal(c) && c !== typeNode);
    if (!typeNode || !valueNode || keywords(node).includes('USING')) this.refuse(node, 'CONVERT ... USING');
    const value = this.expression(valueNode);
    const words = keywords(typeNode);
    const dims = childrenOf(typeNode).filter((c) => !isTerminal(c) && kindOf(c) !== 'CharsetName').flatMap((c) => childrenOf(c).filter((d) => kindOf(d) === 'DecimalLiteral').map((d) => Number(d.getText())));
    switch (words[0]) {
      case 'CHAR': case 'NCHAR': case 'VARCHAR': {
        const text = value.type === 'text' ? value.sql : this.asText(value);
        return { sql: dims.length ? `left(${text}, ${dims[0]})` : text, type: 'text' };
      }
      case 'SIGNED': case 'UNSIGNED': case 'INTEGER': case 'INT': {
        if (words[0] === 'UNSIGNED') this.changes.add('CAST AS UNSIGNED of a negative number wraps round in MySQL, in Postgres it stays negative');
        // Postgres rounds as MariaDB does: a decimal half away from zero, a float half to even. A string's digits are cut at the point.
        const n = value.type === 'text' ? `trunc(${this.asNumber(value)})` : this.asNumber(value);
        return { sql: `CAST(${n} AS bigint)`, type: 'number', scale: 0 };
      }
      case 'DECIMAL': case 'DEC': case 'NUMERIC': case 'FIXED': {
        const [precision = 10, scale = 0] = dims;
        return { sql: `CAST(${this.asNumber(value)} AS numeric(${precision},${scale}))`, type: 'number', scale };
      }
      case 'DOUBLE': case 'FLOAT': case 'REAL':
        return { sql: `CAST(${this.asNumber(value)} AS double precision)`, type: 'number', float: true };
      case 'DATE':
        return { sql: `CAST(${this.asTime(value)} AS date)`, type: 'time', temporal: 'date' };
      case 'DATETIME': {
        // A migrated DATETIME column is already a timestamptz: only a string needs reading.
        if (value.type === 'time' && value.temporal === 'datetime' && !dims.length) return value;
        return { sql: `CAST(${this.asTime(value)} AS timestamp${dims.length ? `(${dims[0]})` : '(0)'})`, type: 'time', temporal: 'datetime', scale: dims[0] ?? 0 };
      }
      case 'TIME':
        return { sql: `CAST(${value.sql} AS time${dims.length ? `(${dims[0]})` : '(0)'})`, type: 'time', temporal: 'time', scale: dims[0] ?? 0 };
      default:
        return this.refuse(node, `CAST AS ${words[0] ?? typeNode.getText()}`);
    }
  }

  /** A string literal where a date is wanted is a date, as MySQL reads it. */
  private asTime(e: Expr): string {
    return e.type === 'text' && e.literal !== undefined ? `CAST(${e.sql} AS timestamp)` : e.sql;
  }

  /** A DATE_FORMAT / STR_TO_DATE format literal as a to_char / to_timestamp pattern; text between specifiers is quoted. */
  private datePattern(formatNode: ParseNode, node: ParseNode, parsing: boolean): string {
    const format = this.expression(formatNode);
    if (format.literal === undefined) this.refuse(node, 'a date format that is not a string literal');
    let pattern = '';
    let text = '';
    const flush = () => {
      if (text) pattern += /^[\s\-:/.,]+$/.test(text) ? text : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
      text = '';
    };
    const f = format.literal;
    for (let i = 0; i < f.length; i++) {
      if (f[i] !== '%' || i + 1 === f.length) {
        text += f[i];
        continue;
      }
      const spec = f[++i];
      if (spec === '%') {
        text += '%';
        continue;
      }
      const mapped = DATE_SPECIFIERS[spec];
      if (!mapped) this.refuse(node, `date format specifier %${spec}`);
      flush();
      // Reading a date, FM (no padding) has no use and to_timestamp accepts unpadded numbers anyway.
      pattern += parsing ? mapped.replace(/FM/g, '') : mapped;
    }
    flush();
    return pattern;
  }

  /** COALESCE, IF and CASE branches of booleans and numbers mixed are all numbers, as in MySQL. */
  private sameTypes(values: Expr[], build: (sqls: string[]) => string): Expr {
    const hasNumber = values.some((v) => v.type === 'number');
    const types = new Set(values.map((v) => v.type).filter((t) => t !== 'unknown'));
    const type: ValueType = hasNumber ? 'number' : types.size === 1 ? [...types][0] : 'unknown';
    const typed = values.filter((v) => v.type !== 'unknown');
    const scale = type === 'number' && typed.every((v) => v.scale !== undefined || v.type === 'boolean') ? Math.max(0, ...typed.map((v) => v.scale ?? 0)) : undefined;
    // MySQL types the result with the most decimal places of the branches (IF(c, price, 0) shows 0.00).
    const sqls = values.map((v) => (!hasNumber ? v.sql : this.mysqlResults && scale && v.type === 'number' && v.scale !== scale ? `round(${v.sql}, ${scale})` : this.numeric(v)));
    const temporals = new Set(typed.map((v) => v.temporal));
    return { sql: build(sqls), type, scale, temporal: type === 'time' && temporals.size === 1 ? [...temporals][0] : undefined, float: values.some((v) => v.float) || undefined };
  }

  private caseExpression(node: ParseNode): Expr {
    const kids = childrenOf(node);
    const simple = kindOf(node) === 'CaseExpressionFunctionCall';
    const subject = simple ? this.expression(kids[1]) : null;
    const conditions: string[] = [];
    const results: Expr[] = [];
    for (const alternative of kids.filter((c) => kindOf(c) === 'CaseFuncAlternative')) {
      const [, when, , then] = childrenOf(alternative);
      if (subject) {
        const [s, w] = this.comparable(subject, this.expression(when));
        conditions.push(`${s} = ${w}`);
      } else {
        conditions.push(this.condition(when));
      }
      results.push(this.expression(then));
    }
    const elseIndex = kids.findIndex((c) => isTerminal(c) && c.getText().toUpperCase() === 'ELSE');
    if (elseIndex >= 0) results.push(this.expression(kids[elseIndex + 1]));
    return this.sameTypes(results, (sqls) => `CASE ${conditions.map((c, i) => `WHEN ${c} THEN ${sqls[i]}`).join(' ')}${elseIndex >= 0 ? ` ELSE ${sqls[sqls.length - 1]}` : ''} END`);
  }

  private aggregate(node: ParseNode): Expr {
    const words = keywords(node);
    const name = words[0];
    if (child(node, 'OverClause') || !['COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'GROUP_CONCAT'].includes(name)) this.refuse(node, `aggregate ${name}`);
    if (this.aggregateDepth > 0) this.refuse(node, 'an aggregate inside an aggregate');
    this.aggregatedScopes.add(this.scopes[this.scopes.length - 1]);
    this.aggregateDepth++;
    try {
      if (name === 'GROUP_CONCAT') return this.groupConcat(node);
      if (words.includes('*')) return { sql: 'count(*)', type: 'number', scale: 0 };
      const args = childrenOf(node).filter((c) => !isTerminal(c));
      if (args.length !== 1) this.refuse(node);
      const inner = kindOf(args[0]) === 'FunctionArgs' ? childrenOf(args[0]).filter((c) => !isTerminal(c)) : args;
      if (inner.length !== 1) this.refuse(node);
      const e = this.expression(inner[0]);
      const distinct = words.includes('DISTINCT') ? 'DISTINCT ' : '';
      const sql = `${name.toLowerCase()}(${distinct}${this.numeric(e)})`;
      if (name === 'COUNT') return { sql, type: 'number', scale: 0 };
      if (name === 'AVG') {
        const scale = e.type === 'boolean' ? 0 : e.scale;
        // MySQL's AVG of an exact number has its decimal places plus div_precision_increment (4).
        if (this.mysqlResults && scale !== undefined) return { sql: `round(${sql}, ${Math.min(scale + 4, 30)})`, type: 'number', scale: Math.min(scale + 4, 30) };
        return { sql, type: 'number', float: e.float };
      }
      if (name === 'SUM') return { sql, type: 'number', scale: e.type === 'boolean' ? 0 : e.scale, float: e.float };
      // MIN / MAX of a boolean read as 0/1 (Postgres has no max(boolean)), so they are numbers.
      return e.type === 'boolean' ? { sql, type: 'number', scale: 0 } : { ...e, sql, column: false };
    } finally {
      this.aggregateDepth--;
    }
  }

  /**
   * GROUP_CONCAT([DISTINCT] x, ... [ORDER BY ...] [SEPARATOR s]) -> string_agg: both skip NULLs (a row where any
   * part is NULL, since || is NULL then) and give NULL for no values. Postgres orders a DISTINCT aggregate only
   * by its argument.
   */
  private groupConcat(node: ParseNode): Expr {
    const kids = childrenOf(node);
    const words = keywords(node);
    const list = child(node, 'FunctionArgs');
    const argNodes = list ? childrenOf(list).filter((c) => !isTerminal(c)) : kids.filter((c) => kindOf(c) === 'FunctionArg');
    if (!argNodes.length) this.refuse(node);
    const parts = argNodes.map((a) => this.expression(a));
    const separatorIndex = kids.findIndex((c) => isTerminal(c) && c.getText().toUpperCase() === 'SEPARATOR');
    const separator = separatorIndex >= 0 ? stringValue(kids[separatorIndex + 1].getText()) : ',';
    const orders = kids.filter((c) => kindOf(c) === 'OrderByExpression');
    const distinct = words.includes('DISTINCT');
    const value: Expr = parts.length === 1 ? parts[0] : { sql: `(${parts.map((p) => this.asText(p)).join(' || ')})`, type: 'text' };
    const text = value.type === 'text' ? value.sql : this.asText(value);
    this.changes.add('GROUP_CONCAT -> string_agg: MySQL cuts the result at group_concat_max_len (1024 bytes by default), Postgres does not');
    const sep = quoteLiteral(separator);
    if (!distinct) {
      const order = orders.length ? ` ORDER BY ${orders.map((o) => this.orderItem(o)).join(', ')}` : '';
      return { sql: `string_agg(${text}, ${sep}${order})`, type: 'text' };
    }
    const distinctNumbers = (dir: string): Expr => ({
      // Sorted as numbers, not as their text; array_to_string skips NULLs as string_agg does.
      sql: `array_to_string(array_agg(DISTINCT ${value.sql} ORDER BY ${value.sql}${dir}) FILTER (WHERE ${value.sql} IS NOT NULL), ${sep})`, type: 'text',
    });
    if (!orders.length) {
      // MySQL gives DISTINCT values sorted in practice (it is unspecified); here that is explicit.
      return value.type === 'number' ? distinctNumbers('') : { sql: `string_agg(DISTINCT ${text}, ${sep} ORDER BY ${text})`, type: 'text' };
    }
    if (orders.length !== 1 || parts.length !== 1) this.refuse(node, 'GROUP_CONCAT(DISTINCT ...) ordered by several expressions or of several values');
    const [orderExpr, direction] = childrenOf(orders[0]);
    const order = this.expression(orderExpr);
    // Ordering by the value itself is the same order when the ORDER BY expression equals the value wherever the
    // value is not NULL (x, or IF(c, NULL, x) and its likes): the NULL rows are skipped anyway.
    if (!this.sameWhereNotNull(argNodes[0], orderExpr, value, order)) {
      this.refuse(node, 'GROUP_CONCAT(DISTINCT x ORDER BY y) with y other than x (Postgres orders a DISTINCT aggregate only by its argument)');
    }
    const dir = direction?.getText().toUpperCase() === 'DESC' ? ' DESC' : '';
    if (value.type === 'text') this.changes.add("text sorts by the Postgres column's collation, which may order case and accents differently from MySQL's");
    // Times written as MySQL writes them sort as the times do.
    if (value.type !== 'number') return { sql: `string_agg(DISTINCT ${text}, ${sep} ORDER BY ${text}${dir})`, type: 'text' };
    return distinctNumbers(dir);
  }

  /** Whether `value` is `order`, or IF / CASE giving NULL or `order`. */
  private sameWhereNotNull(valueNode: ParseNode, orderNode: ParseNode, value: Expr, order: Expr): boolean {
    if (value.sql === order.sql) return true;
    const inner = unwrap(valueNode);
    if (kindOf(inner) !== 'ScalarFunctionCall' && kindOf(inner) !== 'UdfFunctionCall') return false;
    const fn = (kindOf(inner) === 'UdfFunctionCall' ? nameParts(childrenOf(inner)[0]).join('.') : childrenOf(inner)[0].getText()).toUpperCase();
    const args = this.args(inner);
    if (fn !== 'IF' || args.length !== 3) return false;
    const isNull = (n: ParseNode) => /^NULL$/i.test(unwrap(n).getText());
    const orderText = unwrap(orderNode).getText();
    return (isNull(args[1]) && unwrap(args[2]).getText() === orderText) || (isNull(args[2]) && unwrap(args[1]).getText() === orderText);
  }

  /** One ORDER BY item: MySQL sorts NULLs first ascending and last descending, Postgres the other way round. */
  protected orderItem(o: ParseNode): string {
    const [e, direction] = childrenOf(o);
    const desc = direction?.getText().toUpperCase() === 'DESC';
    const value = this.expression(e);
    if (this.mysqlResults && value.type === 'text') this.changes.add("text sorts by the Postgres column's collation, which may order case and accents differently from MySQL's");
    // false sorts before true as 0 before 1.
    return `${value.sql} ${desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`;
  }

  /** A SELECT (subquery, derived table, view, or SELECT ... INTO): its SQL without INTO, and its columns. */
  query(node: ParseNode, into?: (types: Expr[]) => string): QueryResult {
    const savedAliases = this.aliases;
    this.aliases = null;
    try {
      const { branches, order, limit } = this.unionBranches(node);
      if (branches.length === 1 && !order && !limit) return this.select(branches[0].spec, into, true).result;
      if (into) this.refuse(node, 'SELECT ... INTO of a UNION');
      const last = branches[branches.length - 1];
      const selects = branches.map((b) => this.select(b.spec, undefined, b.parenthesised || b !== last));
      const width = selects[0].result.exprs.length;
      if (selects.some((s) => s.result.exprs.length !== width)) this.refuse(node, 'UNION branches with different numbers of columns');
      // Postgres wants one type per column: MySQL's union of numbers and text is text, of booleans and numbers numbers.
      const columnTypes = Array.from({ length: width }, (_, i) => new Set(selects.map((s) => s.result.exprs[i].type)));
      // MySQL gives a union's exact-number column the most decimal places of its branches, Postgres keeps each value's.
      const scales = Array.from({ length: width }, (_, i) => {
        const es = selects.map((s) => s.result.exprs[i]).filter((e) => e.type === 'number');
        return es.length && es.every((e) => e.scale !== undefined) ? Math.max(...es.map((e) => e.scale!)) : undefined;
      });
      const sqls = selects.map((s) => s.result.exprs.map((e, i) => {
        const types = columnTypes[i];
        const name = s.result.names[i];
        const scale = scales[i];
        const sql = types.has('text') && e.type !== 'text' && e.type !== 'unknown' ? this.asText(e)
          : types.has('number') && e.type === 'boolean' ? this.numeric(e)
          : scale !== undefined && e.type === 'number' && e.scale !== scale ? `round(${e.sql}, ${scale})` : e.sql;
        return name !== null && s === selects[0] ? `${sql} AS ${qi(name)}` : sql;
      }));
      const first = selects[0].result;
      const parts = selects.map((s, i) => {
        const sql = `SELECT ${s.distinct}${sqls[i].join(', ')}${s.result.rest ? ` ${s.result.rest}` : ''}`;
        return `${branches[i].operator ? `${branches[i].operator} ` : ''}${branches[i].parenthesised ? `(${sql})` : sql}`;
      });
      const orderNode = order ?? (last.parenthesised ? null : selects[selects.length - 1].order);
      const limitNode = limit ?? (last.parenthesised ? null : selects[selects.length - 1].limit);
      const tail: string[] = [];
      if (orderNode) {
        tail.push(`ORDER BY ${childrenOfKind(orderNode, 'OrderByExpression').map((o) => {
          // A union's ORDER BY names its output columns, by position or name.
          const [e, direction] = childrenOf(o);
          const text = unwrap(e).getText();
          const position = /^\d+$/.test(text) ? text : null;
          const name = position ? null : nameParts(unwrap(e)).pop()?.toLowerCase();
          const index = first.names.findIndex((n) => n !== null && n.toLowerCase() === name);
          if (!position && index < 0) this.refuse(o, 'an ORDER BY of a UNION that is not an output column');
          const desc = direction?.getText().toUpperCase() === 'DESC';
          return `${position ?? qi(first.names[index]!)} ${desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`;
        }).join(', ')}`);
      }
      if (limitNode) tail.push(this.limit(limitNode));
      const sql = [...parts, ...tail].join(' ');
      const types = columnTypes.map((t) => (t.has('text') ? 'text' : t.has('number') ? 'number' : t.size === 1 ? [...t][0] : 'unknown') as ValueType);
      const exprs = first.exprs.map((e, i) => ({ ...e, type: types[i], column: false, scale: types[i] === 'number' ? scales[i] : undefined }));
      return { sql, select: sqls[0].join(', '), rest: '', types, exprs, names: first.names, into: null };
    } finally {
      this.aliases = savedAliases;
    }
  }

  /** The SELECTs of a query, UNIONs flattened (the grammar nests them to the right), with a trailing ORDER BY / LIMIT of the whole. */
  private unionBranches(node: ParseNode): { branches: { spec: ParseNode; operator: string; parenthesised: boolean }[]; order: ParseNode | null; limit: ParseNode | null } {
    let n = node;
    const parenthesised = (q: ParseNode) => kindOf(q) === 'QueryExpression' && childrenOf(q).some((c) => isTerminal(c) && c.getText() === '(');
    while (kindOf(n) !== 'QuerySpecification' && !parenthesised(n)) {
      const kids = childrenOf(n).filter((c) => !isTerminal(c));
      if (kids.length !== 1) break;
      n = kids[0];
    }
    const branches: { spec: ParseNode; operator: string; parenthesised: boolean }[] = [];
    const add = (b: ParseNode, operator: string) => {
      if (parenthesised(b)) {
        let inner = b;
        while (parenthesised(inner)) inner = childrenOf(inner).find((c) => !isTerminal(c))!;
        if (kindOf(inner) !== 'QuerySpecification' || child(inner, 'UnionStatement')) this.refuse(b, 'a UNION inside parentheses');
        branches.push({ spec: inner, operator, parenthesised: true });
        return;
      }
      if (kindOf(b) !== 'QuerySpecification') this.refuse(b, `${kindOf(b)} in a query`);
      branches.push({ spec: b, operator, parenthesised: false });
      const union = child(b, 'UnionStatement');
      if (union) addUnion(union);
    };
    const addUnion = (union: ParseNode) => {
      const words = keywords(union);
      if (words[0] !== 'UNION') this.refuse(union, words[0]);
      const next = childrenOf(union).find((c) => !isTerminal(c));
      if (!next) this.refuse(union);
      add(next, words.includes('ALL') ? 'UNION ALL' : 'UNION');
    };
    let order: ParseNode | null = null;
    let limit: ParseNode | null = null;
    if (kindOf(n) === 'QuerySpecification' || parenthesised(n)) {
      add(n, '');
    } else {
      const kids = childrenOf(n).filter((c) => !isTerminal(c));
      kids.forEach((k, i) => {
        const kind = kindOf(k);
        if (i === 0) add(k, '');
        else if (kind === 'UnionStatement') addUnion(k);
        else if (kind === 'OrderByClause') order = k;
        else if (kind === 'LimitClause') limit = k;
        else this.refuse(k, `${kind} in a query`);
      });
      if (!branches.length) this.refuse(node, 'a query');
    }
    return { branches, order, limit };
  }

  /** LIMIT n, LIMIT offset, n and LIMIT n OFFSET m. */
  private limit(node: ParseNode): string {
    const atoms = childrenOfKind(node, 'LimitClauseAtom').map((a) => a.getText());
    if (!atoms.every((a) => /^\d+$/.test(a))) this.refuse(node, 'LIMIT of something but numbers');
    const [count, offset] = keywords(node).includes('OFFSET') ? atoms : atoms.length === 2 ? [atoms[1], atoms[0]] : atoms;
    return `LIMIT ${count}${offset !== undefined ? ` OFFSET ${offset}` : ''}`;
  }

  /** One SELECT: FROM, WHERE, GROUP BY, HAVING, and (unless a union's last branch) its ORDER BY and LIMIT. */
  private select(spec: ParseNode, into: ((types: Expr[]) => string) | undefined, ownTail: boolean): { result: QueryResult; distinct: string; order: ParseNode | null; limit: ParseNode | null } {
    const kids = childrenOf(spec);
    const scope: ScopeTable[] = [];
    this.scopes.push(scope);
    try {
      const from = child(spec, 'FromClause');
      let fromSql: string | null = null;
      let whereNode: ParseNode | null = null;
      if (from) {
        const fromKids = childrenOf(from);
        const sources = fromKids.find((c) => kindOf(c) === 'TableSources');
        // SELECT without FROM reads as an empty FROM clause.
        if (!sources && fromKids.length) this.refuse(from);
        if (sources) fromSql = this.tableSources(sources);
        const whereIndex = fromKids.findIndex((c) => isTerminal(c) && c.getText().toUpperCase() === 'WHERE');
        if (whereIndex >= 0) whereNode = fromKids[whereIndex + 1];
        if (fromKids.some((c) => !isTerminal(c) && c !== sources && c !== whereNode)) this.refuse(from, 'this FROM clause');
      }
      let intoNode: ParseNode | null = null;
      let distinct = '';
      const elements: { expr: Expr; name: string | null; uses: ColumnUse[]; node: ParseNode }[] = [];
      let groupNode: ParseNode | null = null, havingNode: ParseNode | null = null, orderNode: ParseNode | null = null, limitNode: ParseNode | null = null;
      for (const k of kids) {
        const kind = kindOf(k);
        if (isTerminal(k)) {
          if (k.getText().toUpperCase() !== 'SELECT') this.refuse(k, `SELECT ${k.getText()}`);
        } else if (kind === 'SelectSpec') {
          const word = keywords(k)[0];
          if (word === 'DISTINCT' || word === 'DISTINCTROW') distinct = 'DISTINCT ';
          // The rest only steer MySQL's optimiser or query cache.
          else if (!['ALL', 'SQL_CACHE', 'SQL_NO_CACHE', 'HIGH_PRIORITY', 'SQL_SMALL_RESULT', 'SQL_BIG_RESULT', 'SQL_BUFFER_RESULT', 'STRAIGHT_JOIN'].includes(word)) this.refuse(k, `SELECT ${word}`);
        } else if (kind === 'SelectElements') {
          for (const element of childrenOf(k)) {
            if (isTerminal(element)) {
              if (element.getText() === '*') elements.push(...this.allColumns(null, element));
              continue;
            }
            if (kindOf(element) === 'SelectElement_star' || kindOf(element) === 'PureAllColumns') {
              const full = child(unwrap(element), 'FullId');
              elements.push(...this.allColumns(full ? nameParts(full) : null, element));
              continue;
            }
            const start = this.uses.length;
            const { expr, name } = this.selectElement(element);
            elements.push({ expr, name, uses: this.uses.slice(start), node: element });
          }
        } else if (kind === 'SelectIntoVariables') {
          intoNode = k;
        } else if (kind === 'FromClause') {
          // above
        } else if (kind === 'GroupByClause') {
          groupNode = k;
        } else if (kind === 'HavingClause') {
          havingNode = k;
        } else if (kind === 'LimitClause') {
          limitNode = k;
        } else if (kind === 'OrderByClause') {
          orderNode = k;
        } else if (kind === 'UnionStatement') {
          // query() reads it
        } else {
          this.refuse(k);
        }
      }
      if (intoNode && !into) this.refuse(intoNode, 'INTO inside a subquery');
      const where = whereNode ? this.condition(whereNode) : null;
      const aliasMap = new Map<string, { expr: Expr; uses: ColumnUse[] }>();
      for (const e of elements) if (e.name !== null && !aliasMap.has(e.name.toLowerCase())) aliasMap.set(e.name.toLowerCase(), e);

      const grouped: ColumnUse[] = [];
      const groupItems: Expr[] = [];
      if (groupNode) {
        if (keywords(groupNode).includes('WITH')) this.refuse(groupNode, 'GROUP BY ... WITH ROLLUP');
        this.aliases = { names: aliasMap, first: false };
        for (const item of childrenOfKind(groupNode, 'GroupByItem')) {
          const [e, direction] = childrenOf(item);
          if (direction) this.refuse(item, 'GROUP BY ... ASC/DESC');
          const text = unwrap(e).getText();
          // GROUP BY 2: the second column.
          const start = this.uses.length;
          const position = /^\d+$/.test(text) ? elements[Number(text) - 1] ?? this.refuse(item, 'GROUP BY position') : null;
          const g = position ? position.expr : this.expression(e);
          groupItems.push(g);
          if (g.column) grouped.push(...(position ? position.uses : this.uses.slice(start)).filter((u) => u.scope === scope));
        }
      }
      let having: string | null = null;
      const havingStart = this.uses.length;
      if (havingNode) {
        this.aliases = { names: aliasMap, first: false };
        having = this.condition(childrenOf(havingNode).find((c) => !isTerminal(c))!);
      }
      const havingUses = this.uses.slice(havingStart);
      const orders: { sql: string; uses: ColumnUse[]; node: ParseNode; bare: string }[] = [];
      if (orderNode && ownTail) {
        this.aliases = { names: aliasMap, first: true };
        for (const o of childrenOfKind(orderNode, 'OrderByExpression')) {
          const start = this.uses.length;
          const sql = this.orderItem(o);
          orders.push({ sql, uses: this.uses.slice(start), node: o, bare: sql.replace(/ (ASC NULLS FIRST|DESC NULLS LAST)$/, '') });
        }
      }
      this.aliases = null;

      const aggregated = this.aggregatedScopes.has(scope);
      if (groupNode || aggregated) {
        const extra = this.checkGrouping(scope, groupItems, grouped, [
          ...elements.map((e) => ({ sql: e.expr.sql, uses: e.uses, node: e.node })),
          { sql: having ?? '', uses: havingUses, node: havingNode ?? spec },
          ...orders.map((o) => ({ sql: o.bare, uses: o.uses, node: o.node })),
        ], !!groupNode);
        groupItems.push(...extra);
      }
      if (distinct) {
        for (const o of orders) {
          if (!/^\d+$/.test(o.bare) && !elements.some((e) => e.expr.sql === o.bare || `(${e.expr.sql})` === o.bare)) this.refuse(o.node, 'ORDER BY of a column that SELECT DISTINCT does not select');
        }
      }
      const exprs = elements.map((e) => e.expr);
      const names = elements.map((e) => e.name);
      const select = into ? into(exprs) : elements.map((e) => (e.name !== null && (this.mysqlResults || e.expr.sql !== qi(e.name)) ? `${e.expr.sql} AS ${qi(e.name)}` : e.expr.sql)).join(', ');
      const tail = [
        ...(orders.length ? [`ORDER BY ${orders.map((o) => o.sql).join(', ')}`] : []),
        ...(limitNode && ownTail ? [this.limit(limitNode)] : []),
      ];
      const rest = [
        ...(fromSql ? [`FROM ${fromSql}`] : []),
        ...(where ? [`WHERE ${where}`] : []),
        ...(groupItems.length ? [`GROUP BY ${[...new Set(groupItems.map((g) => g.sql))].join(', ')}`] : []),
        ...(having ? [`HAVING ${having}`] : []),
        ...tail,
      ].join(' ');
      const result: QueryResult = { sql: `SELECT ${distinct}${select}${rest ? ` ${rest}` : ''}`, select, rest, types: exprs.map((e) => e.type), exprs, names, into: intoNode };
      return { result, distinct, order: ownTail ? null : orderNode, limit: ownTail ? null : limitNode };
    } finally {
      this.scopes.pop();
    }
  }

  /**
   * MySQL lets a query select columns it neither groups nor aggregates, taking them from any row of the group.
   * Postgres accepts the columns of a table whose primary key is grouped (they are the same in the whole group);
   * a column of a table one of whose NOT NULL unique keys is grouped is just as determined, and is added to GROUP BY.
   * Anything else is refused: its value would be MySQL's arbitrary pick.
   */
  private checkGrouping(scope: ScopeTable[], groupItems: Expr[], grouped: ColumnUse[], parts: { sql: string; uses: ColumnUse[]; node: ParseNode }[], explicit: boolean): Expr[] {
    const groupedColumns = new Map<ScopeTable, Set<string>>();
    const mark = (entry: ScopeTable, column: string) => groupedColumns.set(entry, new Set([...(groupedColumns.get(entry) ?? []), column.toLowerCase()]));
    for (const u of grouped) mark(u.entry, u.column);
    const isGrouped = (entry: ScopeTable, column: string) => groupedColumns.get(entry)?.has(column.toLowerCase()) ?? false;
    const groupSqls = new Set(groupItems.map((g) => g.sql));
    const extra: Expr[] = [];
    for (const part of parts) {
      if (groupSqls.has(part.sql)) continue;
      for (const u of part.uses) {
        if (u.scope !== scope || u.inAggregate || isGrouped(u.entry, u.column)) continue;
        if (!explicit) this.refuse(part.node, `column ${u.entry.alias}.${u.column} beside an aggregate without GROUP BY (MySQL takes it from any row)`);
        const pk = u.entry.table.primaryKey ?? [];
        if (pk.length && pk.every((c) => isGrouped(u.entry, c))) continue;
        const unique = [...(pk.length ? [pk] : []), ...(u.entry.table.uniqueKeys ?? [])].find((k) => k.every((c) => isGrouped(u.entry, c)));
        if (!unique) this.refuse(part.node, `column ${u.entry.alias}.${u.column}, neither grouped nor aggregated nor determined by a grouped key (MySQL takes it from any row of the group)`);
        extra.push({ sql: `${qi(u.entry.alias)}.${qi(u.column)}`, type: 'unknown', column: true });
        mark(u.entry, u.column);
      }
    }
    return extra;
  }

  /** t.* or *: every column of the table (or of all tables) in scope, in order. */
  private allColumns(qualifier: string[] | null, node: ParseNode): { expr: Expr; name: string | null; uses: ColumnUse[]; node: ParseNode }[] {
    const scope = this.scopes[this.scopes.length - 1];
    const alias = qualifier ? qualifier[qualifier.length - 1].toLowerCase() : null;
    const entries = scope.filter((s) => alias === null || s.alias.toLowerCase() === alias);
    if (!entries.length) this.refuse(node, 'SELECT * of no table');
    return entries.flatMap((entry) => entry.table.columns.map((c) => {
      const use: ColumnUse = { scope, entry, column: c.name, inAggregate: false };
      this.uses.push(use);
      return { expr: { sql: `${qi(entry.alias)}.${qi(c.name)}`, type: valueTypeOf(c.pgType), scale: scaleOf(c.pgType), temporal: temporalOf(c.pgType), column: true }, name: c.name, uses: [use], node };
    }));
  }

  private selectElement(node: ParseNode): { expr: Expr; name: string | null } {
    const kids = childrenOf(node).filter((c) => !(isTerminal(c) && c.getText().toUpperCase() === 'AS'));
    let body = node;
    let alias: string | null = null;
    if (kindOf(node).startsWith('SelectElement_') && kids.length === 2) {
      const aliasNode = kids[1];
      const text = aliasNode.getText();
      alias = /^['"]/.test(text) ? stringValue(text) : nameParts(aliasNode).join('.');
      body = kids[0];
    } else if (kindOf(node).startsWith('SelectElement_') && kids.length === 1) {
      body = kids[0];
    }
    const kind = kindOf(body);
    let expr: Expr;
    if (kind === 'SelectLiteralColumnName') expr = this.reference(childrenOf(body)[0]);
    else if (kind === 'SelectExpressionElement' || kind === 'SelectFunctionElement') {
      if (childrenOf(body).length !== 1) this.refuse(body, 'an assignment in SELECT');
      expr = this.expression(childrenOf(body)[0]);
    } else if (['ColumnName', 'FullColumnName', 'Uid', 'SimpleId', 'KeywordsCanBeId'].includes(kind)) expr = this.reference(body);
    else expr = this.expression(body);
    // MySQL shows a comparison's result as 0 or 1; a boolean column keeps the boolean type the table has.
    if (this.mysqlResults && expr.type === 'boolean' && !expr.column) expr = { sql: `(${expr.sql})::int`, type: 'number', scale: 0 };
    const name = alias ?? (expr.column ? nameParts(body).pop() ?? null : null);
    return { expr, name };
  }

  /** FROM items: tables, derived tables and parenthesised joins, joined INNER / LEFT / RIGHT / CROSS, or by commas. */
  protected tableSources(node: ParseNode): string {
    const bases = childrenOf(node).filter((c) => !isTerminal(c));
    const sqls = bases.map((base) => this.tableSourceBase(base, bases.length > 1));
    return sqls.join(' CROSS JOIN ');
  }

  private tableSourceBase(base: ParseNode, grouped: boolean): string {
    const kids = childrenOf(base);
    let sql = this.tableItem(kids[0]);
    for (const join of kids.slice(1)) {
      const words = keywords(join);
      const joinKind = kindOf(join);
      if (joinKind !== 'InnerJoin' && joinKind !== 'OuterJoin' && joinKind !== 'StraightJoin') this.refuse(join, 'this kind of join');
      const target = childrenOf(join).find((c) => !isTerminal(c) && kindOf(c) !== 'JoinSpec')!;
      const joined = this.tableItem(target);
      const spec = child(join, 'JoinSpec');
      const type = words.includes('LEFT') ? 'LEFT JOIN' : words.includes('RIGHT') ? 'RIGHT JOIN' : 'JOIN';
      if (!spec) {
        if (joinKind === 'OuterJoin') this.refuse(join, 'an outer join without ON');
        // JOIN without ON is a cross join in MySQL.
        sql += ` CROSS JOIN ${joined}`;
        continue;
      }
      const specKids = childrenOf(spec);
      const first = specKids[0].getText().toUpperCase();
      if (first === 'ON' && specKids.length === 2) {
        sql += ` ${type} ${joined} ON ${this.condition(specKids[1])}`;
      } else if (first === 'USING') {
        const names = specKids.filter((c) => !isTerminal(c)).flatMap((c) => childrenOf(c).filter((u) => !isTerminal(u)).map((u) => nameParts(u).join('.')));
        sql += ` ${type} ${joined} USING (${names.map(qi).join(', ')})`;
      } else {
        this.refuse(join, 'this join condition');
      }
    }
    return grouped && kids.length > 1 ? `(${sql})` : sql;
  }

  private tableItem(n: ParseNode): string {
    const scope = this.scopes[this.scopes.length - 1];
    let atom = n;
    while (!['AtomTableItem', 'TableSourcesItem', 'SubqueryTableItem'].includes(kindOf(atom)) && childrenOf(atom).length === 1 && !isTerminal(childrenOf(atom)[0])) atom = childrenOf(atom)[0];
    const kind = kindOf(atom);
    if (kind === 'TableSourcesItem') {
      const inner = child(atom, 'TableSources');
      if (!inner) this.refuse(atom);
      const sql = this.tableSources(inner);
      const single = childrenOf(inner).filter((c) => !isTerminal(c));
      // Postgres takes parentheses round a join only, not round one table.
      return single.length === 1 && childrenOf(single[0]).length === 1 ? sql : `(${sql})`;
    }
    if (kind === 'SubqueryTableItem') {
      const kids = childrenOf(atom).filter((c) => !(isTerminal(c) && c.getText().toUpperCase() === 'AS'));
      const source = kids.find((c) => kindOf(c) === 'AtomSubQueryTableSource') ?? kids[0];
      const sourceKids = childrenOf(source).filter((c) => !isTerminal(c));
      const aliasNode = kids.find((c) => c !== source && kindOf(c) === 'Uid') ?? sourceKids.find((c) => kindOf(c) === 'Uid');
      const query = sourceKids.find((c) => kindOf(c) !== 'Uid');
      if (!aliasNode || !query) this.refuse(atom, 'a derived table without an alias');
      if (kids.some((c) => kindOf(c) === 'UidList') || sourceKids.some((c) => kindOf(c) === 'UidList')) this.refuse(atom, 'a derived table with a column list');
      const result = this.query(query);
      const alias = nameParts(aliasNode).join('.');
      if (result.names.some((n) => n === null)) this.refuse(atom, 'a derived table column without a name');
      const table: RoutineTable = { sourceName: alias, name: alias, columns: result.names.map((name, i) => ({ name: name!, pgType: pgTypeOf(result.exprs[i]) })), identity: null };
      scope.push({ alias, table });
      return `(${result.sql}) AS ${qi(alias)}`;
    }
    if (kind !== 'AtomTableItem') this.refuse(n, 'this kind of FROM item');
    const kids = childrenOf(atom).filter((c) => !(isTerminal(c) && c.getText().toUpperCase() === 'AS'));
    const table = this.table(kids[0]);
    if (kids.length > 2) this.refuse(atom, 'PARTITION or index hints');
    const alias = kids.length === 2 ? nameParts(kids[1]).join('.') : table.sourceName;
    scope.push({ alias, table });
    return `${this.qualified(table)}${kids.length === 2 ? ` AS ${qi(alias)}` : alias !== table.name ? ` AS ${qi(alias)}` : ''}`;
  }
}
