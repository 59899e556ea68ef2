/**
 * A forest of order-statistics treaps over (value, id) keys, ascending by value then id, sharing one
 * pool of nodes in typed arrays. A tree is named by its root (0 is the empty tree); every operation
 * that changes a tree returns its new root. Each node keeps its subtree's count, so "how many values
 * ≥ x", "how many keys above (value, id)" and "the k-th largest key" are O(log n) expected.
 *
 * Priorities are a fixed hash of the node's slot (deterministic: no runtime randomness): a tree's shape
 * depends only on the sequence of operations, and no answer depends on the shape.
 */
export class RankForest {
  private val: Float64Array;
  private key: Int32Array;
  private left: Int32Array;
  private right: Int32Array;
  private prio: Int32Array;
  private cnt: Int32Array;
  /** Next never-used slot (slot 0 is the empty tree: count 0). */
  private top = 1;
  private spare: number[] = [];
  /** The two halves of the last split. */
  private lo = 0;
  private hi = 0;

  constructor(capacityHint = 64) {
    const n = Math.max(16, capacityHint);
    this.val = new Float64Array(n);
    this.key = new Int32Array(n);
    this.left = new Int32Array(n);
    this.right = new Int32Array(n);
    this.prio = new Int32Array(n);
    this.cnt = new Int32Array(n);
  }

  /** Number of keys in the tree. */
  size(root: number): number {
    return this.cnt[root]!;
  }

  /** The tree with (value, id) added (the key must not be in it). */
  insert(root: number, value: number, id: number): number {
    const node = this.alloc(value, id);
    return this.put(root, node);
  }

  /** The tree with (value, id) removed (the key must be in it). */
  remove(root: number, value: number, id: number): number {
    if (root === 0) throw new Error(`RankForest: key (${value}, ${id}) not found`);
    const v = this.val[root]!;
    const k = this.key[root]!;
    if (v === value && k === id) {
      const joined = this.merge(this.left[root]!, this.right[root]!);
      this.spare.push(root);
      return joined;
    }
    if (value < v || (value === v && id < k)) this.left[root] = this.remove(this.left[root]!, value, id);
    else this.right[root] = this.remove(this.right[root]!, value, id);
    this.pull(root);
    return root;
  }

  /** How many keys have a value ≥ x. */
  countAtLeast(root: number, x: number): number {
    let c = 0;
    let t = root;
    while (t !== 0) {
      if (this.val[t]! >= x) {
        c += this.cnt[this.right[t]!]! + 1;
        t = this.left[t]!;
      } else t = this.right[t]!;
    }
    return c;
  }

  /** The k-th largest value (k = 0 is the largest); k must be below the tree's size. */
  kthLargest(root: number, k: number): number {
    let t = root;
    let rem = k;
    while (t !== 0) {
      const rc = this.cnt[this.right[t]!]!;
      if (rem < rc) t = this.right[t]!;
      else if (rem === rc) return this.val[t]!;
      else {
        rem -= rc + 1;
        t = this.left[t]!;
      }
    }
    throw new RangeError(`RankForest: rank ${k} out of range`);
  }

  /** The id of the k-th largest key (k = 0 is the largest); k must be below the tree's size. */
  kthLargestId(root: number, k: number): number {
    let t = root;
    let rem = k;
    while (t !== 0) {
      const rc = this.cnt[this.right[t]!]!;
      if (rem < rc) t = this.right[t]!;
      else if (rem === rc) return this.key[t]!;
      else {
        rem -= rc + 1;
        t = this.left[t]!;
      }
    }
    throw new RangeError(`RankForest: rank ${k} out of range`);
  }

  /** How many keys are above (value, id) (the key itself need not be in the tree). */
  countAbove(root: number, value: number, id: number): number {
    let c = 0;
    let t = root;
    while (t !== 0) {
      const v = this.val[t]!;
      if (v > value || (v === value && this.key[t]! > id)) {
        c += this.cnt[this.right[t]!]! + 1;
        t = this.left[t]!;
      } else t = this.right[t]!;
    }
    return c;
  }

  private alloc(value: number, id: number): number {
    let n = this.spare.pop();
    if (n === undefined) {
      if (this.top >= this.val.length) this.grow();
      n = this.top++;
    }
    this.val[n] = value;
    this.key[n] = id;
    this.left[n] = 0;
    this.right[n] = 0;
    // fmix32 of the slot: a fixed, well-spread priority.
    let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    this.prio[n] = h ^ (h >>> 16);
    this.cnt[n] = 1;
    return n;
  }

  private put(t: number, node: number): number {
    if (t === 0) return node;
    if (this.prio[node]! > this.prio[t]!) {
      this.split(t, this.val[node]!, this.key[node]!);
      this.left[node] = this.lo;
      this.right[node] = this.hi;
      this.pull(node);
      return node;
    }
    const v = this.val[node]!;
    const tv = this.val[t]!;
    if (v < tv || (v === tv && this.key[node]! < this.key[t]!)) this.left[t] = this.put(this.left[t]!, node);
    else this.right[t] = this.put(this.right[t]!, node);
    this.pull(t);
    return t;
  }

  /** Splits `t` into keys below (value, id) (`lo`) and the rest (`hi`). */
  private split(t: number, value: number, id: number): void {
    if (t === 0) {
      this.lo = 0;
      this.hi = 0;
      return;
    }
    const tv = this.val[t]!;
    if (tv < value || (tv === value && this.key[t]! < id)) {
      this.split(this.right[t]!, value, id);
      this.right[t] = this.lo;
      this.pull(t);
      this.lo = t;
    } else {
      this.split(this.left[t]!, value, id);
      this.left[t] = this.hi;
      this.pull(t);
      this.hi = t;
    }
  }

  /** Joins two trees, every key of `a` below every key of `b`. */
  private merge(a: number, b: number): number {
    if (a === 0) return b;
    if (b === 0) return a;
    if (this.prio[a]! > this.prio[b]!) {
      this.right[a] = this.merge(this.right[a]!, b);
      this.pull(a);
      return a;
    }
    this.left[b] = this.merge(a, this.left[b]!);
    this.pull(b);
    return b;
  }

  private pull(t: number): void {
    const l = this.left[t]!;
    const r = this.right[t]!;
    this.cnt[t] = this.cnt[l]! + this.cnt[r]! + 1;
  }

  private grow(): void {
    const n = this.val.length * 2;
    const g = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.val = g(this.val);
    this.key = g(this.key);
    this.left = g(this.left);
    this.right = g(this.right);
    this.prio = g(this.prio);
    this.cnt = g(this.cnt);
  }
}
