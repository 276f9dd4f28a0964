/**
 * Types for `better-sqlite3` (installed as an alias of better-sqlite3-multiple-ciphers 13). The package ships
 * an index.d.ts, but its package.json "exports" has no "types" condition, so TypeScript's Bundler resolution
 * cannot find it; @types/better-sqlite3 is not installed. This is the subset core uses, shaped like
 * better-sqlite3's own types so code reads the same; extend it when a new method is needed.
 */
declare module 'better-sqlite3' {
  namespace Database {
    interface RunResult {
      changes: number;
      lastInsertRowid: number | bigint;
    }

    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
      /** Busy timeout in milliseconds. */
      timeout?: number;
      verbose?: (message?: unknown, ...additional: unknown[]) => void;
      nativeBinding?: string;
    }

    interface PragmaOptions {
      simple?: boolean;
    }

    interface RegistrationOptions {
      varargs?: boolean;
      deterministic?: boolean;
      safeIntegers?: boolean;
      directOnly?: boolean;
    }

    interface ColumnDefinition {
      name: string;
      column: string | null;
      table: string | null;
      database: string | null;
      type: string | null;
    }

    type BindArgs<P> = P extends unknown[] ? P : [P];

    interface Statement<P extends unknown[] | object = unknown[], R = unknown> {
      readonly database: Database;
      readonly source: string;
      readonly reader: boolean;
      readonly readonly: boolean;
      readonly busy: boolean;
      run(...params: BindArgs<P>): RunResult;
      get(...params: BindArgs<P>): R | undefined;
      all(...params: BindArgs<P>): R[];
      iterate(...params: BindArgs<P>): IterableIterator<R>;
      pluck(toggle?: boolean): this;
      expand(toggle?: boolean): this;
      raw(toggle?: boolean): this;
      columns(): ColumnDefinition[];
      safeIntegers(toggle?: boolean): this;
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors better-sqlite3's own variadic typing
    type VariadicFunction = (...args: any[]) => unknown;

    interface Transaction<F extends VariadicFunction> {
      (...args: Parameters<F>): ReturnType<F>;
      default(...args: Parameters<F>): ReturnType<F>;
      deferred(...args: Parameters<F>): ReturnType<F>;
      immediate(...args: Parameters<F>): ReturnType<F>;
      exclusive(...args: Parameters<F>): ReturnType<F>;
    }

    interface Database {
      readonly memory: boolean;
      readonly readonly: boolean;
      readonly name: string;
      readonly open: boolean;
      readonly inTransaction: boolean;
      prepare<P extends unknown[] | object = unknown[], R = unknown>(source: string): Statement<P, R>;
      transaction<F extends VariadicFunction>(fn: F): Transaction<F>;
      exec(source: string): this;
      pragma(source: string, options?: PragmaOptions): unknown;
      function(name: string, fn: (...params: unknown[]) => unknown): this;
      function(name: string, options: RegistrationOptions, fn: (...params: unknown[]) => unknown): this;
      /** SQLite3MultipleCiphers: sqlite3_key with the given bytes (see the cipher PRAGMAs for the scheme). */
      key(key: Buffer): number;
      rekey(key: Buffer): number;
      close(): this;
      defaultSafeIntegers(toggle?: boolean): this;
      unsafeMode(unsafe?: boolean): this;
      serialize(options?: { attached?: string }): Buffer;
    }

    interface SqliteError extends Error {
      /** SQLite's extended result code name, e.g. `SQLITE_NOTADB`, `SQLITE_CONSTRAINT_UNIQUE`. */
      readonly code: string;
    }
  }

  interface SqliteErrorConstructor {
    new (message: string, code: string): Database.SqliteError;
    readonly prototype: Database.SqliteError;
  }

  interface DatabaseConstructor {
    new (filename?: string | Buffer, options?: Database.Options): Database.Database;
    (filename?: string, options?: Database.Options): Database.Database;
    readonly prototype: Database.Database;
    readonly SqliteError: SqliteErrorConstructor;
  }

  const Database: DatabaseConstructor;
  export = Database;
}
