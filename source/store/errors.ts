// The errors a store can refuse to open with. Each says what happened and what to do,
// because the daemon prints the message as it is and exits.

/** Another live engine holds the data directory's lock file. */
export class StoreLockedError extends Error {
  /** The pid written in the lock file. */
  readonly pid: number;
  /** The data directory. */
  readonly dir: string;

  constructor(pid: number, dir: string) {
    super(`another jiraline engine (pid ${pid}) is using ${dir}; stop it first or use --data-dir`);
    this.name = 'StoreLockedError';
    this.pid = pid;
    this.dir = dir;
  }
}

/** The database file exists but cannot be read as a jiraline SQLite database. */
export class StoreCorruptError extends Error {
  /** The file that could not be read; it is left exactly as it was. */
  readonly file: string;

  constructor(file: string, reason: string) {
    super(`cannot read the database ${file} (${reason}); move it aside to start afresh; it was not modified`);
    this.name = 'StoreCorruptError';
    this.file = file;
  }
}

/**
 * The database file is larger than this program can hold in memory (sql.js keeps the whole
 * database there, and a snapshot copies it). Refused before reading a byte; nothing is changed.
 */
export class StoreTooLargeError extends StoreCorruptError {
  /** The file's size in bytes. */
  readonly size: number;
  /** The largest size that loads. */
  readonly limit: number;

  constructor(file: string, size: number, limit: number) {
    super(file, 'too large');
    const gib = (n: number) => `${(n / 2 ** 30).toFixed(2)} GiB`;
    this.message = `the database ${file} is ${gib(size)}, larger than jiraline can load (${gib(limit)}: it holds the whole database in memory); ` +
      'it was not modified. Shrink it with the sqlite3 tool (delete old rows of its log table, then VACUUM) and start again, ' +
      'or move it aside to start afresh';
    this.name = 'StoreTooLargeError';
    this.size = size;
    this.limit = limit;
  }
}

/** The database was written by a newer jiraline whose schema this one does not know. */
export class StoreVersionError extends Error {
  /** The database file. */
  readonly file: string;
  /** The schema version found in the file. */
  readonly found: number;
  /** The newest schema version this program knows. */
  readonly known: number;

  constructor(file: string, found: number, known: number) {
    super(`the database ${file} was written by a newer jiraline (schema version ${found}; this one knows up to ${known}); ` +
      'upgrade jiraline or use another --data-dir; the file was not modified');
    this.name = 'StoreVersionError';
    this.file = file;
    this.found = found;
    this.known = known;
  }
}
