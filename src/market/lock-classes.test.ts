import { describe, expect, it } from 'vitest';
import { costPlus } from '../agents/strategies/cost-plus.js';
import { lockClasses } from './lock-classes.js';
import type { Entity, Node } from './population.js';

const modelA = {} as Node['model'];
const modelB = {} as Node['model'];

function entity(id: number, margin: number, type = 'cost-plus'): Entity {
  const strategy = type === 'cost-plus' ? costPlus() : { ...costPlus(), type };
  return { id, strategy, view: { margin }, nodes: [] } as unknown as Entity;
}

function node(id: number, entity: number, gpus: number, model = modelA, failureProb = 0.01): Node {
  return {
    info: { id, entity, capacity: { cpus: 0, gpus, memoryGb: 16 }, hardware: 'gpu' },
    model,
    failureProb,
    freeAt: 0,
    outstanding: 0,
    active: true,
    ejected: false,
  } as unknown as Node;
}

describe('lockClasses', () => {
  it('puts nodes in one class exactly when strategy, margin, model, failure rate and capacity agree, adjacent or not', () => {
    const entities = [entity(0, 0.1), entity(1, 0.1), entity(2, 0.2), entity(3, 0.1, 'learner')];
    const nodes = [
      node(0, 0, 1),
      node(1, 1, 1), // another entity, same key: same class as node 0
      node(2, 2, 1), // another margin
      node(3, 1, 2), // another capacity
      node(4, 0, 1, modelB), // another model
      node(5, 0, 1, modelA, 0.02), // another failure rate
      node(6, 3, 1), // not a pure locker
      node(7, 1, 1), // back to node 0's class after others
    ];
    const { classes, classOf } = lockClasses(nodes, entities);
    expect(classOf).toEqual([0, 0, 1, 2, 3, 4, -1, 0]);
    expect(classes.map((c) => c.nodes)).toEqual([[0, 1, 7], [2], [3], [4], [5]]);
    expect(classes[0]!.owner).toBe(entities[0]);
  });
});
