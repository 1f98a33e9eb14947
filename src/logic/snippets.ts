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
 * Python that reads `key` from inside the user's server, where the S3 endpoint and the
 * credentials are in the environment: a listing for a folder (a key ending in "/"), a pandas
 * DataFrame for CSV, Parquet and JSON, and the object's bytes otherwise.
 */
export function pythonSnippet(bucket: string, key: string): string {
  if (key.endsWith('/')) {
    return lines(
      ...BOTO3_CLIENT,
      'pages = s3.get_paginator("list_objects_v2").paginate(',
      `    Bucket=${pythonString(bucket)}, Prefix=${pythonString(key)}`,
      ')',
      'for page in pages:',
      '    for obj in page.get("Contents", []):',
      '        print(obj["Key"], obj["Size"])'
    );
  }
  const dot = key.lastIndexOf('.');
  const reader =
    dot > key.lastIndexOf('/')
      ? PANDAS_READERS[key.slice(dot).toLowerCase()]
      : undefined;
  // fsspec splits URLs at "::" to chain file systems; such a key is read through boto3.
  if (reader && !key.includes('::')) {
    return lines(
      'import os',
      '',
      'import pandas as pd',
      '',
      `df = pd.${reader}(`,
      `    ${pythonString(`s3://${bucket}/${key}`)},`,
      `    storage_options={"client_kwargs": {"endpoint_url": ${ENDPOINT}}},`,
      ')',
      'df.head()'
    );
  }
  return lines(
    ...BOTO3_CLIENT,
    `obj = s3.get_object(Bucket=${pythonString(bucket)}, Key=${pythonString(key)})`,
    'data = obj["Body"].read()'
  );
}

function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}
