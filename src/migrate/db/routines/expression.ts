// MySQL expressions (as dt-sql-parser's tree has them) -> Postgres SQL, with the little typing needed to
// keep MySQL's meaning: tinyint(1) columns became boolean, while MySQL compares and adds them as integers.
import { quoteIdent as qi, quoteLiteral } from '../plan/expression.js';
import type { ParseNode } from './parsers.js';
import { child, childrenOf, isTerminal, keywords, kindOf, nameParts, sourceText, stringValue, unwrap, Untranslatable } from './tree.js';

export type ValueType = 'boolean' | 'number' | 'text' | 'time' | 'interval' | 'unknown';

export interface Expr {
  sql: string;
  type: ValueType;
  /** For a plain integer literal: its text (0 and 1 become FALSE and TRUE where a boolean is wanted). */
  integer?: string;
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
}

export interface TriggerContext {
  table: RoutineTable;
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  timing: 'BEFORE' | 'AFTER';
}

export interface Variable {
  name: string;
  pgType: string;
}

interface ScopeTable {
  alias: string;
  table: RoutineTable;
}

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

  constructor(
    protected readonly source: string,
    protected readonly schema: string,
    protected readonly database: string,
    protected readonly tables: Map<string, RoutineTable>,
    /** Inside a trigger body: the row NEW and OLD refer to. Views and routines have none. */
    protected readonly trigger: TriggerContext | null,
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
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const matches = this.scopes[i].filter((s) => (qualifier === null || s.alias.toLowerCase() === qualifier.toLowerCase()) && s.table.columns.some((c) => c.name.toLowerCase() === name.toLowerCase()));
      if (matches.length > 1) this.refuse(node, `ambiguous column ${name}`);
      if (matches.length === 1) {
        const { alias, table } = matches[0];
        const column = this.column(table, name, node);
        return { sql: qualifier === null ? qi(column.name) : `${qi(alias)}.${qi(column.name)}`, type: valueTypeOf(column.pgType) };
      }
    }
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
        return { sql: `(${result.sql})`, type: result.types.length === 1 ? result.types[0] : 'unknown' };
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
        return { sql: `(${this.numeric(this.expression(amount))} * interval '1 ${name}')`, type: 'interval' };
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
      case 'AggregateWindowedFunction':
        return this.aggregate(node);
      default:
        return this.refuse(node);
    }
  }

  private number(text: string): Expr {
    return /^\d+$/.test(text) ? { sql: text, type: 'number', integer: text } : { sql: text, type: 'number' };
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
      return { sql: quoteLiteral(tokens.map((t) => stringValue(t.getText())).join('')), type: 'text' };
    }
    if (kind === 'DecimalLiteral') return this.number(inner.getText());
    if (kind === 'BooleanLiteral') return { sql: inner.getText().toUpperCase(), type: 'boolean' };
    const words = keywords(inner);
    if (words.length === 1 && (words[0] === 'NULL' || words[0] === '\\N')) return { sql: 'NULL', type: 'unknown' };
    if (words.length === 1 && (words[0] === 'TRUE' || words[0] === 'FALSE')) return { sql: words[0], type: 'boolean' };
    if (words[0] === '-' && childrenOf(inner).length === 2 && kindOf(childrenOf(inner)[1]) === 'DecimalLiteral') return { sql: `-${childrenOf(inner)[1].getText()}`, type: 'number' };
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
  private comparable(left: Expr, right: Expr): [string, string] {
    if (left.type === 'boolean' && right.type === 'number') return [`(${left.sql})::int`, right.sql];
    if (right.type === 'boolean' && left.type === 'number') return [left.sql, `(${right.sql})::int`];
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
        if ((op === '+' || op === '-') && (right.type === 'interval' || left.type === 'interval')) return { sql: `(${left.sql} ${op} ${right.sql})`, type: 'time' };
        this.refuse(node, `date arithmetic with ${op}`);
      }
      const l = this.numeric(left), r = this.numeric(right);
      switch (op) {
        case '+': case '-': case '*': return { sql: `(${l} ${op} ${r})`, type: 'number' };
        case '%': case 'MOD': return { sql: `(${l} % ${r})`, type: 'number' };
        case '/':
          this.changes.add('/ divides as numeric (MySQL never divides integers as integers); a division by zero is an error in Postgres');
          return { sql: `((${l})::numeric / ${r})`, type: 'number' };
        case 'DIV':
          this.changes.add('a division by zero is an error in Postgres');
          return { sql: `div((${l})::numeric, (${r})::numeric)`, type: 'number' };
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
      case 'ROUND':
      case 'TRUNCATE': {
        if (args.length < 1 || args.length > 2 || (name === 'TRUNCATE' && args.length !== 2)) this.refuse(node);
        const [x, d] = values();
        return { sql: `${name === 'ROUND' ? 'round' : 'trunc'}((${this.numeric(x)})::numeric${d ? `, ${this.numeric(d)}` : ''})`, type: 'number' };
      }
      default: {
        const same = SAME_FUNCTIONS[name];
        if (!same) return this.unknownFunction(name, node, args);
        const vs = values();
        return { sql: `${same.name}(${vs.map((v) => this.numeric(v)).join(', ')})`, type: same.type === 'unknown' ? (vs[0]?.type ?? 'unknown') : same.type };
      }
    }
  }

  /** A function this translator does not know: routines know ROW_COUNT() and the other migrated functions. */
  protected unknownFunction(name: string, node: ParseNode, _args: ParseNode[]): Expr {
    return this.refuse(node, `function ${name}`);
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
    if (e.type === 'time') this.changes.add('a date or time turned into text is written in Postgres format');
    return `(${e.sql})::text`;
  }

  /** COALESCE, IF and CASE branches of booleans and numbers mixed are all numbers, as in MySQL. */
  private sameTypes(values: Expr[], build: (sqls: string[]) => string): Expr {
    const hasNumber = values.some((v) => v.type === 'number');
    const sqls = values.map((v) => (hasNumber ? this.numeric(v) : v.sql));
    const types = new Set(values.map((v) => v.type).filter((t) => t !== 'unknown'));
    const type: ValueType = hasNumber ? 'number' : types.size === 1 ? [...types][0] : 'unknown';
    return { sql: build(sqls), type };
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
    if (child(node, 'OverClause') || !['COUNT', 'SUM', 'MIN', 'MAX', 'AVG'].includes(name)) this.refuse(node, `aggregate ${name}`);
    if (words.includes('*')) return { sql: 'count(*)', type: 'number' };
    const args = childrenOf(node).filter((c) => !isTerminal(c));
    if (args.length !== 1) this.refuse(node);
    const inner = kindOf(args[0]) === 'FunctionArgs' ? childrenOf(args[0]).filter((c) => !isTerminal(c)) : args;
    if (inner.length !== 1) this.refuse(node);
    const e = this.expression(inner[0]);
    const distinct = words.includes('DISTINCT') ? 'DISTINCT ' : '';
    return { sql: `${name.toLowerCase()}(${distinct}${this.numeric(e)})`, type: name === 'COUNT' || name === 'SUM' || name === 'AVG' ? 'number' : e.type };
  }

  /** A SELECT (subquery or SELECT ... INTO): its SQL without INTO, and the types of its columns. */
  query(node: ParseNode, into?: (types: Expr[]) => string): { sql: string; select: string; rest: string; types: ValueType[]; into: ParseNode | null } {
    let spec = node;
    while (kindOf(spec) !== 'QuerySpecification') {
      const kids = childrenOf(spec).filter((c) => !isTerminal(c) || c.getText() !== '(' && c.getText() !== ')');
      if (kids.length !== 1 || isTerminal(kids[0])) this.refuse(node, 'a query with UNION or parentheses');
      spec = kids[0];
    }
    const kids = childrenOf(spec);
    const from = child(spec, 'FromClause');
    const scope: ScopeTable[] = [];
    this.scopes.push(scope);
    try {
      const fromParts: string[] = [];
      let where: string | null = null;
      if (from) {
        const fromKids = childrenOf(from);
        const sources = fromKids.find((c) => kindOf(c) === 'TableSources');
        if (!sources) this.refuse(from);
        fromParts.push(this.tableSources(sources));
        const whereIndex = fromKids.findIndex((c) => isTerminal(c) && c.getText().toUpperCase() === 'WHERE');
        if (whereIndex >= 0) where = this.condition(fromKids[whereIndex + 1]);
        if (fromKids.some((c) => !isTerminal(c) && c !== sources && c !== fromKids[whereIndex + 1])) this.refuse(from, 'GROUP BY or HAVING');
      }
      let intoNode: ParseNode | null = null;
      const tail: string[] = [];
      const elements: Expr[] = [];
      for (const k of kids) {
        const kind = kindOf(k);
        if (isTerminal(k)) {
          if (k.getText().toUpperCase() !== 'SELECT') this.refuse(k, `SELECT ${k.getText()}`);
        } else if (kind === 'SelectElements') {
          for (const element of childrenOf(k).filter((c) => !isTerminal(c))) elements.push(this.selectElement(element));
          if (childrenOf(k).some((c) => isTerminal(c) && c.getText() === '*')) this.refuse(k, 'SELECT *');
        } else if (kind === 'SelectIntoVariables') {
          intoNode = k;
        } else if (kind === 'FromClause') {
          // above
        } else if (kind === 'LimitClause') {
          const words = childrenOf(k).map((c) => c.getText().toUpperCase());
          if (words.length !== 2 || !/^\d+$/.test(words[1])) this.refuse(k, 'LIMIT with an offset');
          tail.push(`LIMIT ${words[1]}`);
        } else if (kind === 'OrderByClause') {
          tail.unshift(`ORDER BY ${childrenOf(k).filter((c) => kindOf(c) === 'OrderByExpression').map((o) => {
            const [e, direction] = childrenOf(o);
            return `${this.numeric(this.expression(e))}${direction ? ` ${direction.getText().toUpperCase()}` : ''}`;
          }).join(', ')}`);
        } else {
          this.refuse(k);
        }
      }
      if (intoNode && !into) this.refuse(intoNode, 'INTO inside a subquery');
      const select = into ? into(elements) : elements.map((e) => e.sql).join(', ');
      const rest = [...(fromParts.length ? [`FROM ${fromParts.join(', ')}`] : []), ...(where ? [`WHERE ${where}`] : []), ...tail].join(' ');
      return { sql: `SELECT ${select}${rest ? ` ${rest}` : ''}`, select, rest, types: elements.map((e) => e.type), into: intoNode };
    } finally {
      this.scopes.pop();
    }
  }

  private selectElement(node: ParseNode): Expr {
    const inner = unwrap(node);
    const kids = childrenOf(inner).filter((c) => !(isTerminal(c) && c.getText().toUpperCase() === 'AS'));
    const kind = kindOf(inner);
    if (kind === 'SelectExpressionElement' || kind === 'SelectLiteralColumnName' || kind === 'SelectFunctionElement' || kind === 'SelectElement_expr') {
      // expr AS alias: the alias sits beside the SelectExpressionElement that holds the expression.
      const e = kind === 'SelectLiteralColumnName' ? this.reference(kids[0]) : this.expression(kind === 'SelectElement_expr' ? childrenOf(kids[0])[0] : kids[0]);
      if (kids.length === 2) return { ...e, sql: `${e.sql} AS ${qi(nameParts(kids[1]).join('.'))}` };
      return e;
    }
    if (['ColumnName', 'FullColumnName', 'Uid', 'SimpleId', 'KeywordsCanBeId'].includes(kind)) return this.reference(inner);
    return this.expression(inner);
  }

  /** FROM items: tables with an optional alias, and INNER / LEFT / RIGHT joins ON a condition. */
  private tableSources(node: ParseNode): string {
    const parts: string[] = [];
    const scope = this.scopes[this.scopes.length - 1];
    const item = (n: ParseNode): string => {
      let atom = n;
      while (kindOf(atom) !== 'AtomTableItem' && childrenOf(atom).length === 1 && !isTerminal(childrenOf(atom)[0])) atom = childrenOf(atom)[0];
      if (kindOf(atom) !== 'AtomTableItem') this.refuse(n, 'a derived table or table list in FROM');
      const kids = childrenOf(atom).filter((c) => !(isTerminal(c) && c.getText().toUpperCase() === 'AS'));
      const table = this.table(kids[0]);
      if (kids.length > 2) this.refuse(atom, 'PARTITION or index hints');
      const alias = kids.length === 2 ? nameParts(kids[1]).join('.') : table.sourceName;
      scope.push({ alias, table });
      return `${this.qualified(table)}${kids.length === 2 ? ` AS ${qi(alias)}` : alias !== table.name ? ` AS ${qi(alias)}` : ''}`;
    };
    for (const base of childrenOf(node).filter((c) => !isTerminal(c))) {
      const kids = childrenOf(base);
      let sql = item(kids[0]);
      for (const join of kids.slice(1)) {
        const words = keywords(join);
        const joinKind = kindOf(join);
        if (joinKind !== 'InnerJoin' && joinKind !== 'OuterJoin') this.refuse(join, 'this kind of join');
        const target = childrenOf(join).find((c) => !isTerminal(c) && kindOf(c) !== 'JoinSpec')!;
        const spec = child(join, 'JoinSpec');
        const specKids = spec ? childrenOf(spec) : [];
        if (!spec || !isTerminal(specKids[0]) || specKids[0].getText().toUpperCase() !== 'ON' || specKids.length !== 2) this.refuse(join, 'a join without ON');
        const joined = item(target);
        const onNode = specKids[1];
        const type = words.includes('LEFT') ? 'LEFT JOIN' : words.includes('RIGHT') ? 'RIGHT JOIN' : 'JOIN';
        sql += ` ${type} ${joined} ON ${this.condition(onNode)}`;
      }
      parts.push(sql);
    }
    return parts.join(', ');
  }
}
