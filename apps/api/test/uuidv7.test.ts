import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/modules/delivery/outbox.repo';

describe('uuidv7 (ids of cards and deliveries written in bulk)', () => {
  it('carries the given instant in its first 48 bits, version 7, RFC variant', () => {
    const ms = Date.parse('2026-12-04T07:00:00Z');
    const id = uuidv7(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('ids of later instants sort after earlier ones; ids of one instant are distinct', () => {
    const a = uuidv7(1_000);
    const b = uuidv7(2_000);
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 10_000 }, () => uuidv7(5_000))).size).toBe(10_000);
  });
});
