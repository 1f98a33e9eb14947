/**
 * What the user copies to reach an object of the data lake from code: its s3a:// URI for Spark,
 * Hive and Trino, and Python that reads it from inside the user's server. Pure functions, so
 * that the quoting can be tested without a server.
 */

/**
 * `s3a://bucket/key`, with the key as it is: Hadoop's Path takes the text after the bucket
 * literally, so percent-encoding a space or `#` would name another object.
 */
export function s3aUri(bucket: string, key: string): string {
  return `s3a://${bucket}/${key}`;
}

/** Control, format, separator and unpaired surrogate characters, which must not appear raw. */
const UNPRINTABLE = /^[\p{C}\p{Z}]$/u;

const SHORT_ESCAPES: { [char: string]: string } = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t'
};

/**
 * A double-quoted Python string literal whose value is `value`. Invisible characters are
 * escaped too, so that a key with a no-break space or a bidi override shows what it really is
 * (and cannot reorder the code around it).
 */
export function pythonString(value: string): string {
  let literal = '"';
  // for…of walks code points: a pair of surrogates stays one character, a lone one is escaped.
  for (const char of value) {
    const cp = char.codePointAt(0) as number;
    if (SHORT_ESCAPES[char]) {
      literal += SHORT_ESCAPES[char];
    } else if (char !== ' ' && UNPRINTABLE.test(char)) {
      literal +=
        cp <= 0xff
          ? `\\x${hex(cp, 2)}`
          : cp <= 0xffff
            ? `\\u${hex(cp, 4)}`
            : `\\U${hex(cp, 8)}`;
    } else {
      literal += char;
    }
  }
  return literal + '"';
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** Extensions pandas reads directly, with the function that reads them. */
const PANDAS_READERS: { [extension: string]: string } = {
  '.csv': 'read_csv',
  '.parquet': 'read_parquet',
  '.json': 'read_json'
};

const ENDPOINT = 'os.environ["AWS_ENDPOINT_URL_S3"]';

/** The client line every boto3 snippet starts with; the endpoint is set in every user's server. */
const BOTO3_CLIENT = [
  'import os',
  '',
  'import boto3',
  '',
  `s3 = boto3.client("s3", endpoint_url=${ENDPOINT})`
];

/**
 * How a snippet reads: a folder's listing and an object's bytes need only boto3, which every
 * server with this extension has; a DataFrame needs pandas and s3fs (and pyarrow for Parquet),
 * which a data-science image has and a minimal one may not.
 */
export type SnippetKind = 'listing' | 'boto3' | 'pandas';

export interface IPythonSnippet {
  kind: SnippetKind;
  /** Runnable as it is, in a cell of its own. */
  code: string;
}

/**
 * The ways to read `key` from inside the user's server, where the S3 endpoint and the
 * credentials are in the environment, the preferred first: a listing for a folder (a key
 * ending in "/"); for CSV, Parquet and JSON a pandas DataFrame, then the bytes through boto3
 * alone; the object's bytes otherwise.
 */
export function pythonSnippets(bucket: string, key: string): IPythonSnippet[] {
  if (key.endsWith('/')) {
    return [{ kind: 'listing', code: listingSnippet(bucket, key) }];
  }
  const boto3: IPythonSnippet = {
    kind: 'boto3',
    code: lines(
      ...BOTO3_CLIENT,
      `obj = s3.get_object(Bucket=${pythonString(bucket)}, Key=${pythonString(key)})`,
      'data = obj["Body"].read()'
    )
  };
  const dot = key.lastIndexOf('.');
  const reader =
    dot > key.lastIndexOf('/')
      ? PANDAS_READERS[key.slice(dot).toLowerCase()]
      : undefined;
  // fsspec splits URLs at "::" to chain file systems; such a key is read through boto3 only.
  if (!reader || key.includes('::')) {
    return [boto3];
  }
  const pandas: IPythonSnippet = {
    kind: 'pandas',
    code: lines(
      'import os',
      '',
      'import pandas as pd',
      '',
      `df = pd.${reader}(`,
      `    ${pythonString(`s3://${bucket}/${key}`)},`,
      `    storage_options={"client_kwargs": {"endpoint_url": ${ENDPOINT}}},`,
      ')',
      'df.head()'
    )
  };
  return [pandas, boto3];
}

/**
 * What "Copy Python snippet" puts on the clipboard: the preferred form, runnable as pasted,
 * and below it any other form commented out, with what each needs, so that a kernel without
 * pandas or s3fs still has a way that works (select it and press Ctrl+/ to uncomment).
 */
export function pythonSnippet(bucket: string, key: string): string {
  const [first, ...others] = pythonSnippets(bucket, key);
  if (others.length === 0) {
    return first.code;
  }
  const blocks = [lines(`# ${NEEDS[first.kind]}`) + first.code];
  for (const other of others) {
    blocks.push(lines(`# ${NEEDS[other.kind]}`) + commentedOut(other.code));
  }
  return blocks.join('\n');
}

/** What a form needs, as the comment above it says. */
const NEEDS: { [kind in SnippetKind]: string } = {
  listing: 'With boto3 alone:',
  boto3: "Without pandas or s3fs, with boto3 alone (the object's bytes):",
  pandas: 'A DataFrame, with pandas and s3fs (pyarrow for Parquet):'
};

function listingSnippet(bucket: string, prefix: string): string {
  return lines(
    ...BOTO3_CLIENT,
    'pages = s3.get_paginator("list_objects_v2").paginate(',
    `    Bucket=${pythonString(bucket)}, Prefix=${pythonString(prefix)}`,
    ')',
    'for page in pages:',
    '    for obj in page.get("Contents", []):',
    '        print(obj["Key"], obj["Size"])'
  );
}

/** Python commented out line by line, so that JupyterLab's toggle comment (Ctrl+/) undoes it. */
function commentedOut(code: string): string {
  const commented = code
    .replace(/\n$/, '')
    .split('\n')
    .map(line => (line ? `# ${line}` : '#'));
  return lines(...commented);
}

function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}
