import { joinKey, normalizePrefix } from '../../logic/keys';
import {
  pythonSnippet,
  pythonSnippets,
  pythonString,
  s3aUri
} from '../../logic/snippets';

/**
 * What Python makes of a double-quoted string literal, following the language reference for
 * the escapes; anything else after a backslash, or a raw quote or line break, is an error here
 * because pythonString must never write it.
 */
function pythonValue(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  const body = literal.slice(1, -1);
  const simple: { [escape: string]: string } = {
    '\\': '\\',
    '"': '"',
    "'": "'",
    n: '\n',
    r: '\r',
    t: '\t'
  };
  const widths: { [escape: string]: number } = { x: 2, u: 4, U: 8 };
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '"' || char === '\n' || char === '\r') {
      throw new Error(`a raw ${JSON.stringify(char)} at ${i} ends the literal`);
    }
    if (char !== '\\') {
      value += char;
      continue;
    }
    const escape = body[++i];
    if (escape in simple) {
      value += simple[escape];
    } else if (escape in widths) {
      const digits = body.substr(i + 1, widths[escape]);
      expect(digits).toMatch(/^[0-9a-f]+$/);
      expect(digits.length).toBe(widths[escape]);
      value += String.fromCodePoint(parseInt(digits, 16));
      i += widths[escape];
    } else {
      throw new Error(`\\${escape} is not an escape pythonString may write`);
    }
  }
  return value;
}

/** The string literals of a snippet, in order. */
function literals(code: string): string[] {
  return code.match(/"(?:[^"\\\n]|\\.)*"/g) ?? [];
}

describe('pythonString', () => {
  it.each([
    ['plain', 'users/ada/sales.csv'],
    ['a quote and a backslash', 'shared/say "hi"\\there.csv'],
    ['a single quote', "users/ada/it's.csv"],
    ['non-ASCII letters and an emoji', 'shared/naïve/日本語 😀.txt'],
    ['line breaks and a tab', 'a\nb\rc\td'],
    ['a NUL, DEL and a C1 control', 'a\x00b\x7fc\x85d'],
    ['a no-break space', 'shared/a\u00a0b.csv'],
    ['a right-to-left override', 'shared/txt.\u202eexe'],
    ['a line separator', 'a\u2028b'],
    ['an astral format character', 'tag\u{e0001}x'],
    ['a lone surrogate', 'broken\ud800name']
  ])('round-trips a key with %s', (_, key) => {
    expect(pythonValue(pythonString(key))).toBe(key);
  });

  it('leaves printable text as it is, so that the key reads in the code', () => {
    expect(pythonString('shared/naïve 日本 😀.csv')).toBe(
      '"shared/naïve 日本 😀.csv"'
    );
    expect(pythonString('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
  });

  it('shows invisible characters as escapes', () => {
    expect(pythonString('a\u00a0b')).toBe('"a\\xa0b"');
    expect(pythonString('x\u202ey')).toBe('"x\\u202ey"');
    expect(pythonString('x\u{e0001}')).toBe('"x\\U000e0001"');
    expect(pythonString('a\x00')).toBe('"a\\x00"');
  });

  it('escapes a lone surrogate but keeps a surrogate pair one character', () => {
    expect(pythonString('\ud800')).toBe('"\\ud800"');
    expect(pythonString('😀')).toBe('"😀"');
  });
});

describe('s3aUri', () => {
  it.each([
    [
      'spaces and # as they are, as Hadoop reads them',
      'shared/my data/#1 report.csv'
    ],
    ['the trailing slash of a folder', 'users/ada/raw/']
  ])('keeps %s', (_, key) => {
    expect(s3aUri('datalake', key)).toBe(`s3a://datalake/${key}`);
  });
});

describe('normalizePrefix and joinKey', () => {
  it('drops blanks and stray slashes around and inside a sub-folder', () => {
    expect(normalizePrefix('  /projects//2026/ ')).toBe('projects/2026');
    expect(normalizePrefix('   ')).toBe('');
  });

  it('puts a sub-folder under the area, ending in a slash', () => {
    expect(joinKey('users/ada/', 'a/b/')).toBe('users/ada/a/b/');
    expect(joinKey('shared/', '')).toBe('shared/');
  });
});

describe('pythonSnippet', () => {
  it('lists a folder with a boto3 paginator', () => {
    const code = pythonSnippet('datalake', 'users/ada/raw/');
    expect(code).toContain('get_paginator("list_objects_v2")');
    expect(code).toContain(
      'boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"])'
    );
    expect(literals(code).map(pythonValue)).toContain('users/ada/raw/');
    expect(code).not.toContain('pandas');
  });

  it.each([
    ['sales.csv', 'read_csv'],
    ['table.PARQUET', 'read_parquet'],
    ['events.json', 'read_json']
  ])('reads %s with pandas.%s through s3fs', (name, reader) => {
    const code = pythonSnippet('datalake', `shared/${name}`);
    expect(code).toContain(`df = pd.${reader}(`);
    expect(code).toContain(
      'storage_options={"client_kwargs": {"endpoint_url": os.environ["AWS_ENDPOINT_URL_S3"]}}'
    );
    expect(literals(code).map(pythonValue)).toContain(
      `s3://datalake/shared/${name}`
    );
  });

  it('reads other files with boto3 get_object', () => {
    const code = pythonSnippet('datalake', 'users/ada/model.bin');
    expect(code).toContain('s3.get_object(');
    expect(literals(code).map(pythonValue)).toEqual(
      expect.arrayContaining(['datalake', 'users/ada/model.bin'])
    );
  });

  it.each([
    ['a dot in a folder name, which is no extension', 'shared/v1.csv/README'],
    ['"::", where fsspec would split the URL', 'shared/a::b.csv']
  ])('reads with boto3 a key with %s', (_, key) => {
    expect(pythonSnippet('datalake', key)).toContain('s3.get_object(');
  });

  it('quotes a key with quotes, backslashes and a line break so that it round-trips', () => {
    const key = 'shared/say "hi"\\\nthere.csv';
    const code = pythonSnippet('datalake', key);
    const values = literals(code).map(pythonValue);
    expect(values).toContain(`s3://datalake/${key}`);
    // The break is escaped: the code keeps the lines it was written with.
    expect(code.split('\n')).toHaveLength(
      pythonSnippet('d', 'k.csv').split('\n').length
    );
  });

  it('offers for a table the pandas form, then the boto3 form that needs nothing else', () => {
    const key = 'shared/sales.csv';
    const [pandas, boto3] = pythonSnippets('datalake', key);
    expect(pandas.kind).toBe('pandas');
    expect(boto3.kind).toBe('boto3');
    expect(boto3.code).toContain('s3.get_object(');
    expect(boto3.code).not.toMatch(/pandas|s3fs/);
    // Pasted as it is, the pandas form runs and the boto3 form is a comment until uncommented.
    const copied = pythonSnippet('datalake', key);
    const [runs, commented] = copied.split('\n\n# Without pandas');
    expect(runs).toBe(
      '# A DataFrame, with pandas and s3fs (pyarrow for Parquet):\n' +
        pandas.code.trimEnd()
    );
    const body = commented.split('\n').slice(1);
    expect(body.every(line => line === '' || line.startsWith('#'))).toBe(true);
    expect(body.map(line => line.replace(/^# ?/, '')).join('\n')).toBe(
      boto3.code
    );
  });

  it.each([
    ['a folder', 'users/ada/raw/', 'listing'],
    ['a file pandas does not read', 'users/ada/model.bin', 'boto3']
  ])(
    'copies for %s the one boto3 form, nothing commented out',
    (_, key, kind) => {
      const forms = pythonSnippets('datalake', key);
      expect(forms.map(form => form.kind)).toEqual([kind]);
      expect(pythonSnippet('datalake', key)).toBe(forms[0].code);
    }
  );
});
