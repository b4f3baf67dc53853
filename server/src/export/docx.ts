import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import {
  CONSENSUS_ATTRIBUTE,
  FOOTNOTE_TYPE,
  fillNotStated,
  isSafeHref,
  markedPassages,
  markerWording,
  resolveAutoDirections,
  toConsensusMarker,
  translateConsensusEn,
  type ConsensusTranslate,
} from '@rapporteur/schema';
import type { JSONContent } from '../pages/page';
import { cellColumns, gridWidths } from './tableGrid';
import { formatDate, pageLabel, type PageTranslate } from '../pages/labels';
import type { PageHeader } from '../pages/page';

/**
 * A document as DOCX, written with the `docx` library straight from its
 * ProseMirror JSON: Word's own heading styles (so the navigation pane and a
 * table of contents work), numbered and bulleted lists, tables with a
 * repeated header row, hyperlinks, right-to-left paragraphs as bidi
 * paragraphs, Word footnotes (numbered by Word in document order, at the foot
 * of the page: SPEC FN3), and each consensus marker after its block in the
 * same words as the HTML and Markdown. Template guidance is an attribute and
 * never read.
 */
export interface DocxExtras {
  /** Plain-text notices before the text (a publication's note, the publication it corrects). */
  readonly notices?: readonly string[];
  /** A table after the text (a publication's disposition of comments). */
  readonly appendix?: { readonly title: string; readonly columns: readonly string[]; readonly rows: ReadonlyArray<readonly string[]> };
}

/**
 * `t` words the header's labels and `consensus` the markers and the
 * consensus summary, both in the document's language (SPEC L8); English by
 * default.
 */
export async function renderDocx(
  json: JSONContent,
  header: PageHeader,
  extras: DocxExtras = {},
  t: PageTranslate = pageLabel,
  consensus: ConsensusTranslate = translateConsensusEn,
): Promise<Buffer> {
  const writer = new DocxWriter(consensus);
  const body = resolveAutoDirections(fillNotStated(json));
  const children: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(header.title)] }),
    new Paragraph({
      style: 'Subtitle',
      children: [
        new TextRun({ text: `${t('header.date')}: `, bold: true }),
        new TextRun(formatDate(header.date)),
        new TextRun({ text: `\t${t('header.version')}: `, bold: true }),
        new TextRun(header.label),
      ],
    }),
    ...(extras.notices ?? []).map(
      (n) => new Paragraph({ border: { top: THIN, bottom: THIN, left: THIN, right: THIN }, children: [new TextRun({ text: n, bold: true })] }),
    ),
    ...writer.blocks(body.content ?? [], { listLevel: -1 }),
    ...writer.summary(json),
    ...(extras.appendix ? appendixTable(extras.appendix) : []),
  ];
  const doc = new Document({
    title: header.title,
    description: header.label,
    creator: 'Rapporteur',
    features: { updateFields: false },
    numbering: { config: writer.numberingConfig() },
    footnotes: writer.footnotes(),
    styles: {
      default: { document: { run: { font: 'DejaVu Sans', size: 22 } } },
      characterStyles: [{ id: 'Hyperlink', name: 'Hyperlink', basedOn: 'DefaultParagraphFont', run: { color: '0A4A94', underline: {} } }],
    },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

interface Context {
  /** Nesting of lists: -1 outside any. */
  readonly listLevel: number;
  /** In a table header cell: runs are bold. */
  readonly header?: boolean;
  /** In a blockquote: paragraphs are indented with a rule at their start. */
  readonly quote?: boolean;
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

const THIN = { style: BorderStyle.SINGLE, size: 4, color: '444444' };

class DocxWriter {
  /** Ordered lists seen so far, each its own numbering instance (so each starts again); keyed by start number. */
  private readonly starts = new Set<number>();
  private instance = 0;
  /** The notes met so far, in document order: Word's footnote ids 1, 2, … */
  private readonly notes: Paragraph[] = [];

  constructor(private readonly t: ConsensusTranslate) {}

  /** The document's footnotes by id, once the body has been written. */
  footnotes(): Record<number, { children: Paragraph[] }> {
    return Object.fromEntries(this.notes.map((note, i) => [i + 1, { children: [note] }]));
  }

  numberingConfig() {
    return [...this.starts].map((start) => ({
      reference: `ordered-${start}`,
      levels: Array.from({ length: 9 }, (_, level) => ({
        level,
        format: [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN][level % 3]!,
        text: `%${level + 1}.`,
        start: level === 0 ? start : 1,
        alignment: AlignmentType.START,
        style: { paragraph: { indent: { start: 720 * (level + 1), hanging: 360 } } },
      })),
    }));
  }

  blocks(nodes: readonly JSONContent[], ctx: Context): Array<Paragraph | Table> {
    return nodes.flatMap((node) => this.block(node, ctx));
  }

  private block(node: JSONContent, ctx: Context): Array<Paragraph | Table> {
    const content = node.content ?? [];
    const rtl = node.attrs?.['dir'] === 'rtl';
    switch (node.type) {
      case 'paragraph':
        return [this.paragraph(content, ctx, { rtl }), ...this.marker(node)];
      case 'heading': {
        const level = Math.min(6, Math.max(1, Number(node.attrs?.['level'] ?? 1)));
        return [new Paragraph({ heading: HEADINGS[level - 1]!, bidirectional: rtl, children: this.inline(content, { rtl, header: false }) }), ...this.marker(node)];
      }
      case 'bulletList':
      case 'orderedList':
        return this.list(node, ctx);
      case 'blockquote':
        return this.blocks(content, { ...ctx, quote: true });
      case 'codeBlock': {
        const lines = content.map((n) => n.text ?? '').join('').split('\n');
        return [
          new Paragraph({
            shading: { type: ShadingType.CLEAR, fill: 'F3F3F3', color: 'auto' },
            children: lines.map((line, i) => new TextRun({ text: line, font: 'DejaVu Sans Mono', ...(i > 0 ? { break: 1 } : {}) })),
          }),
        ];
      }
      case 'horizontalRule':
        return [new Paragraph({ border: { bottom: THIN }, children: [] })];
      case 'table':
        return [this.table(content), new Paragraph({ children: [] })];
      default:
        // Unknown block: keep its text rather than lose it.
        return content.some((c) => c.type === 'text') ? [this.paragraph(content, ctx, { rtl })] : this.blocks(content, ctx);
    }
  }

  private paragraph(content: readonly JSONContent[], ctx: Context, options: { rtl: boolean; numbering?: Paragraph['options'] }): Paragraph {
    return new Paragraph({
      bidirectional: options.rtl,
      ...(ctx.quote ? { indent: { start: 567 }, border: { left: { ...THIN, size: 12, space: 8 } } } : {}),
      ...(options.numbering ?? {}),
      children: this.inline(content, { rtl: options.rtl, header: ctx.header === true }),
    });
  }

  private list(node: JSONContent, ctx: Context): Array<Paragraph | Table> {
    const level = Math.min(8, ctx.listLevel + 1);
    const ordered = node.type === 'orderedList';
    const start = Number(node.attrs?.['start'] ?? 1);
    let numbering: object;
    if (ordered) {
      this.starts.add(start);
      this.instance += 1;
      numbering = { numbering: { reference: `ordered-${start}`, level, instance: this.instance } };
    } else {
      numbering = { bullet: { level } };
    }
    const out: Array<Paragraph | Table> = [];
    for (const item of node.content ?? []) {
      const itemRtl = item.attrs?.['dir'] === 'rtl';
      let first = true;
      for (const child of item.content ?? []) {
        if (child.type === 'paragraph' && first) {
          out.push(this.paragraph(child.content ?? [], ctx, { rtl: child.attrs?.['dir'] === 'rtl' || itemRtl, numbering: numbering as never }));
          out.push(...this.marker(child));
          first = false;
        } else if (child.type === 'paragraph') {
          out.push(
            new Paragraph({
              bidirectional: child.attrs?.['dir'] === 'rtl' || itemRtl,
              indent: { start: 720 * (level + 1) },
              children: this.inline(child.content ?? [], { rtl: child.attrs?.['dir'] === 'rtl', header: false }),
            }),
          );
        } else {
          out.push(...this.block(child, { ...ctx, listLevel: level }));
          first = false;
        }
      }
      out.push(...this.marker(item));
    }
    return out;
  }

  private table(rows: readonly JSONContent[]): Table {
    // Column widths people set in the editor become the table's grid (issue 14).
    const grid = gridWidths(rows);
    const { starts } = cellColumns(rows);
    return new Table({
      ...(grid
        ? { width: { size: grid.reduce((a, b) => a + b, 0), type: WidthType.DXA }, columnWidths: grid, layout: TableLayoutType.FIXED }
        : { width: { size: 100, type: WidthType.PERCENTAGE } }),
      borders: { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN },
      rows: rows.map((row, r) => {
        const cells = row.content ?? [];
        const widthOf = (cell: JSONContent, c: number): number => {
          const start = starts[r]![c]!;
          return (grid ?? []).slice(start, start + Number(cell.attrs?.['colspan'] ?? 1)).reduce((a, b) => a + b, 0);
        };
        const headerRow = cells.length > 0 && cells.every((c) => c.type === 'tableHeader');
        return new TableRow({
          tableHeader: headerRow,
          children: cells.map((cell, index) => {
            const isHeader = cell.type === 'tableHeader';
            const inner = this.blocks(cell.content ?? [], { listLevel: -1, header: isHeader });
            return new TableCell({
              ...(grid ? { width: { size: widthOf(cell, index), type: WidthType.DXA } } : {}),
              columnSpan: Number(cell.attrs?.['colspan'] ?? 1),
              rowSpan: Number(cell.attrs?.['rowspan'] ?? 1),
              ...(isHeader ? { shading: { type: ShadingType.CLEAR, fill: 'E8E8E8', color: 'auto' } } : {}),
              children: inner.length === 0 ? [new Paragraph({ children: [] })] : inner,
            });
          }),
        });
      }),
    });
  }

  private inline(nodes: readonly JSONContent[], opts: { rtl: boolean; header: boolean }): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    // Neighbouring runs of one link become one hyperlink.
    let link: { href: string; runs: TextRun[] } | null = null;
    const flush = () => {
      if (link) out.push(new ExternalHyperlink({ link: link.href, children: link.runs }));
      link = null;
    };
    for (const node of nodes) {
      if (node.type === 'hardBreak') {
        flush();
        out.push(new TextRun({ text: '', break: 1 }));
        continue;
      }
      if (node.type === FOOTNOTE_TYPE) {
        flush();
        // The note's paragraph is made first, so the ids follow document order.
        this.notes.push(new Paragraph({ bidirectional: opts.rtl, children: this.inline(node.content ?? [], { rtl: opts.rtl, header: false }) }));
        out.push(new FootnoteReferenceRun(this.notes.length));
        continue;
      }
      if (typeof node.text !== 'string') continue;
      const marks = new Map((node.marks ?? []).map((m) => [m.type, m]));
      const rawHref = marks.get('link')?.attrs?.['href'];
      const href = typeof rawHref === 'string' && isSafeHref(rawHref) ? rawHref : null;
      const run = new TextRun({
        text: node.text,
        bold: marks.has('bold') || opts.header,
        italics: marks.has('italic'),
        strike: marks.has('strike'),
        rightToLeft: opts.rtl,
        ...(marks.has('underline') ? { underline: {} } : {}),
        ...(marks.has('superscript') ? { superScript: true } : marks.has('subscript') ? { subScript: true } : {}),
        ...(marks.has('code') ? { font: 'DejaVu Sans Mono' } : {}),
        ...(href ? { style: 'Hyperlink' } : {}),
      });
      if (href === null) {
        flush();
        out.push(run);
      } else if (link !== null && (link as { href: string }).href === href) {
        (link as { runs: TextRun[] }).runs.push(run);
      } else {
        flush();
        link = { href, runs: [run] };
      }
    }
    flush();
    return out;
  }

  /** A block's consensus marker as boxed paragraphs after it, in the wording the HTML and Markdown use. */
  private marker(node: JSONContent): Paragraph[] {
    const marker = toConsensusMarker(node.attrs?.[CONSENSUS_ATTRIBUTE]);
    if (!marker) return [];
    const w = markerWording(marker, { scope: node.type === 'heading' ? 'section' : 'passage', t: this.t });
    const box = {
      shading: { type: ShadingType.CLEAR, fill: 'F5F5F5', color: 'auto' },
      border: { top: THIN, bottom: THIN, left: THIN, right: THIN },
      indent: { start: 283, end: 283 },
    };
    const paragraphs = [
      new Paragraph({ ...box, children: [new TextRun({ text: `${w.label}. `, bold: true }), new TextRun(w.wording)] }),
      new Paragraph({ ...box, children: [new TextRun(w.basis)] }),
    ];
    if (w.views.length > 0) {
      paragraphs.push(new Paragraph({ ...box, children: [new TextRun({ text: `${w.viewsTitle}:`, bold: true })] }));
      w.views.forEach((v, i) => {
        const text = v.text.trim() === '' ? this.t('viewTextMissing') : v.text;
        paragraphs.push(new Paragraph({ ...box, children: [new TextRun(`${i + 1}. ${text}`), new TextRun({ text: v.heldBy, break: 1 })] }));
      });
    }
    return paragraphs;
  }

  /** The consensus summary (every marked passage) as a table with a header row; nothing when there is no marker. */
  summary(json: JSONContent): Array<Paragraph | Table> {
    const passages = markedPassages(json);
    if (passages.length === 0) return [];
    const t = this.t;
    const head = [t('summary.passage'), t('summary.level'), t('summary.basis'), t('summary.views')];
    const cell = (lines: readonly string[], bold = false) =>
      new TableCell({ children: lines.map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] })) });
    return [
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(t('summary.title'))] }),
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        borders: { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN },
        rows: [
          new TableRow({ tableHeader: true, children: head.map((h) => cell([h], true)) }),
          ...passages.map((m) => {
            const w = markerWording(m.marker, { scope: m.scope, t });
            const views = w.views.length === 0 ? [t('summary.noViews')] : w.views.map((v) => `${v.text} (${v.heldBy})`);
            return new TableRow({ children: [cell([m.passage]), cell([w.label]), cell([w.basis]), cell(views)] });
          }),
        ],
      }),
    ];
  }
}


/** A heading and a bordered table with a repeated header row. */
function appendixTable(a: NonNullable<DocxExtras['appendix']>): Array<Paragraph | Table> {
  const cell = (text: string, bold = false) =>
    new TableCell({ children: text.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] })) });
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(a.title)] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN },
      rows: [
        new TableRow({ tableHeader: true, children: a.columns.map((c) => cell(c, true)) }),
        ...a.rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
      ],
    }),
  ];
}
