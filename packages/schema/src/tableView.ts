import type { Node as PMNode } from '@tiptap/pm/model';
import { TableView } from '@tiptap/extension-table';

/**
 * The table's node view while column borders can be dragged (the editor's
 * `resizableTables`). prosemirror-tables builds it from the node alone, so
 * the attributes the schema renders on `<table>` — its block id, the
 * template field it is (`data-field`, which the field hint, the readiness
 * links and the guidance read) — would be missing from the page. This view
 * puts on the table whatever the schema's own rendering puts there, and keeps
 * it current; the `style` stays the column layout's.
 */
export class AttributedTableView extends TableView {
  private applied: string[] = [];

  constructor(node: PMNode, cellMinWidth: number) {
    super(node, cellMinWidth);
    this.applyAttributes(node);
  }

  override update(node: PMNode): boolean {
    if (!super.update(node)) return false;
    this.applyAttributes(node);
    return true;
  }

  private applyAttributes(node: PMNode): void {
    const rendered = node.type.spec.toDOM?.(node);
    const attrs = Array.isArray(rendered) && rendered[1] && typeof rendered[1] === 'object' && !Array.isArray(rendered[1]) ? (rendered[1] as Record<string, unknown>) : {};
    const names = Object.keys(attrs).filter((name) => name !== 'style' && attrs[name] !== null && attrs[name] !== undefined);
    for (const name of this.applied) if (!names.includes(name)) this.table.removeAttribute(name);
    for (const name of names) this.table.setAttribute(name, String(attrs[name]));
    this.applied = names;
  }
}
