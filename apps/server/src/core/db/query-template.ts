import type { CompiledQuery, Compilable, Kysely, QueryResult } from 'kysely';
import type { DB, Executor } from './index.ts';

/** A parameter's slot in the compiled text: one of the template's parameters, or a constant of the query. */
type Slot<P> = { param: keyof P } | { value: unknown };

interface Compiled<P> {
  query: CompiledQuery;
  slots: Slot<P>[];
}

/**
 * A query of a hot path built with Kysely once per shape instead of once per call: building and compiling the
 * patient page's query cost more server time than PostgreSQL took to run it.
 *
 * `build` is called once per `shape` with placeholder parameters — a unique string standing for each of `P`'s
 * keys — and the compiled SQL is kept; each call then only lays out its own parameters in the recorded order.
 * So `build` must pass its parameters to the query as values, never look at them: whatever changes the text of
 * the query (an optional clause, the length of a list) belongs in `shape`, and a list travels as one array
 * parameter (`= any(…)`).
 */
export class QueryTemplate<P extends object, R> {
  readonly #build: (db: Kysely<DB>, params: P) => Compilable<R>;
  readonly #names: readonly (keyof P & string)[];
  readonly #compiled = new Map<string, Compiled<P>>();

  constructor(names: readonly (keyof P & string)[], build: (db: Kysely<DB>, params: P) => Compilable<R>) {
    this.#names = names;
    this.#build = build;
  }

  execute(db: Executor, params: P, shape = ''): Promise<QueryResult<R>> {
    const compiled = this.#compiled.get(shape) ?? this.#compile(db, shape);
    const parameters = compiled.slots.map((slot) => ('param' in slot ? params[slot.param] : slot.value));
    return db.executeQuery<R>({ ...compiled.query, parameters });
  }

  async executeTakeFirst(db: Executor, params: P, shape = ''): Promise<R | undefined> {
    return (await this.execute(db, params, shape)).rows[0];
  }

  #compile(db: Executor, shape: string): Compiled<P> {
    const placeholders = new Map<unknown, keyof P>();
    const params = {} as Record<string, unknown>;
    for (const name of this.#names) {
      const placeholder = `\u0000${name}\u0000${shape}`;
      placeholders.set(placeholder, name);
      params[name] = placeholder;
    }
    const query = this.#build(db, params as P).compile();
    const slots = query.parameters.map((value): Slot<P> => {
      const param = placeholders.get(value);
      return param === undefined ? { value } : { param };
    });
    const missing = this.#names.filter((name) => !slots.some((s) => 'param' in s && s.param === name));
    if (missing.length > 0) throw new Error(`QueryTemplate: parameters never used by the query: ${missing.join(', ')}`);
    const compiled = { query, slots };
    this.#compiled.set(shape, compiled);
    return compiled;
  }
}
