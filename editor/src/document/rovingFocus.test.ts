import { describe, expect, it } from 'vitest';
import { nextToolbarIndex } from './rovingFocus';

describe('nextToolbarIndex', () => {
  it('moves with the arrows and wraps around', () => {
    expect(nextToolbarIndex(0, 3, 'ArrowRight', 'ltr')).toBe(1);
    expect(nextToolbarIndex(2, 3, 'ArrowRight', 'ltr')).toBe(0);
    expect(nextToolbarIndex(0, 3, 'ArrowLeft', 'ltr')).toBe(2);
  });

  it('mirrors the arrows in right-to-left layout', () => {
    expect(nextToolbarIndex(0, 3, 'ArrowLeft', 'rtl')).toBe(1);
    expect(nextToolbarIndex(0, 3, 'ArrowRight', 'rtl')).toBe(2);
  });

  it('jumps with Home and End and ignores other keys', () => {
    expect(nextToolbarIndex(1, 5, 'Home', 'ltr')).toBe(0);
    expect(nextToolbarIndex(1, 5, 'End', 'ltr')).toBe(4);
    expect(nextToolbarIndex(1, 5, 'Enter', 'ltr')).toBeNull();
    expect(nextToolbarIndex(0, 0, 'ArrowRight', 'ltr')).toBeNull();
  });
});
