import type { DocumentType, TemplateNode } from '@rapporteur/protocol';

/** One version of a template, as stored. `content` is the validated JSON of the blocks (TemplateContent). */
export interface TemplateRecord {
  readonly id: string;
  readonly version: number;
  readonly type: DocumentType;
  readonly name: string;
  readonly description: string;
  readonly content: readonly TemplateNode[];
  readonly createdAt: number;
  /** The administrator who made this version; null for a built-in loaded at first start. */
  readonly createdBy: string | null;
}

export type NewTemplate = Omit<TemplateRecord, 'version'>;

/** Thrown by `create` when a template with that id exists. */
export class TemplateExistsError extends Error {
  constructor(readonly id: string) {
    super(`A template with the id ${id} exists`);
    this.name = 'TemplateExistsError';
  }
}

/**
 * Templates, versioned (SPEC TPL5): a version is never changed or removed;
 * an edit adds the next version. Validation happens before the store.
 */
export interface TemplateStore {
  /** The current (highest) version of every template, by id. */
  listCurrent(): Promise<TemplateRecord[]>;
  /** A version of a template (default: its current one), or null. */
  get(id: string, version?: number): Promise<TemplateRecord | null>;
  /** Version 1 of a new template; rejects with TemplateExistsError when the id is taken. */
  create(template: NewTemplate): Promise<TemplateRecord>;
  /** The next version of an existing template (null when there is none with that id). */
  addVersion(template: NewTemplate): Promise<TemplateRecord | null>;
  /**
   * Stores version 1 of each template whose id has no version yet, in one
   * transaction; templates that exist (an administrator's edits) are left
   * as they are. Returns the ids it stored.
   */
  seed(templates: readonly NewTemplate[]): Promise<string[]>;
}
