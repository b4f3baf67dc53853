import type { DocumentId, Role } from '@rapporteur/protocol';
import type { Clock } from '../lib/clock';
import type { DocumentStore, InviteRecord } from '../storage/DocumentStore';
import type { AccessEvents } from './AccessEvents';
import { hashSecret, newId, newSecret } from './secrets';

const RANK: Record<Role, number> = { viewer: 1, commenter: 2, editor: 3, owner: 4 };
const DAY = 24 * 60 * 60 * 1000;

/** Invite links: a secret code that grants a role on one document until it expires or is revoked. */
export class Invites {
  private readonly acceptedListeners: Array<(invite: InviteRecord, userId: string) => Promise<void>> = [];

  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly events: AccessEvents,
  ) {}

  async create(documentId: DocumentId, role: Role, expiresInDays: number, createdBy: string): Promise<{ invite: InviteRecord; code: string }> {
    const code = newSecret();
    const now = this.clock.now();
    const invite = await this.store.createInvite({
      id: newId(),
      documentId,
      codeHash: hashSecret(code),
      role,
      createdBy,
      createdAt: now,
      expiresAt: now + expiresInDays * DAY,
    });
    return { invite, code };
  }

  /** The invite behind `code`, whatever its state; null for an unknown code. */
  find(code: string): Promise<InviteRecord | null> {
    return this.store.findInvite(hashSecret(code));
  }

  /** The invite when it can still be used. */
  async findLive(code: string): Promise<InviteRecord | null> {
    const invite = await this.find(code);
    return invite && this.isLive(invite) ? invite : null;
  }

  isLive(invite: InviteRecord): boolean {
    return !invite.revoked && invite.expiresAt > this.clock.now();
  }

  /** Calls `listener` once a person has accepted an invite (an event binds the rapporteur it was made for, SPEC EV5). */
  onAccepted(listener: (invite: InviteRecord, userId: string) => Promise<void>): void {
    this.acceptedListeners.push(listener);
  }

  /** Makes the user a member with the invite's role; never lowers a role they already hold. */
  async accept(invite: InviteRecord, userId: string): Promise<Role> {
    for (const listener of this.acceptedListeners) await listener(invite, userId);
    const current = await this.store.getMember(invite.documentId, userId);
    if (current && RANK[current.role] >= RANK[invite.role]) return current.role;
    await this.store.setMember(invite.documentId, { userId, role: invite.role, addedBy: invite.createdBy }, this.clock.now());
    await this.store.appendAudit(
      invite.documentId,
      { actorId: userId, action: 'member.joined', details: { userId, role: invite.role, from: current?.role ?? null, inviteId: invite.id } },
      this.clock.now(),
    );
    this.events.emit({ kind: 'document', documentId: invite.documentId });
    return invite.role;
  }
}
