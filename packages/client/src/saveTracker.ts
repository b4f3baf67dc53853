import { MessageType, SyncStep } from '@rapporteur/protocol';

/**
 * Counts the local changes that the server has not yet confirmed as durably
 * stored, from the frames a y-websocket provider sends and the server's
 * `saved` acknowledgements (see PROTOCOL.md, "Extension: saved").
 *
 * The server acknowledges with the number of update-bearing frames (sync
 * step 2 and sync update) of the current socket that it has stored. A frame
 * confirms every local change made before it was sent, except frames sent on
 * a new socket before the client's own sync step 2: those carry only the
 * newest change, while older offline changes travel in step 2.
 */
export class SaveTracker {
  private total: number;
  private confirmed = 0;
  /** Coverage of each unacknowledged update-bearing frame of the current socket, oldest first. */
  private frames: Array<number | null> = [];
  private framesAcked = 0;
  private sentStep2 = false;

  constructor(
    initialPending = 0,
    private readonly onChange: () => void = () => {},
  ) {
    this.total = Math.max(0, Math.floor(initialPending));
  }

  get pending(): number {
    return this.total - this.confirmed;
  }

  /** A local change was made to the document. */
  localChange(): void {
    this.total++;
    this.onChange();
  }

  /** A new socket replaces the previous one; its unacknowledged frames are forgotten. */
  newSocket(): void {
    this.frames = [];
    this.framesAcked = 0;
    this.sentStep2 = false;
  }

  /** Called with every frame sent on the current socket. */
  sent(frame: Uint8Array): void {
    if (frame[0] !== MessageType.sync) return;
    const step = frame[1];
    if (step !== SyncStep.step2 && step !== SyncStep.update) return;
    if (step === SyncStep.step2) this.sentStep2 = true;
    this.frames.push(this.sentStep2 ? this.total : null);
  }

  /** The server stored the first `count` update-bearing frames of the current socket. */
  saved(count: number): void {
    while (this.framesAcked < count && this.frames.length > 0) {
      const covers = this.frames.shift() ?? null;
      this.framesAcked++;
      if (covers !== null && covers > this.confirmed) this.confirmed = covers;
    }
    this.onChange();
  }
}
