// The JQL subset jiraline uses, parsed the way Jira does: clauses (field operator value),
// AND / OR / NOT, parentheses, IN lists, IS [NOT] EMPTY, functions, ORDER BY. Syntax
// errors carry Jira's wording ("Error in the JQL Query: … (line 1, character N)").

/** A JQL error: the message Jira puts in errorMessages of its 400. */
export class JqlError extends Error {}

/** An operand: a literal, or a function call such as currentUser(). */
export type Operand = { kind: 'value'; text: string } | { kind: 'fn'; name: string; args: string[] } | { kind: 'empty' };

/** One clause: field, operator, operand(s). */
export interface Clause { type: 'clause'; field: string; op: string; operands: Operand[]; at: number }

/** The parsed condition. */
export type Node = Clause | { type: 'and' | 'or'; left: Node; right: Node } | { type: 'not'; node: Node };

/** A parsed query: the condition (null for none) and the sort keys. */
export interface ParsedQuery { where: Node | null; orderBy: Array<{ field: string; desc: boolean }> }

type Token = { t: 'word' | 'string' | 'op' | '(' | ')' | ','; v: string; at: number };

// Unquoted values may not hold these (Jira's reserved characters: "full-stops are reserved
// characters and need to be surrounded by quote-marks"); a number such as 3.5 may stand bare.
const RESERVED = new Set(['+', '.', ';', '?', '|', '*', '/', '%', '^', '$', '#', '@', '[', ']', '{', '}']);
const NUMBER = /^-?\d+(\.\d+)?$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);

function syntax(message: string, at: number): JqlError {
  return new JqlError(`Error in the JQL Query: ${message} (line 1, character ${at})`);
}

function tokenize(jql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i];
    if (/\s/.test(c)) { i++; continue; }
    const at = i + 1;
    if (c === '(' || c === ')' || c === ',') { out.push({ t: c, v: c, at }); i++; continue; }
    const two = jql.slice(i, i + 2);
    if (two === '!=' || two === '!~' || two === '>=' || two === '<=') { out.push({ t: 'op', v: two, at }); i += 2; continue; }
    if (c === '=' || c === '~' || c === '>' || c === '<') { out.push({ t: 'op', v: c, at }); i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < jql.length && jql[j] !== c) {
        if (jql[j] === '\\' && j + 1 < jql.length) { text += jql[j + 1]; j += 2; continue; }
        text += jql[j++];
      }
      if (j >= jql.length) throw syntax(`The quoted string '${jql.slice(i + 1)}' has not been completed.`, at);
      out.push({ t: 'string', v: text, at });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < jql.length && !/[\s()=,!<>~"']/.test(jql[j])) j++;
    const word = jql.slice(i, j);
    if (word === '') throw syntax(`The character '${c}' is a reserved JQL character. You must enclose it in a string.`, at);
    if (!/^cf\[\d+\]$/i.test(word) && !NUMBER.test(word)) {
      const k = [...word].findIndex((ch) => RESERVED.has(ch));
      if (k >= 0) {
        const code = word.charCodeAt(k).toString(16).padStart(4, '0');
        throw syntax(`The character '${word[k]}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.`, at + k);
      }
    }
    out.push({ t: 'word', v: word, at });
    i = j;
  }
  return out;
}

/** Parses a JQL query; throws JqlError with Jira's message on a syntax error. */
export function parseJql(jql: string): ParsedQuery {
  const tokens = tokenize(jql);
  let i = 0;
  const end = jql.length + 1;
  const peek = () => tokens[i];
  const isKw = (tok: Token | undefined, kw: string) => tok !== undefined && tok.t === 'word' && tok.v.toLowerCase() === kw;
  const shown = (tok: Token | undefined) => (tok ? tok.v : 'EOF');

  function value(): Operand {
    const tok = peek();
    if (!tok || (tok.t !== 'word' && tok.t !== 'string')) {
      if (!tok) throw syntax('Expecting either a value, list or function before the end of the query.', end);
      throw syntax(`Expecting either a value, list or function but got '${tok.v}'.`, tok.at);
    }
    i++;
    if (tok.t === 'word' && peek()?.t === '(') {
      i++;
      const args: string[] = [];
      while (peek() && peek().t !== ')') {
        const a = peek();
        if (a.t !== 'word' && a.t !== 'string') throw syntax(`Expecting ')' but got '${a.v}'.`, a.at);
        args.push(a.v);
        i++;
        if (peek()?.t === ',') i++;
      }
      if (!peek()) throw syntax("Expecting ')' before the end of the query.", end);
      i++;
      return { kind: 'fn', name: tok.v, args };
    }
    if (tok.t === 'word' && (tok.v.toLowerCase() === 'empty' || tok.v.toLowerCase() === 'null')) return { kind: 'empty' };
    return { kind: 'value', text: tok.v };
  }

  function clause(): Node {
    const f = peek();
    if (!f) throw syntax('Expecting a field name before the end of the query.', end);
    if ((f.t !== 'word' && f.t !== 'string') || (f.t === 'word' && KEYWORDS.has(f.v.toLowerCase()))) {
      throw syntax(`Expecting a field name but got '${f.v}'.`, f.at);
    }
    i++;
    const o = peek();
    let op: string;
    if (o?.t === 'op') { op = o.v; i++; }
    else if (isKw(o, 'in')) { op = 'in'; i++; }
    else if (isKw(o, 'is')) {
      i++;
      if (isKw(peek(), 'not')) { i++; op = 'is not'; } else op = 'is';
    } else if (isKw(o, 'not') && isKw(tokens[i + 1], 'in')) { op = 'not in'; i += 2; }
    else {
      const msg = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";
      if (!o) throw syntax(`Expecting operator before the end of the query. ${msg}`, end);
      throw syntax(`Expecting operator but got '${o.v}'. ${msg}`, o.at);
    }
    const operands: Operand[] = [];
    if (op === 'in' || op === 'not in') {
      const open = peek();
      if (open?.t !== '(') throw syntax(`Expecting '(' but got '${shown(open)}'.`, open?.at ?? end);
      i++;
      for (;;) {
        operands.push(value());
        const sep = peek();
        if (sep?.t === ',') { i++; continue; }
        if (sep?.t === ')') { i++; break; }
        throw syntax(`Expecting ')' but got '${shown(sep)}'.`, sep?.at ?? end);
      }
    } else {
      const v = value();
      if ((op === 'is' || op === 'is not') && v.kind !== 'empty') {
        throw syntax(`The operator '${op.toUpperCase()}' only works with EMPTY or NULL.`, f.at);
      }
      operands.push(v);
    }
    return { type: 'clause', field: f.v, op, operands, at: f.at };
  }

  function primary(): Node {
    if (isKw(peek(), 'not')) { i++; return { type: 'not', node: primary() }; }
    if (peek()?.t === '(') {
      i++;
      const n = or();
      const close = peek();
      if (close?.t !== ')') throw syntax(`Expecting ')' but got '${shown(close)}'.`, close?.at ?? end);
      i++;
      return n;
    }
    return clause();
  }
  function and(): Node {
    let left = primary();
    while (isKw(peek(), 'and')) { i++; left = { type: 'and', left, right: primary() }; }
    return left;
  }
  function or(): Node {
    let left = and();
    while (isKw(peek(), 'or')) { i++; left = { type: 'or', left, right: and() }; }
    return left;
  }

  let where: Node | null = null;
  if (peek() && !isKw(peek(), 'order')) where = or();
  const orderBy: ParsedQuery['orderBy'] = [];
  if (peek()) {
    if (!isKw(peek(), 'order')) throw syntax(`Expecting either 'OR' or 'AND' but got '${peek().v}'.`, peek().at);
    i++;
    if (!isKw(peek(), 'by')) throw syntax(`Expecting 'by' but got '${shown(peek())}'.`, peek()?.at ?? end);
    i++;
    for (;;) {
      const f = peek();
      if (!f || (f.t !== 'word' && f.t !== 'string')) throw syntax(`Expecting a field name but got '${shown(f)}'.`, f?.at ?? end);
      i++;
      let desc = false;
      if (isKw(peek(), 'asc')) i++;
      else if (isKw(peek(), 'desc')) { desc = true; i++; }
      orderBy.push({ field: f.v, desc });
      if (peek()?.t === ',') { i++; continue; }
      if (peek()) throw syntax(`Expecting ',' but got '${peek().v}'.`, peek().at);
      break;
    }
  }
  return { where, orderBy };
}
