import { encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { SaveTracker } from './saveTracker';

const step1 = encodeSyncStep1(new Uint8Array([0]));
const step2 = encodeSyncStep2(new Uint8Array([0, 0]));
const update = encodeSyncUpdate(new Uint8Array([0, 0]));

describe('SaveTracker', () => {
  it('counts changes until the frame carrying them is acknowledged', () => {
    const t = new SaveTracker();
    t.newSocket();
    t.sent(step1);
    t.sent(step2);
    t.localChange();
    t.sent(update);
    t.localChange();
    t.sent(update);
    expect(t.pending).toBe(2);
    t.saved(1); // step 2: covered nothing new
    expect(t.pending).toBe(2);
    t.saved(2);
    expect(t.pending).toBe(1);
    t.saved(3);
    expect(t.pending).toBe(0);
  });

  it('offline changes are confirmed only by the step 2 of the next socket', () => {
    const t = new SaveTracker(3); // three changes restored from a previous page load
    t.newSocket();
    t.sent(step1);
    t.localChange();
    t.sent(update); // sent before our step 2: does not cover the offline changes
    t.saved(1);
    expect(t.pending).toBe(4);
    t.sent(step2);
    t.saved(2);
    expect(t.pending).toBe(0);
  });

  it('forgets unacknowledged frames of a dropped socket', () => {
    const t = new SaveTracker();
    t.newSocket();
    t.sent(step2);
    t.localChange();
    t.sent(update);
    t.newSocket(); // dropped before the ack
    t.saved(2); // an ack for the new socket's frames that were never sent is ignored
    expect(t.pending).toBe(1);
    t.sent(step2);
    t.saved(1);
    expect(t.pending).toBe(0);
  });
});
