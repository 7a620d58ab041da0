import { describe, expect, test } from 'vitest';
import { countsAsInteraction, type InteractionEvent, interactionEffects, promiseOutcome } from './interaction';

describe('countsAsInteraction', () => {
  test.each<[InteractionEvent, boolean, boolean]>([
    // event                                 promise dormancy
    [{ kind: 'visit' }, true, true],
    [{ kind: 'call' }, true, true],
    [{ kind: 'chat', direction: 'out' }, true, true],
    [{ kind: 'chat', direction: 'in' }, false, true],
    [{ kind: 'chat' }, false, true],
    [{ kind: 'order' }, false, true],
    [{ kind: 'ticket' }, false, true],
    [{ kind: 'payment' }, false, false],
    [{ kind: 'signal' }, false, false],
    [{ kind: 'email', direction: 'out' }, false, false],
    [{ kind: 'email', direction: 'in' }, false, false],
  ])('%j → promise %s, dormancy %s', (event, promise, dormancy) => {
    expect(countsAsInteraction('promise', event)).toBe(promise);
    expect(countsAsInteraction('dormancy', event)).toBe(dormancy);
    expect(interactionEffects(event)).toEqual({ lastRepTouch: promise, lastInteraction: dormancy });
  });
});

describe('promiseOutcome', () => {
  const due = new Date('2026-06-05T02:00:00Z');
  test.each([
    ['2026-06-04T02:00:00Z', 'kept'],
    ['2026-06-05T02:00:00Z', 'kept'],
    ['2026-06-06T01:59:59.999Z', 'kept'],
    ['2026-06-06T02:00:00Z', 'late'],
    ['2026-06-20T00:00:00Z', 'late'],
  ])('touch at %s → %s', (touch, outcome) => {
    expect(promiseOutcome(due, new Date(touch))).toBe(outcome);
  });
  test('grace is a parameter', () => {
    expect(promiseOutcome(due, new Date('2026-06-05T03:00:00Z'), 0)).toBe('late');
  });
});
