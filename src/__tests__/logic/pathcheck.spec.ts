import {
  findPathsInNotebook,
  findPathsInPython,
  IPathFinding
} from '../../logic/pathcheck';

const HOME = '/home/jovyan';
const LOCATIONS = ['/tmp', '/var/tmp', '/dev/shm'];

function find(source: string): IPathFinding[] {
  return findPathsInPython(source, LOCATIONS, HOME);
}

/** The finding for a /tmp-style path on a line of a script. */
function at(
  line: number,
  path: string,
  location: string,
  suggestion: string
): IPathFinding {
  return { path, location, cell: null, line, suggestion };
}

describe('findPathsInPython', () => {
  it('flags a path written by pandas', () => {
    expect(find("df.to_csv('/tmp/out.csv')")).toEqual([
      {
        path: '/tmp/out.csv',
        location: '/tmp',
        cell: null,
        line: 1,
        suggestion: '/home/jovyan/tmp/out.csv'
      }
    ]);
  });

  it.each([
    ['"/tmp/out.csv"', '/tmp/out.csv', '/tmp', '/home/jovyan/tmp/out.csv'],
    ["'/tmp'", '/tmp', '/tmp', '/home/jovyan/tmp'],
    ["'/tmp/'", '/tmp/', '/tmp', '/home/jovyan/tmp/'],
    ["'/var/tmp/x'", '/var/tmp/x', '/var/tmp', '/home/jovyan/tmp/x'],
    ["'/var/tmp'", '/var/tmp', '/var/tmp', '/home/jovyan/tmp'],
    ["'/dev/shm/x'", '/dev/shm/x', '/dev/shm', '/home/jovyan/tmp/x'],
    ["'/tmp/a b/c.csv'", '/tmp/a b/c.csv', '/tmp', '/home/jovyan/tmp/a b/c.csv']
  ])('flags the plain literal %s', (source, path, location, suggestion) => {
    expect(find(`x = ${source}`)).toEqual([at(1, path, location, suggestion)]);
  });

  it.each([
    ["r'/tmp/x'", '/tmp/x'],
    ["R'/tmp/x'", '/tmp/x'],
    ["b'/tmp/x'", '/tmp/x'],
    ["B'/tmp/x'", '/tmp/x'],
    ["u'/tmp/x'", '/tmp/x'],
    ["U'/tmp/x'", '/tmp/x'],
    ["f'/tmp/x'", '/tmp/x'],
    ["F'/tmp/x'", '/tmp/x'],
    ["rb'/tmp/x'", '/tmp/x'],
    ["Rb'/tmp/x'", '/tmp/x'],
    ["bR'/tmp/x'", '/tmp/x'],
    ["br'/tmp/x'", '/tmp/x'],
    ["BR'/tmp/x'", '/tmp/x'],
    ["fr'/tmp/x'", '/tmp/x'],
    ["rf'/tmp/x'", '/tmp/x'],
    ["Rf'/tmp/x'", '/tmp/x'],
    ["fR'/tmp/x'", '/tmp/x']
  ])('flags the prefixed literal %s', (source, path) => {
    expect(find(`open(${source})`)).toEqual([
      at(1, path, '/tmp', '/home/jovyan' + path)
    ]);
  });

  it('keeps backslashes in raw strings and decodes them elsewhere', () => {
    expect(
      find("a = r'/tmp/a\\b'\nb = '/tmp/a\\\\b'\nc = '/tmp/a\\tb'")
    ).toEqual([
      at(1, '/tmp/a\\b', '/tmp', '/home/jovyan/tmp/a\\b'),
      at(2, '/tmp/a\\b', '/tmp', '/home/jovyan/tmp/a\\b'),
      at(3, '/tmp/a\tb', '/tmp', '/home/jovyan/tmp/a\tb')
    ]);
  });

  it('decodes hex, octal and unicode escapes', () => {
    expect(
      find("a = '\\x2ftmp/x'\nb = '\\057tmp/y'\nc = '\\u002ftmp/z'")
    ).toEqual([
      at(1, '/tmp/x', '/tmp', '/home/jovyan/tmp/x'),
      at(2, '/tmp/y', '/tmp', '/home/jovyan/tmp/y'),
      at(3, '/tmp/z', '/tmp', '/home/jovyan/tmp/z')
    ]);
    // Bytes have no \u escape.
    expect(find("b'\\u002ftmp/z'")).toEqual([]);
  });

  describe('f-strings', () => {
    it('flag the text before the first field', () => {
      expect(find('p = f"/dev/shm/{name}"')).toEqual([
        at(1, '/dev/shm/', '/dev/shm', '/home/jovyan/tmp/')
      ]);
      expect(find("p = f'/tmp/{a}/{b}.csv'")).toEqual([
        at(1, '/tmp/', '/tmp', '/home/jovyan/tmp/')
      ]);
      expect(find("p = f'/tmp{suffix}'")).toEqual([
        at(1, '/tmp', '/tmp', '/home/jovyan/tmp')
      ]);
    });

    it('do not flag a location after a field', () => {
      expect(find('p = f"{base}/tmp/x"')).toEqual([]);
      expect(find('p = f"{HOME}/dev/shm"')).toEqual([]);
    });

    it('treat doubled braces as literal braces', () => {
      expect(find("f'/tmp/{{x}}/{y}'")).toEqual([
        at(1, '/tmp/{x}/', '/tmp', '/home/jovyan/tmp/{x}/')
      ]);
      expect(find("f'{{/tmp/x'")).toEqual([]);
      expect(find("'/tmp/{x}'")).toEqual([
        at(1, '/tmp/{x}', '/tmp', '/home/jovyan/tmp/{x}')
      ]);
    });

    it('check string literals inside fields on their own', () => {
      expect(find('msg = f"{open(\'/tmp/x\').read()}"')).toEqual([
        at(1, '/tmp/x', '/tmp', '/home/jovyan/tmp/x')
      ]);
      // Python 3.12 allows the enclosing quote inside a field.
      expect(find('f"{d["k"]}/tmp/x"\ny = "/tmp/y"')).toEqual([
        at(2, '/tmp/y', '/tmp', '/home/jovyan/tmp/y')
      ]);
    });

    it('skip format specs, conversions and named escapes', () => {
      expect(find("f'{x!r:>{width}}' + '/tmp/a'")).toEqual([
        at(1, '/tmp/a', '/tmp', '/home/jovyan/tmp/a')
      ]);
      expect(find("f'/tmp/{x:%Y-%m}.csv'")).toEqual([
        at(1, '/tmp/', '/tmp', '/home/jovyan/tmp/')
      ]);
      expect(find("f'/tmp/\\N{BULLET}{x}'")).toEqual([
        at(1, '/tmp/\\N{BULLET}', '/tmp', '/home/jovyan/tmp/\\N{BULLET}')
      ]);
      expect(find('f\'{ {"a": 1}["a"] }\' ; \'/var/tmp\'')).toEqual([
        at(1, '/var/tmp', '/var/tmp', '/home/jovyan/tmp')
      ]);
    });

    it('span lines when triple-quoted', () => {
      const source = [
        'f"""{',
        '  x',
        '}/tmp""" ; open(f"""/tmp/{',
        'a}"""',
        '"/tmp/b"'
      ].join('\n');
      expect(find(source)).toEqual([
        at(3, '/tmp/', '/tmp', '/home/jovyan/tmp/'),
        at(5, '/tmp/b', '/tmp', '/home/jovyan/tmp/b')
      ]);
    });
  });

  it('keeps line numbers right across triple-quoted strings', () => {
    const source = [
      'DOC = """',
      "A docstring with 'quotes' and # not a comment",
      "and '/tmp/inside' mentioned",
      '"""',
      "x = '/tmp/one'",
      "y = '''/var/tmp/two",
      "more ''' ; z = '/dev/shm/three'",
      '',
      'w = """/tmp/a.csv"""'
    ].join('\n');
    expect(find(source)).toEqual([
      at(5, '/tmp/one', '/tmp', '/home/jovyan/tmp/one'),
      at(6, '/var/tmp/two', '/var/tmp', '/home/jovyan/tmp/two'),
      at(7, '/dev/shm/three', '/dev/shm', '/home/jovyan/tmp/three'),
      at(9, '/tmp/a.csv', '/tmp', '/home/jovyan/tmp/a.csv')
    ]);
  });

  it('counts CRLF and CR line ends', () => {
    expect(find("a = 1\r\nb = '/tmp/x'\rc = '/tmp/y'")).toEqual([
      at(2, '/tmp/x', '/tmp', '/home/jovyan/tmp/x'),
      at(3, '/tmp/y', '/tmp', '/home/jovyan/tmp/y')
    ]);
  });

  it('handles escaped quotes inside strings', () => {
    expect(find("a = 'it\\'s'; b = '/tmp/x'")).toEqual([
      at(1, '/tmp/x', '/tmp', '/home/jovyan/tmp/x')
    ]);
    expect(find('a = "say \\"/tmp/no\\"" ; b = "/tmp/it\\"s"')).toEqual([
      at(1, '/tmp/it"s', '/tmp', '/home/jovyan/tmp/it"s')
    ]);
    expect(find("a = r'\\'' ; b = '/tmp/x'")).toEqual([
      at(1, '/tmp/x', '/tmp', '/home/jovyan/tmp/x')
    ]);
    expect(find("a = '''x\\''' ''' ; b = '/tmp/x'")).toEqual([
      at(1, '/tmp/x', '/tmp', '/home/jovyan/tmp/x')
    ]);
  });

  it('treats # inside a string as text', () => {
    expect(find("a = '#'; b = '/tmp/x'  # '/tmp/comment'")).toEqual([
      at(1, '/tmp/x', '/tmp', '/home/jovyan/tmp/x')
    ]);
    expect(find("'/tmp/#1'")).toEqual([
      at(1, '/tmp/#1', '/tmp', '/home/jovyan/tmp/#1')
    ]);
  });

  it('does not flag paths in comments', () => {
    const source = [
      '# write to /tmp/out.csv',
      "# df.to_csv('/tmp/out.csv')",
      "x = 1  # '/var/tmp/x'",
      "y = '/tmp/y'"
    ].join('\n');
    expect(find(source)).toEqual([
      at(4, '/tmp/y', '/tmp', '/home/jovyan/tmp/y')
    ]);
  });

  it('does not flag bare paths outside strings', () => {
    expect(find('x = 1 / tmp / 2\n!cp a /tmp/b\n%cd /tmp')).toEqual([]);
  });

  it.each([
    ["'/home/jovyan/out.csv'"],
    ["'/home/jovyan/tmp/x'"],
    ["'~/data'"],
    ["'~/tmp/x'"],
    ["'data/x.csv'"],
    ["'./x'"],
    ["'../tmp/x'"],
    ["'tmp/x'"],
    ["'C:\\\\tmp\\\\x'"],
    ["r'C:\\tmp\\x'"],
    ["'\\\\\\\\server\\\\share\\\\tmp'"],
    ["'s3a://bucket/tmp/x'"],
    ["'s3://bucket/tmp'"],
    ["'http://example.org/tmp/x'"],
    ["'/tmpfoo'"],
    ["'/tmpfoo/x'"],
    ["'/var/tmpx'"],
    ["'/var/tmpx/y'"],
    ["'/var'"],
    ["'/dev/shmem'"],
    ["'see /tmp'"],
    ["' /tmp/x'"],
    ["'//tmp'"],
    ["''"],
    ['""""""'],
    ["'/'"],
    ["'tmp'"]
  ])('does not flag %s', source => {
    expect(find(`x = ${source}`)).toEqual([]);
  });

  it('flags file: URLs, which are local paths', () => {
    expect(
      find(
        "a = 'file:///tmp/x'\nb = 'file:/var/tmp/y'\nc = 'file://localhost/dev/shm'"
      )
    ).toEqual([
      at(1, 'file:///tmp/x', '/tmp', 'file:///home/jovyan/tmp/x'),
      at(2, 'file:/var/tmp/y', '/var/tmp', 'file:/home/jovyan/tmp/y'),
      at(
        3,
        'file://localhost/dev/shm',
        '/dev/shm',
        'file://localhost/home/jovyan/tmp'
      )
    ]);
    expect(find("'file://server/tmp/x'")).toEqual([]);
  });

  it('flags the literal of a pathlib expression', () => {
    expect(find("out = Path('/tmp') / 'x' / 'y.csv'")).toEqual([
      at(1, '/tmp', '/tmp', '/home/jovyan/tmp')
    ]);
    expect(find("os.path.join('/var/tmp', 'x')")).toEqual([
      at(1, '/var/tmp', '/var/tmp', '/home/jovyan/tmp')
    ]);
  });

  it('does not join adjacent literals', () => {
    expect(find("p = ('/tmp/' 'x.csv')")).toEqual([
      at(1, '/tmp/', '/tmp', '/home/jovyan/tmp/')
    ]);
    expect(find("p = '/t' 'mp/x'")).toEqual([]);
  });

  it('uses the first line of a multi-line value', () => {
    expect(find('"""/tmp/x\nmore text"""\n\'/tmp/a\\nb\'')).toEqual([
      at(1, '/tmp/x', '/tmp', '/home/jovyan/tmp/x'),
      at(3, '/tmp/a', '/tmp', '/home/jovyan/tmp/a')
    ]);
    // A docstring that only mentions a location is not a path.
    expect(find('"""/tmp is scratch space."""')).toEqual([]);
  });

  it('joins backslash-continued lines of a string', () => {
    expect(find("a = '/tmp/\\\nx'\nb = '/tmp/y'")).toEqual([
      at(1, '/tmp/x', '/tmp', '/home/jovyan/tmp/x'),
      at(3, '/tmp/y', '/tmp', '/home/jovyan/tmp/y')
    ]);
  });

  it('does not mistake names ending in a prefix letter for prefixes', () => {
    expect(find("print('/tmp/a'); bar'/tmp/b'")).toEqual([
      at(1, '/tmp/a', '/tmp', '/home/jovyan/tmp/a'),
      at(1, '/tmp/b', '/tmp', '/home/jovyan/tmp/b')
    ]);
  });

  describe('locations and home', () => {
    it('matches the longest location', () => {
      expect(
        findPathsInPython("'/var/tmp/x'", ['/var', '/var/tmp'], HOME)
      ).toEqual([at(1, '/var/tmp/x', '/var/tmp', '/home/jovyan/tmp/x')]);
    });

    it('maps other locations to their base name under home', () => {
      expect(findPathsInPython("'/scratch/run/x'", ['/scratch'], HOME)).toEqual(
        [at(1, '/scratch/run/x', '/scratch', '/home/jovyan/scratch/run/x')]
      );
    });

    it('ignores trailing slashes of locations and home', () => {
      expect(findPathsInPython("'/tmp/x'", ['/tmp/'], '/home/ada/')).toEqual([
        at(1, '/tmp/x', '/tmp', '/home/ada/tmp/x')
      ]);
    });

    it('never flags paths under home', () => {
      expect(
        findPathsInPython("'/home/jovyan/x'; '/home/ada/x'", ['/home'], HOME)
      ).toEqual([at(1, '/home/ada/x', '/home', '/home/jovyan/home/ada/x')]);
    });

    it('finds nothing without locations', () => {
      expect(findPathsInPython("'/tmp/x'", [], HOME)).toEqual([]);
      expect(findPathsInPython("'/tmp/x'", ['', '/', 'tmp'], HOME)).toEqual([]);
    });

    it('reports the given cell', () => {
      expect(findPathsInPython("\n'/tmp/x'", LOCATIONS, HOME, 4)).toEqual([
        { ...at(2, '/tmp/x', '/tmp', '/home/jovyan/tmp/x'), cell: 4 }
      ]);
    });
  });

  describe('malformed code', () => {
    it('ends an unterminated string at the end of its line', () => {
      expect(find("a = 'oops\nb = '/tmp/x'")).toEqual([
        at(2, '/tmp/x', '/tmp', '/home/jovyan/tmp/x')
      ]);
      expect(find("a = '/tmp/open\nb = 1")).toEqual([
        at(1, '/tmp/open', '/tmp', '/home/jovyan/tmp/open')
      ]);
      expect(find("a = f'{x\nb = '/tmp/y'")).toEqual([
        at(2, '/tmp/y', '/tmp', '/home/jovyan/tmp/y')
      ]);
    });

    it('ends an unterminated triple-quoted string at the end of input', () => {
      expect(find('a = """/tmp/x\nb = \'/tmp/y\'')).toEqual([
        at(1, '/tmp/x', '/tmp', '/home/jovyan/tmp/x')
      ]);
    });

    it.each([
      ["'"],
      ['"""'],
      ["'\\"],
      ["r'\\"],
      ["f'{"],
      ["f'{x:"],
      ["f'{x:{"],
      ['f"""{'],
      ["f'\\N{"],
      ["'\\x4"],
      ["'\\U0011ffff'"],
      ['rb"""\\'],
      ["f'}}}{{{'"],
      ['#'],
      ['\\'],
      ['x = ((('],
      ['f"' + '{f"'.repeat(500)]
    ])('does not throw on %s', source => {
      expect(() => find(source)).not.toThrow();
      expect(() => find(source + "\n'/tmp/x'")).not.toThrow();
    });

    it('does not throw on odd input', () => {
      expect(findPathsInPython(undefined as any, LOCATIONS, HOME)).toEqual([]);
      expect(findPathsInPython("'/tmp/x'", undefined as any, HOME)).toEqual([]);
      expect(findPathsInNotebook({} as any, LOCATIONS, HOME)).toEqual([]);
      expect(findPathsInNotebook(null as any, LOCATIONS, HOME)).toEqual([]);
      expect(
        findPathsInNotebook(
          { cells: [null, { cell_type: 'code' }] } as any,
          LOCATIONS,
          HOME
        )
      ).toEqual([]);
    });
  });

  it('scans a 1 MB script quickly', () => {
    const block = [
      'import pandas as pd',
      '# a comment with /tmp/x',
      "df = pd.read_csv('data/in.csv')",
      'text = """multi',
      "line with '/tmp/no'",
      '"""',
      "df.to_csv(f'/tmp/{name}.csv')",
      ''
    ].join('\n');
    const copies = Math.ceil(1_000_000 / block.length);
    const source = block.repeat(copies);
    const started = Date.now();
    const findings = find(source);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(findings).toHaveLength(copies);
    expect(findings[copies - 1]).toEqual(
      at(7 * copies, '/tmp/', '/tmp', '/home/jovyan/tmp/')
    );
  });

  it('scans a 1 MB string quickly', () => {
    const source = "x = '/tmp/" + 'a'.repeat(1_000_000) + "'\ny = '/tmp/y'";
    const findings = find(source);
    expect(findings.map(f => [f.line, f.path.length])).toEqual([
      [1, 1_000_005],
      [2, 6]
    ]);
  });
});

describe('findPathsInNotebook', () => {
  const notebook = {
    cells: [
      {
        cell_type: 'markdown',
        source: ['Results go to `/tmp/x`:\n', "'/tmp/x'\n"]
      },
      {
        cell_type: 'code',
        source: ['import pandas as pd\n', "df.to_csv('/tmp/out.csv')\n"]
      },
      { cell_type: 'raw', source: "'/tmp/raw'" },
      {
        cell_type: 'code',
        source: '# \'/tmp/comment\'\nx = 1\np = f"/dev/shm/{name}"\n'
      },
      { cell_type: 'code', source: [] },
      {
        cell_type: 'code',
        source: ['"""\n', "'/tmp/in-doc'\n", '"""\n', "Path('/var/tmp') / 'x'"]
      }
    ]
  };

  it('reports code cells only, with their index and line', () => {
    expect(findPathsInNotebook(notebook, LOCATIONS, HOME)).toEqual([
      {
        path: '/tmp/out.csv',
        location: '/tmp',
        cell: 1,
        line: 2,
        suggestion: '/home/jovyan/tmp/out.csv'
      },
      {
        path: '/dev/shm/',
        location: '/dev/shm',
        cell: 3,
        line: 3,
        suggestion: '/home/jovyan/tmp/'
      },
      {
        path: '/var/tmp',
        location: '/var/tmp',
        cell: 5,
        line: 4,
        suggestion: '/home/jovyan/tmp'
      }
    ]);
  });

  it('scans each cell on its own', () => {
    // An unterminated string in one cell does not swallow the next.
    const cells = [
      { cell_type: 'code', source: 'x = """' },
      { cell_type: 'code', source: "y = '/tmp/y'" }
    ];
    expect(findPathsInNotebook({ cells }, LOCATIONS, HOME)).toEqual([
      {
        path: '/tmp/y',
        location: '/tmp',
        cell: 1,
        line: 1,
        suggestion: '/home/jovyan/tmp/y'
      }
    ]);
  });
});
