/**
 * Find places in Python code that write outside the persistent home: string literals that are
 * absolute paths under a non-persistent location (/tmp, /var/tmp, /dev/shm, ...), which vanish
 * when the user's server restarts.
 *
 * This is pure logic: a small hand-written tokenizer that understands just enough Python to
 * find string literals (all quote styles and prefixes, f-strings, escapes) and to skip comments.
 * It never throws on malformed code and runs in linear time.
 *
 * Choices:
 * - A literal is flagged when its value (escapes decoded unless raw) starts with a location
 *   followed by `/` or the end of the string. Only the first line of a multi-line value counts.
 * - For an f-string (or t-string) only the literal text before the first replacement field
 *   counts (`{{` is a literal brace); string literals nested inside replacement fields are
 *   checked on their own, e.g. the '/tmp/x' in f"{open('/tmp/x')}".
 * - `file:` URLs are local paths: `file:///tmp/x` (also `file:/tmp/x`, `file://localhost/tmp/x`)
 *   is flagged, its path is the literal as written and its suggestion keeps the `file:` part.
 *   Other URLs (`s3a://bucket/tmp/x`, `http://host/tmp`) are never flagged.
 * - Paths under home are never flagged, even if a location contains home.
 * - Adjacent literals are not joined: `'/tmp/' 'x'` flags '/tmp/'; `'/t' 'mp/x'` flags nothing.
 * - IPython shell escapes and magics (`!cp x /tmp`, `%%writefile /tmp/x`) are not string
 *   literals and are not flagged.
 */

/** One string literal that names a path under a non-persistent location. */
export interface IPathFinding {
  /** The absolute path as written in the string literal (prefix part for f-strings, e.g. "/tmp/" for f"/tmp/{name}"). */
  path: string;
  /** The non-persistent location it is under, e.g. "/tmp". */
  location: string;
  /** 0-based index of the notebook cell, or null for a script. */
  cell: number | null;
  /** 1-based line number within the cell or file. */
  line: number;
  /** The equivalent place under home, e.g. "/home/jovyan/tmp/out.csv" for "/tmp/out.csv" with home "/home/jovyan". */
  suggestion: string;
}

/** Scratch places; all of them map to `${home}/tmp`. Other locations map to `${home}/<basename>`. */
const SCRATCH = new Set(['/tmp', '/var/tmp', '/dev/shm', '/run/shm']);

/** Valid Python string prefixes, lower-cased (t-strings are Python 3.14 template strings). */
const PREFIXES = new Set([
  'r',
  'u',
  'b',
  'f',
  't',
  'br',
  'rb',
  'fr',
  'rf',
  'tr',
  'rt'
]);

/** Deeper nesting of f-strings than this is scanned as plain strings, to bound recursion. */
const MAX_NESTING = 32;

const FILE_URL = /^file:(?:\/\/(?:localhost)?)?(?=\/)/i;

/** A string literal: where it starts (its prefix) and the first line of its value. */
interface ILiteral {
  start: number;
  value: string;
}

/** How the string being scanned is delimited. */
interface IFrame {
  quote: string;
  triple: boolean;
  raw: boolean;
  bytes: boolean;
  fstring: boolean;
}

/** The first line of a decoded string value, built piece by piece. */
class Collector {
  text = '';
  done = false;

  add(piece: string): void {
    if (this.done) {
      return;
    }
    if (piece.length === 1 && !isNewline(piece)) {
      this.text += piece;
      return;
    }
    const cut = piece.search(/[\r\n]/);
    if (cut < 0) {
      this.text += piece;
    } else {
      this.text += piece.slice(0, cut);
      this.done = true;
    }
  }
}

function isNewline(c: string): boolean {
  return c === '\n' || c === '\r';
}

function isIdentChar(c: string): boolean {
  return (
    (c >= 'a' && c <= 'z') ||
    (c >= 'A' && c <= 'Z') ||
    (c >= '0' && c <= '9') ||
    c === '_' ||
    c.charCodeAt(0) >= 0x80
  );
}

function isHex(text: string): boolean {
  return /^[0-9a-fA-F]+$/.test(text);
}

const SIMPLE_ESCAPES: { [key: string]: string } = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v'
};

/** Finds the string literals of Python source, skipping comments. */
class Tokenizer {
  readonly literals: ILiteral[] = [];
  private pos = 0;

  constructor(private readonly src: string) {}

  run(): void {
    const s = this.src;
    const n = s.length;
    while (this.pos < n) {
      const c = s[this.pos];
      if (c === '#') {
        while (this.pos < n && !isNewline(s[this.pos])) {
          this.pos++;
        }
      } else if (c === '"' || c === "'") {
        this.string(this.pos, '', 0);
      } else if (isIdentChar(c)) {
        this.word(0);
      } else {
        this.pos++;
      }
    }
  }

  /** A name or number; when it is a string prefix right before a quote, the string. */
  private word(depth: number): void {
    const s = this.src;
    const start = this.pos;
    while (this.pos < s.length && isIdentChar(s[this.pos])) {
      this.pos++;
    }
    const next = s[this.pos];
    if (
      (next === '"' || next === "'") &&
      this.pos - start <= 2 &&
      PREFIXES.has(s.slice(start, this.pos).toLowerCase())
    ) {
      this.string(start, s.slice(start, this.pos).toLowerCase(), depth);
    }
  }

  /** A string literal whose opening quote is at `pos`; records it. */
  private string(start: number, prefix: string, depth: number): void {
    const s = this.src;
    const quote = s[this.pos];
    const triple = s[this.pos + 1] === quote && s[this.pos + 2] === quote;
    this.pos += triple ? 3 : 1;
    const frame: IFrame = {
      quote,
      triple,
      raw: prefix.includes('r'),
      bytes: prefix.includes('b'),
      fstring:
        (prefix.includes('f') || prefix.includes('t')) && depth < MAX_NESTING
    };
    // Reserve the slot first so literals stay in source order when f-strings nest.
    const literal: ILiteral = { start, value: '' };
    this.literals.push(literal);
    const value = new Collector();
    this.body(frame, value, depth);
    literal.value = value.text;
  }

  /** True (and consumes it) when the closing quote(s) of `frame` are at `pos`. */
  private closes(frame: IFrame): boolean {
    const s = this.src;
    if (s[this.pos] !== frame.quote) {
      return false;
    }
    if (!frame.triple) {
      this.pos++;
      return true;
    }
    if (s[this.pos + 1] === frame.quote && s[this.pos + 2] === frame.quote) {
      this.pos += 3;
      return true;
    }
    return false;
  }

  /**
   * The inside of a string up to and including its closing quote(s). An unterminated
   * single-quoted string ends at the end of its line, a triple-quoted one at the end of input.
   */
  private body(frame: IFrame, value: Collector, depth: number): void {
    const s = this.src;
    const n = s.length;
    while (this.pos < n) {
      const c = s[this.pos];
      if (this.closes(frame)) {
        return;
      }
      if (isNewline(c)) {
        if (!frame.triple) {
          return;
        }
        value.add(c);
        this.pos++;
      } else if (c === '\\') {
        value.add(this.escape(frame));
      } else if (frame.fstring && c === '{') {
        if (s[this.pos + 1] === '{') {
          value.add('{');
          this.pos += 2;
        } else {
          // Only the text before the first replacement field is the value.
          value.done = true;
          this.pos++;
          if (this.field(frame, depth + 1)) {
            return;
          }
        }
      } else if (frame.fstring && c === '}') {
        value.add('}');
        this.pos += s[this.pos + 1] === '}' ? 2 : 1;
      } else {
        value.add(c);
        this.pos++;
      }
    }
  }

  /** A backslash sequence at `pos`: consumes it and returns its value. */
  private escape(frame: IFrame): string {
    const s = this.src;
    const next = s[this.pos + 1];
    if (next === undefined) {
      this.pos++;
      return '\\';
    }
    if (frame.fstring && (next === '{' || next === '}')) {
      // The brace is a field or a literal brace of its own; the backslash stays.
      this.pos++;
      return '\\';
    }
    if (isNewline(next)) {
      // A backslash-newline continues the string; raw strings keep both.
      const length = next === '\r' && s[this.pos + 2] === '\n' ? 3 : 2;
      const text = s.slice(this.pos, this.pos + length);
      this.pos += length;
      return frame.raw ? text : '';
    }
    if (frame.raw) {
      // Raw strings keep backslashes; the pair only stops an escaped quote from closing.
      this.pos += 2;
      return '\\' + next;
    }
    if (next in SIMPLE_ESCAPES) {
      this.pos += 2;
      return SIMPLE_ESCAPES[next];
    }
    if (next >= '0' && next <= '7') {
      const digits = /^[0-7]{1,3}/.exec(
        s.slice(this.pos + 1, this.pos + 4)
      )![0];
      this.pos += 1 + digits.length;
      return String.fromCharCode(parseInt(digits, 8));
    }
    const sized: { [key: string]: number } = frame.bytes
      ? { x: 2 }
      : { x: 2, u: 4, U: 8 };
    if (next in sized) {
      const hex = s.slice(this.pos + 2, this.pos + 2 + sized[next]);
      const code = parseInt(hex, 16);
      if (hex.length === sized[next] && isHex(hex) && code <= 0x10ffff) {
        this.pos += 2 + hex.length;
        return String.fromCodePoint(code);
      }
    }
    if (next === 'N' && !frame.bytes && s[this.pos + 2] === '{') {
      // \N{NAME}: kept as written; its braces are not an f-string field.
      const name = /^\{[A-Za-z0-9 -]*\}/.exec(
        s.slice(this.pos + 2, this.pos + 200)
      );
      if (name) {
        const text = s.slice(this.pos, this.pos + 2 + name[0].length);
        this.pos += text.length;
        return text;
      }
    }
    this.pos += 2;
    return '\\' + next;
  }

  /**
   * The expression of an f-string replacement field, after its `{`. Nested strings are
   * literals of their own. Returns true when the enclosing string ended inside the field.
   */
  private field(frame: IFrame, depth: number): boolean {
    const s = this.src;
    const n = s.length;
    let brackets = 0;
    while (this.pos < n) {
      const c = s[this.pos];
      if (isNewline(c)) {
        if (!frame.triple) {
          return true;
        }
        this.pos++;
      } else if (
        frame.triple &&
        c === frame.quote &&
        s[this.pos + 1] === c &&
        s[this.pos + 2] === c
      ) {
        // Malformed input; ending the string here limits the damage.
        this.pos += 3;
        return true;
      } else if (c === '"' || c === "'") {
        // Python 3.12 allows even the enclosing quote here.
        this.string(this.pos, '', depth);
      } else if (isIdentChar(c)) {
        this.word(depth);
      } else if (c === '(' || c === '[' || c === '{') {
        brackets++;
        this.pos++;
      } else if (c === ')' || c === ']') {
        brackets = Math.max(0, brackets - 1);
        this.pos++;
      } else if (c === '}') {
        this.pos++;
        if (brackets === 0) {
          return false;
        }
        brackets--;
      } else if (c === ':' && brackets === 0) {
        this.pos++;
        return this.spec(frame, depth);
      } else {
        this.pos++;
      }
    }
    return true;
  }

  /** The format spec of a replacement field, after its `:`, up to and including its `}`. */
  private spec(frame: IFrame, depth: number): boolean {
    const s = this.src;
    const n = s.length;
    while (this.pos < n) {
      const c = s[this.pos];
      if (this.closes(frame)) {
        return true;
      }
      if (isNewline(c)) {
        if (!frame.triple) {
          return true;
        }
        this.pos++;
      } else if (c === '\\') {
        this.escape(frame);
      } else if (c === '{' && depth < MAX_NESTING) {
        this.pos++;
        if (this.field(frame, depth + 1)) {
          return true;
        }
      } else if (c === '}') {
        this.pos++;
        return false;
      } else {
        this.pos++;
      }
    }
    return true;
  }
}

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}

/** Where a literal's value points, if it is under one of `locations` (longest match wins). */
function match(
  value: string,
  locations: string[],
  home: string
): { location: string; suggestion: string } | null {
  const url = FILE_URL.exec(value);
  const scheme = url ? url[0] : '';
  const path = value.slice(scheme.length);
  if (!path.startsWith('/')) {
    return null;
  }
  if (path === home || path.startsWith(home + '/')) {
    return null;
  }
  let best = '';
  for (const location of locations) {
    if (
      location.length > best.length &&
      (path === location || path.startsWith(location + '/'))
    ) {
      best = location;
    }
  }
  if (!best) {
    return null;
  }
  const base = best.slice(best.lastIndexOf('/') + 1);
  const target =
    SCRATCH.has(best) || base === 'tmp' ? `${home}/tmp` : `${home}/${base}`;
  return {
    location: best,
    suggestion: scheme + target + path.slice(best.length)
  };
}

/** Find string literals in Python source that are absolute paths under one of `locations`. */
export function findPathsInPython(
  source: string,
  locations: string[],
  home: string,
  cell: number | null = null
): IPathFinding[] {
  if (typeof source !== 'string' || !Array.isArray(locations)) {
    return [];
  }
  const places = locations
    .filter(location => typeof location === 'string')
    .map(trimSlashes)
    .filter(location => location.startsWith('/'));
  if (places.length === 0) {
    return [];
  }
  const homeDir = trimSlashes(typeof home === 'string' ? home : '');
  const tokenizer = new Tokenizer(source);
  tokenizer.run();

  const findings: IPathFinding[] = [];
  // Literals come in source order, so lines are counted in one pass.
  let line = 1;
  let counted = 0;
  for (const literal of tokenizer.literals) {
    const found = match(literal.value, places, homeDir);
    if (!found) {
      continue;
    }
    for (; counted < literal.start; counted++) {
      const c = source[counted];
      if (c === '\n' || (c === '\r' && source[counted + 1] !== '\n')) {
        line++;
      }
    }
    findings.push({
      path: literal.value,
      location: found.location,
      cell,
      line,
      suggestion: found.suggestion
    });
  }
  return findings;
}

/** Same over a notebook (nbformat 4 JSON object): code cells only, never markdown or raw cells; `cell` is the cell index. */
export function findPathsInNotebook(
  notebook: { cells: { cell_type: string; source: string | string[] }[] },
  locations: string[],
  home: string
): IPathFinding[] {
  const cells = notebook && Array.isArray(notebook.cells) ? notebook.cells : [];
  const findings: IPathFinding[] = [];
  cells.forEach((cell, index) => {
    if (!cell || cell.cell_type !== 'code') {
      return;
    }
    const source = Array.isArray(cell.source)
      ? cell.source.join('')
      : cell.source;
    for (const finding of findPathsInPython(source, locations, home, index)) {
      findings.push(finding);
    }
  });
  return findings;
}
