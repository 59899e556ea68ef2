/** The explorer's edits of a scenario's YAML document (src/web/editor.ts), without a browser. */
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { appendTo, editField, fieldFor, mechanismLabels } from '../src/web/editor.js';

const TEXT = `# a comment on top
name: t
mechanisms:
  - random            # bare id
  - { id: sealed-bid, preset: succinct }
operators:
  - name: a
    entities: 2
requesters: []
`;

describe('editing the scenario document', () => {
  it('labels mechanism entries as runScenario does, each once', () => {
    expect(mechanismLabels(parseDocument(TEXT))).toEqual(['random', 'sealed-bid:succinct']);
    expect(mechanismLabels(parseDocument('mechanisms: [random, random, { id: race, label: r }]'))).toEqual(['random', 'r']);
    expect(mechanismLabels(parseDocument('mechanisms: 3'))).toEqual([]);
  });

  it('sets a field in place and keeps the comments', () => {
    const doc = parseDocument(TEXT);
    expect(editField(doc, ['operators', 0, 'entities'], 5)).toBe(false);
    const out = doc.toString();
    expect(out).toContain('entities: 5');
    expect(out).toContain('# a comment on top');
    expect(out).toContain('# bare id');
  });

  it('turns a bare mechanism id into a flow mapping when it gets a preset or a parameter', () => {
    const doc = parseDocument(TEXT);
    editField(doc, ['mechanisms', 0, 'preset'], 'zkcloud');
    editField(doc, ['mechanisms', 0, 'params', 'txFeeUsd'], 0.01);
    expect(doc.toString()).toContain('- { id: random, preset: zkcloud, params: { txFeeUsd: 0.01 } }');
    expect(mechanismLabels(doc)).toEqual(['random:zkcloud', 'sealed-bid:succinct']);
  });

  it('a new mechanism id keeps a bare entry bare and drops a mapping’s preset and parameters; asks for a redraw', () => {
    const doc = parseDocument(TEXT);
    expect(editField(doc, ['mechanisms', 0, 'id'], 'race')).toBe(true);
    expect(editField(doc, ['mechanisms', 1, 'id'], 'order-book')).toBe(true);
    expect(doc.toJS().mechanisms).toEqual(['race', { id: 'order-book' }]);
    expect(doc.toString()).toContain('- race # bare id');
  });

  it('removes a key when the value is undefined, and appends to lists (creating a missing one)', () => {
    const doc = parseDocument(TEXT);
    editField(doc, ['operators', 0, 'entities'], undefined);
    appendTo(doc, ['operators'], { name: 'attacker', attacker: true });
    appendTo(doc, ['operators', 0, 'bursts'], { at: '1d', duration: '2h', factor: 4 });
    expect(doc.toJS().operators).toEqual([
      { name: 'a', bursts: [{ at: '1d', duration: '2h', factor: 4 }] },
      { name: 'attacker', attacker: true },
    ]);
  });

  it('places an issue on its field or on the nearest field above it', () => {
    const fields = new Set(['seed', 'requesters[0].arrival', 'operators[1].entities', 'mechanisms']);
    expect(fieldFor(fields, 'operators[1].entities')).toBe('operators[1].entities');
    expect(fieldFor(fields, 'requesters[0].arrival.file')).toBe('requesters[0].arrival');
    expect(fieldFor(fields, 'mechanisms[3]')).toBe('mechanisms');
    expect(fieldFor(fields, 'requesters[0].deadline')).toBeUndefined();
    expect(fieldFor(fields, '')).toBeUndefined();
  });
});
