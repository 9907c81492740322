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
