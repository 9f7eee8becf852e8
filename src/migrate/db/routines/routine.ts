// MySQL stored functions and procedures (SHOW CREATE FUNCTION / PROCEDURE) -> PL/pgSQL, through the parse tree.
// An EVENT's body can take the same road: wrapped as CREATE PROCEDURE name() BEGIN <body> END, it is a procedure.
import { quoteIdent as qi, quoteLiteral } from '../plan/expression.js';
import { fitIdentifier } from '../plan/names.js';
import { BodyTranslator, declaredType, INDENT, type ResultColumn, type RoutineSignature } from './body.js';
import type { RoutineTable } from './expression.js';
import { dollarQuoted, postgresRejects, type ParseNode, type RoutineParsers } from './parsers.js';
import { child, childrenOf, isTerminal, keywords, kindOf, nameParts, unwrap, Untranslatable } from './tree.js';

export interface RoutineSource {
  name: string;
  kind: 'function' | 'procedure';
  /** SHOW CREATE FUNCTION / PROCEDURE's statement. */
  sql: string;
}

export interface RoutinePlanInput {
  schema: string;
  database: string;
  tables: RoutineTable[];
  routines: RoutineSource[];
}

export interface PlannedRoutine {
  source: RoutineSource;
  /** Target routine name. */
  name: string;
  /** What Postgres made of it: a procedure that returns result sets may become a function. */
  kind: 'function' | 'procedure';
  /** The argument types as DROP FUNCTION / PROCEDURE name(...) needs them, e.g. "integer, numeric". */
  argumentTypes: string;
  /** CREATE FUNCTION / PROCEDURE ...: accepted by Postgres's parser. */
  sql: string[];
  /** What behaves differently from MySQL (how to call it, result sets, rounding ...), in words. */
  changes: string[];
  /** How triggers and other bodies call it. */
  signature: RoutineSignature;
}

export interface RoutinePlan {
  planned: PlannedRoutine[];
  refused: { source: RoutineSource; why: string }[];
}

type Volatility = 'IMMUTABLE' | 'STABLE' | 'VOLATILE';
const RANK: Record<Volatility, number> = { IMMUTABLE: 0, STABLE: 1, VOLATILE: 2 };

interface Header {
  node: ParseNode;
  signature: RoutineSignature;
  /** RoutineData / RoutineBehavior words: DETERMINISTIC, NO SQL, READS SQL DATA ... */
  characteristics: string[];
  body: ParseNode;
  sql: string;
}

interface Translated {
  source: RoutineSource;
  header: Header;
  declarations: string[];
  body: string[];
  label: string | null;
  resultSet: ResultColumn[] | null;
  own: Volatility;
  /** What the MySQL characteristics say, and what the body does that may need more. */
  declared: Volatility;
  does: string;
  calls: string[];
  changes: string[];
}

export function planRoutines(input: RoutinePlanInput, parsers: RoutineParsers): RoutinePlan {
  const tables = new Map(input.tables.map((t) => [t.sourceName.toLowerCase(), t]));
  const refused: RoutinePlan['refused'] = [];
  const headers = new Map<RoutineSource, Header>();
  for (const source of input.routines) {
    const header = readHeader(source, parsers);
    if ('why' in header) refused.push({ source, why: header.why });
    else headers.set(source, header);
  }
  const signatures = new Map([...headers].map(([source, h]) => [source.name.toLowerCase(), h.signature]));
  const translated: Translated[] = [];
  for (const [source, header] of headers) {
    const result = translate(source, header, input, tables, signatures);
    if ('why' in result) refused.push(result);
    else translated.push(result);
  }
  // A routine calling one that was refused would fail when called: it is refused too, until none is left.
  for (let changed = true; changed;) {
    changed = false;
    for (const t of [...translated]) {
      const missing = t.calls.find((c) => !translated.some((o) => o.source.name.toLowerCase() === c));
      if (missing === undefined) continue;
      translated.splice(translated.indexOf(t), 1);
      refused.push({ source: t.source, why: `it calls ${missing}, which is not migrated` });
      changed = true;
    }
  }
  const volatility = volatilities(translated);
  const planned: PlannedRoutine[] = [];
  for (const t of translated) {
    const routine = assemble(t, input, volatility.get(t) ?? 'VOLATILE');
    const problem = postgresRejects(routine.sql, parsers);
    if (problem) refused.push({ source: t.source, why: `Postgres's parser rejects the translation: ${problem}` });
    else planned.push(routine);
  }
  return { planned, refused };
}

function readHeader(source: RoutineSource, parsers: RoutineParsers): Header | { why: string } {
  let sql = source.sql;
  let parsed = parseHeader(sql, parsers);
  if ('bodyStart' in parsed && !/^\s*BEGIN\b/i.test(sql.slice(parsed.bodyStart))) {
    // A one-statement body means the same as that statement alone in BEGIN ... END, which the grammar delimits.
    sql = `${sql.slice(0, parsed.bodyStart)}BEGIN\n${sql.slice(parsed.bodyStart).replace(/;\s*$/, '')};\nEND`;
    parsed = parseHeader(sql, parsers);
  }
  if ('why' in parsed) return parsed;
  if ('bodyStart' in parsed) return { why: 'the MySQL parser reads its body as more than one statement' };
  const { node, body } = parsed;
  const isFunction = kindOf(node) === 'CreateFunction';
  try {
    if (keywords(node).includes('AGGREGATE')) throw new Untranslatable('CREATE AGGREGATE FUNCTION');
    const params = childrenOf(node).filter((c) => kindOf(c) === 'FunctionParameter' || kindOf(c) === 'ProcedureParameter').map((p) => {
      const mode = (keywords(p).find((w) => w === 'IN' || w === 'OUT' || w === 'INOUT') ?? 'IN') as 'IN' | 'OUT' | 'INOUT';
      const typeNode = childrenOf(p).find((c) => !isTerminal(c) && kindOf(c).endsWith('DataType'))!;
      return { name: nameParts(child(p, 'Uid')!)[0], mode, pgType: typeOf(typeNode, 'parameter') };
    });
    let returns: string | null = null;
    if (isFunction) {
      const returnsIndex = childrenOf(node).findIndex((c) => isTerminal(c) && c.getText().toUpperCase() === 'RETURNS');
      returns = typeOf(childrenOf(node)[returnsIndex + 1], 'result');
    }
    const characteristics = childrenOf(node).filter((c) => kindOf(c) === 'RoutineData' || kindOf(c) === 'RoutineBehavior').map((c) => keywords(c).join(' '));
    const kind = isFunction ? 'function' : hasResultSet(body) ? 'result-set' : 'procedure';
    return { node, body, sql, characteristics, signature: { name: fitIdentifier(source.name), kind, params, returns } };
  } catch (error) {
    if (error instanceof Untranslatable) return { why: `${error.message} is not translated` };
    throw error;
  }
}

function typeOf(node: ParseNode, what: string): string {
  try {
    return declaredType(node);
  } catch {
    throw new Untranslatable(`${what} type ${node.getText()}`);
  }
}

function parseHeader(sql: string, parsers: RoutineParsers): { node: ParseNode; body: ParseNode } | { bodyStart: number } | { why: string } {
  const { tree, errors } = parsers.parseMysql(sql);
  if (errors.length) return { why: `the MySQL parser does not read it (${errors[0]})` };
  const statements = childrenOf(tree).filter((c) => !isTerminal(c));
  let node = statements[0];
  while (node && kindOf(node) !== 'CreateFunction' && kindOf(node) !== 'CreateProcedure') {
    const kids = childrenOf(node).filter((c) => !isTerminal(c));
    node = kids.length === 1 ? kids[0] : (undefined as unknown as ParseNode);
  }
  if (!node) return { why: 'not a CREATE FUNCTION or CREATE PROCEDURE statement' };
  const body = child(node, 'RoutineBody') ?? child(node, 'ReturnStatement');
  if (!body) return { why: 'a routine without a body' };
  // The grammar can end a lone body statement early (INSERT INTO t | SET a = 1 ...): read it again inside BEGIN ... END.
  if (statements.length > 1) return { bodyStart: body.start?.start ?? 0 };
  return { node, body };
}

/** A SELECT without INTO as a statement of its own: MySQL sends its rows to the client. */
function hasResultSet(node: ParseNode): boolean {
  if (kindOf(node) === 'ProcedureSqlStatement') {
    const inner = unwrap(childrenOf(node).find((c) => !isTerminal(c))!);
    if (['QuerySpecification', 'UnionAndLateralSelect', 'SimpleSelect'].includes(kindOf(inner)) && !findKind(inner, 'SelectIntoVariables')) return true;
  }
  if (kindOf(node) === 'DeclareCursor' || kindOf(node) === 'DeclareHandler') return false;
  return childrenOf(node).some(hasResultSet);
}

function findKind(node: ParseNode, kind: string): boolean {
  if (kindOf(node) === kind) return true;
  return kindOf(node) !== 'SubqueryExpressionAtom' && childrenOf(node).some((c) => findKind(c, kind));
}

class RoutineTranslator extends BodyTranslator {
  constructor(source: string, input: RoutinePlanInput, tables: Map<string, RoutineTable>, routines: Map<string, RoutineSignature>, private readonly header: Header, qualify: boolean) {
    super(source, input.schema, input.database, tables, null, routines);
    this.returns = header.signature.returns;
    this.allowResultSet = header.signature.kind === 'result-set';
    this.qualifyColumns = qualify;
  }

  /** The body's lines; MySQL's parameters are variables of the outermost scope. */
  translate(): string[] {
    const { signature, body } = this.header;
    this.variables.push(new Map(signature.params.map((p) => [p.name.toLowerCase(), { name: p.name, pgType: p.pgType }])));
    // Postgres keeps no precision on a parameter's type; MySQL rounds the value passed to it.
    const rounding = signature.params.filter((p) => p.mode !== 'OUT' && /^numeric\(/.test(p.pgType)).map((p) => `${INDENT}${qi(p.name)} := ${qi(p.name)}::${p.pgType};`);
    const inner = unwrap(body);
    const lines = kindOf(inner) === 'BlockStatement' ? this.block(inner, 1, true) : this.statement(inner, 1);
    return [...rounding, ...lines];
  }
}

function translate(source: RoutineSource, header: Header, input: RoutinePlanInput, tables: Map<string, RoutineTable>, routines: Map<string, RoutineSignature>): Translated | { source: RoutineSource; why: string } {
  try {
    // RETURNS TABLE's columns are variables in the body: every column reference is written table-qualified so none is taken for one.
    const translator = new RoutineTranslator(header.sql, input, tables, routines, header, header.signature.kind === 'result-set');
    const body = translator.translate();
    const clash = translator.resultSet?.find((c) => header.signature.params.some((p) => p.name === c.name));
    if (clash) return { source, why: `a result set column named like the parameter ${clash.name} is not translated (RETURNS TABLE's columns and the parameters share one namespace)` };
    if (header.signature.kind === 'result-set' && header.signature.params.some((p) => p.mode !== 'IN')) {
      return { source, why: 'a procedure that returns a result set and has OUT or INOUT parameters is not translated (a Postgres function returns either rows or OUT values)' };
    }
    const words = header.characteristics.join(' ');
    const declared: Volatility = /\bNOT DETERMINISTIC\b/.test(words) ? (/READS SQL DATA/.test(words) ? 'STABLE' : 'VOLATILE')
      : /\bDETERMINISTIC\b|NO SQL/.test(words) ? 'IMMUTABLE' : /READS SQL DATA/.test(words) ? 'STABLE' : 'VOLATILE';
    const sqlText = body.join('\n');
    // What the body does overrides what it declares: reading tables or the clock is at least STABLE, writing is VOLATILE.
    const floor: Volatility = translator.writes ? 'VOLATILE' : translator.reads || /statement_timestamp\(\)/.test(sqlText) ? 'STABLE' : 'IMMUTABLE';
    const own = RANK[floor] > RANK[declared] ? floor : declared;
    const texts = [...header.signature.params.map((p) => p.pgType), ...translator.declarations.map((d) => d.replace(/^("(?:[^"]|"")+"|\S+) /, ''))];
    if (texts.some((t) => /^(varchar|text)/.test(t))) {
      translator.changes.add('text parameters and variables compare case-sensitively, even with a case-insensitive (citext) column (MySQL: by the collation, usually case-insensitively)');
    }
    return {
      source, header, declarations: [...translator.declarations, ...translator.hiddenDeclarations()], body, label: translator.outerLabel,
      resultSet: translator.resultSet, own, declared, calls: [...translator.calls], changes: [...translator.changes],
      does: translator.writes ? 'writes' : 'reads tables or the clock',
    };
  } catch (error) {
    if (error instanceof Untranslatable) return { source, why: `${error.message} is not translated` };
    throw error;
  }
}

/** A routine is as volatile as the most volatile routine it calls. */
function volatilities(translated: Translated[]): Map<Translated, Volatility> {
  const byName = new Map(translated.map((t) => [t.source.name.toLowerCase(), t]));
  const result = new Map(translated.map((t) => [t, t.own]));
  for (let changed = true; changed;) {
    changed = false;
    for (const t of translated) {
      for (const c of t.calls) {
        const callee = byName.get(c);
        if (callee && RANK[result.get(callee)!] > RANK[result.get(t)!]) {
          result.set(t, result.get(callee)!);
          changed = true;
        }
      }
    }
  }
  return result;
}

function assemble(t: Translated, input: RoutinePlanInput, volatility: Volatility): PlannedRoutine {
  const { signature } = t.header;
  const name = `${qi(input.schema)}.${qi(signature.name)}`;
  const changes = [...t.changes];
  const isFunction = signature.kind !== 'procedure';
  const params = signature.params.map((p) => `${signature.kind === 'procedure' && p.mode !== 'IN' ? `${p.mode} ` : ''}${qi(p.name)} ${p.pgType}`);
  const tail = signature.kind === 'function'
    // MySQL's error for a function that ends without RETURN, SQLSTATE 2F005 as Postgres's own.
    ? [`${INDENT}RAISE EXCEPTION USING ERRCODE = '2F005', MESSAGE = ${quoteLiteral(`FUNCTION ${t.source.name} ended without RETURN`)};`]
    : [];
  const body = t.label ? [`${INDENT}<<${qi(t.label)}>>`, `${INDENT}BEGIN`, ...t.body.map((l) => INDENT + l), `${INDENT}END ${qi(t.label)};`, ...tail] : [...t.body, ...tail];
  const text = [
    // MySQL resolves a name that is both a local variable and a column to the variable.
    '#variable_conflict use_variable',
    ...(t.declarations.length ? ['DECLARE', ...t.declarations.map((d) => `${INDENT}${d}`)] : []),
    'BEGIN',
    ...body,
    'END',
  ].join('\n');
  const args = params.join(', ');
  const call = signature.params.map((p) => (p.mode === 'OUT' ? 'NULL' : p.name)).join(', ');
  let head: string;
  if (signature.kind === 'function') {
    head = `CREATE FUNCTION ${name}(${args}) RETURNS ${signature.returns} LANGUAGE plpgsql ${volatility}`;
    const declared = t.header.characteristics.join(', ') || 'NOT DETERMINISTIC CONTAINS SQL';
    const why = volatility === t.own ? `it ${t.does}` : 'it calls a routine that is';
    changes.push(volatility === t.declared ? `${volatility} (MySQL: ${declared})` : `${volatility}, though MySQL declares it ${declared}: ${why}`);
  } else if (signature.kind === 'result-set') {
    const columns = t.resultSet!.map((c) => `${qi(c.name)} ${c.pgType}`).join(', ');
    head = `CREATE FUNCTION ${name}(${args}) RETURNS TABLE(${columns}) LANGUAGE plpgsql ${volatility}`;
    changes.push(`its result set is the function's rows: SELECT * FROM ${signature.name}(${call}) instead of CALL ${t.source.name}(...)`);
  } else {
    head = `CREATE PROCEDURE ${name}(${args}) LANGUAGE plpgsql`;
    if (signature.params.some((p) => p.mode !== 'IN')) changes.push(`CALL ${signature.name}(${call}) returns a row of its OUT and INOUT values (pass NULL for each OUT)`);
  }
  const invoker = childrenOf(t.header.node).some((c) => kindOf(c) === 'RoutineSecurity' && keywords(c).includes('INVOKER'));
  if (!invoker) changes.push("runs with its caller's privileges (MySQL's SQL SECURITY DEFINER ran it with its definer's)");
  const argumentTypes = signature.params.map((p) => `${signature.kind === 'procedure' && p.mode !== 'IN' ? `${p.mode} ` : ''}${p.pgType}`).join(', ');
  return {
    source: t.source, name: signature.name, kind: isFunction ? 'function' : 'procedure', argumentTypes,
    sql: [`${head} AS ${dollarQuoted(text)}`], changes, signature,
  };
}
