/**
 * Where focus goes in a toolbar after a key press (WAI-ARIA toolbar pattern):
 * arrows move to the next/previous item and wrap, Home/End jump to the ends.
 * In a right-to-left layout ArrowLeft moves forward. Null for other keys.
 */
export function nextToolbarIndex(current: number, count: number, key: string, direction: 'ltr' | 'rtl'): number | null {
  if (count <= 0) return null;
  const forward = direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
  const backward = direction === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
  switch (key) {
    case forward:
      return (current + 1) % count;
    case backward:
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
