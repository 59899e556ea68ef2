import type { Entity, Node } from './population.js';

/**
 * Nodes whose lock price is a pure function of (hardware model, cost factor, margin, job) answer a
 * lock solicitation as one class: one strategy call per class, not per node.
 */
export interface LockClass {
  readonly nodes: number[];
  readonly rep: Node;
  readonly owner: Entity;
}

/**
 * Strategies whose lock price is a pure function of the quote and the entity's margin: `cost-plus`
 * without its scarcity option, and `truthful` (cost-plus at margin 0). They read neither the
 * random draw, nor the number of bidders, nor memory, and never overcommit (src/agents/strategies/cost-plus.ts).
 */
function pureLocker(e: Entity): boolean {
  const t = e.strategy.type;
  if (t === 'truthful') return true;
  return t === 'cost-plus' && !(Number(e.view.params?.scarcity ?? 0) > 0) && e.strategy.overcommits !== true;
}

/** Same strategy, margin, model, failure rate and capacity as the node before: the same class key. */
function sameClass(a: Node, ea: Entity, b: Node, eb: Entity): boolean {
  const x = a.info.capacity;
  const y = b.info.capacity;
  return (
    (ea === eb || (ea.strategy.type === eb.strategy.type && ea.view.margin === eb.view.margin)) &&
    a.model === b.model &&
    a.failureProb === b.failureProb &&
    x.cpus === y.cpus &&
    x.gpus === y.gpus &&
    x.memoryGb === y.memoryGb
  );
}

/** Groups the nodes of pure lockers by (strategy, margin, hardware model and cost factor, failure rate, capacity). */
export function lockClasses(nodes: readonly Node[], entities: readonly Entity[]): { classes: LockClass[]; classOf: number[] } {
  const classes: LockClass[] = [];
  const byKey = new Map<string, number>();
  const models = new Map<object, number>();
  let prev: Node | undefined;
  let prevOwner: Entity | undefined;
  let prevClass = -1;
  const classOf = nodes.map((n) => {
    const e = entities[n.info.entity]!;
    // Several identities of one machine share its queue (`sybil`): not a free node's quote.
    if (!pureLocker(e) || (e.strategy.identities ?? 1) > 1) return -1;
    // A node like the one before it (an entity's nodes, a group's entities, come together) joins its
    // class: no key string per node.
    if (prevClass >= 0 && sameClass(prev!, prevOwner!, n, e)) {
      classes[prevClass]!.nodes.push(n.info.id);
      return prevClass;
    }
    let m = models.get(n.model);
    if (m === undefined) models.set(n.model, (m = models.size));
    const cap = n.info.capacity;
    const key = `${e.strategy.type}|${e.view.margin}|${m}|${n.failureProb}|${cap.cpus}/${cap.gpus}/${cap.memoryGb}`;
    let k = byKey.get(key);
    if (k === undefined) {
      k = classes.length;
      byKey.set(key, k);
      // The class's stand-in: a free node of its model (a quote reads the model, the queue and the failure rate).
      const rep: Node = {
        info: n.info,
        model: n.model,
        failureProb: n.failureProb,
        freeAt: -Infinity,
        outstanding: 0,
        active: true,
        ejected: false,
      };
      classes.push({ nodes: [], rep, owner: e });
    }
    classes[k]!.nodes.push(n.info.id);
    prev = n;
    prevOwner = e;
    prevClass = k;
    return k;
  });
  return { classes, classOf };
}
