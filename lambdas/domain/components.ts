/**
 * Connected components of keys (SPEC §1: members are the components of their identities).
 */

/** Union-find over identity keys, numbered as first seen: path halving and union by size. */
export class Components {
  /** The keys by number. */
  readonly keys: string[] = [];
  readonly #number = new Map<string, number>();
  readonly #parent: number[] = [];
  readonly #size: number[] = [];

  /** The key's number, numbering it when new. */
  number(key: string): number {
    let i = this.#number.get(key);
    if (i === undefined) {
      i = this.keys.push(key) - 1;
      this.#number.set(key, i);
      this.#parent.push(i);
      this.#size.push(1);
    }
    return i;
  }

  /** The key's number, `undefined` when the key was never numbered. */
  lookup(key: string): number | undefined {
    return this.#number.get(key);
  }

  /** The number of the key that stands for the component of key number `i`. */
  root(i: number): number {
    let parent = this.#parent[i] ?? i;
    while (parent !== i) {
      const grandparent = this.#parent[parent] ?? parent;
      this.#parent[i] = grandparent;
      i = grandparent;
      parent = this.#parent[i] ?? i;
    }
    return i;
  }

  /** Puts every key in one component; returns the first key's number. */
  join(keys: readonly string[]): number {
    const first = this.number(keys[0] ?? '');
    for (let k = 1; k < keys.length; k++)
      this.unite(this.root(first), this.root(this.number(keys[k] ?? '')));
    return first;
  }

  /** Unites two components given by their roots; returns the root of the union. */
  unite(root: number, other: number): number {
    if (other === root) return root;
    if ((this.#size[root] ?? 0) < (this.#size[other] ?? 0)) [root, other] = [other, root];
    this.#parent[other] = root;
    this.#size[root] = (this.#size[root] ?? 0) + (this.#size[other] ?? 0);
    return root;
  }
}
