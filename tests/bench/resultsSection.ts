import fs from 'node:fs';

// RESULTS.md holds the replay's report and, below it, sections written by the
// other scenarios between markers. Each script rewrites only its own part.

const START = (name: string) => `<!-- section:${name} -->`;
const END = (name: string) => `<!-- /section:${name} -->`;
const SECTION = /<!-- section:([\w-]+) -->[\s\S]*?<!-- \/section:\1 -->\n?/g;

/** Replaces (or appends) the section `name` of `file` with `markdown`, leaving the rest as it is. */
export function writeSection(file: string, name: string, markdown: string): void {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const block = `${START(name)}\n${markdown.trim()}\n${END(name)}\n`;
  const existing = new RegExp(`${START(name)}[\\s\\S]*?${END(name)}\\n?`);
  fs.writeFileSync(file, existing.test(text) ? text.replace(existing, block) : `${text.trimEnd()}\n\n${block}`);
}

/** The scenario sections currently in `file`, to keep when the main report is rewritten. */
export function keptSections(file: string): string {
  if (!fs.existsSync(file)) return '';
  const found = fs.readFileSync(file, 'utf8').match(SECTION);
  return found ? `\n${found.join('\n')}` : '';
}
