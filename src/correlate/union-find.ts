/** Disjoint sets over `0 … size-1`, with path halving and union by size. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  /** `size` singletons. */
  constructor(size: number) {
    this.parent = new Int32Array(size);
    this.size = new Int32Array(size).fill(1);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  /** The representative of `i`'s set. */
  find(i: number): number {
    let x = i;
    for (;;) {
      const p = this.parent[x] ?? x;
      if (p === x) return x;
      const grand = this.parent[p] ?? p;
      this.parent[x] = grand;
      x = grand;
    }
  }

  /** Joins the sets of `a` and `b`. */
  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size[ra] ?? 0) < (this.size[rb] ?? 0)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] = (this.size[ra] ?? 0) + (this.size[rb] ?? 0);
  }

  /** Puts `i` back into a set of its own (only valid when no other element points at it). */
  reset(i: number): void {
    this.parent[i] = i;
    this.size[i] = 1;
  }
}
