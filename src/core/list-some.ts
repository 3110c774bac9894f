/** How many names a list in an event or a reason shows before it says how many more there are. */
export const LIST_SOME_SHOWN = 20;

/**
 * Joins the first `shown` names with ", " and says how many more there are (`a, b and 9,980 more`),
 * so a list that goes into an event or a reason stays short whatever its length. `total` is the
 * count when `names` holds only the first few of them.
 */
export function listSome(names: readonly string[], total = names.length, shown = LIST_SOME_SHOWN): string {
  const head = names.slice(0, shown).join(", ");
  const more = total - Math.min(names.length, shown);
  return more > 0 ? `${head} and ${more.toLocaleString("en-US")} more` : head;
}

/**
 * Counts names while keeping only the first `shown` of them: a walk over a huge tree lists what it
 * found in constant memory.
 */
export class SomeNames {
  readonly #first: string[] = [];
  #count = 0;

  constructor(readonly shown = LIST_SOME_SHOWN) {}

  add(name: string): void {
    if (this.#first.length < this.shown) this.#first.push(name);
    this.#count += 1;
  }

  get count(): number {
    return this.#count;
  }

  /** The first names kept, in the order they were added. */
  get first(): readonly string[] {
    return this.#first;
  }

  /** The names as listSome writes them. */
  text(): string {
    return listSome(this.#first, this.#count, this.shown);
  }
}
