/**
 * `pnpm bench:import`: importing a 100-page paper as a new document (issue 14:
 * "a 100-page DOCX imports in seconds"). A background paper of about 257k
 * characters — numbered sections, paragraphs with bold and links, lists, a
 * table every ten pages and a footnote every page — is written as Markdown,
 * turned into DOCX and ODT by pandoc, and each file is sent to
 * `POST /api/documents/import` of a server in its own process, ROUNDS times
 * (the first is the cold one: the importer and its libraries load then). The
 * reference, in the same run: the same paper sent as Markdown.
 *
 *   ROUNDS=n (default 3)   QUICK=1: one round, no RESULTS.md
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { signUp } from '../support/accounts';
import { Random } from '../support/random';
import { repoRoot, spawnServer, tempDataDir } from '../support/server';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const ROUNDS = QUICK ? 1 : Number(env.ROUNDS ?? 3);
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const WORDS =
  'the of and to in a for that on is with as by be are this from or have not which at their internet governance multistakeholder digital access development data policy human rights cybersecurity connectivity inclusion capacity national regional local community networks platforms content infrastructure standards cooperation sustainable stakeholders governments civil society private sector technical academic youth women rural affordable meaningful trust security privacy'.split(' ');

/** About 257k characters in about 1,760 blocks, as issue 14's UN paper. */
function paper(random: Random): string {
  const sentence = (): string => {
    const n = 12 + random.int(14);
    const words = Array.from({ length: n }, () => WORDS[random.int(WORDS.length)]!);
    return `${words[0]!.charAt(0).toUpperCase()}${words.join(' ').slice(1)}.`;
  };
  const out: string[] = ['# Background paper on meaningful connectivity', ''];
  let chars = 0;
  let footnote = 0;
  for (let page = 1; chars < 257_000; page++) {
    if (page % 5 === 1) out.push(`## ${Math.ceil(page / 5)}. ${sentence().slice(0, 60)}`, '');
    for (let p = 0; p < 8; p++) {
      const text = Array.from({ length: 2 + random.int(3) }, sentence).join(' ');
      const marked = p === 0 ? `**${text.slice(0, 40)}**${text.slice(40)} See [the IGF](https://www.intgovforum.org/).` : text;
      out.push(p === 3 ? `${marked}[^${++footnote}]` : marked, '');
      chars += marked.length;
    }
    out.push(`- ${sentence()}`, `- ${sentence()}`, `- ${sentence()}`, '');
    if (page % 10 === 0) out.push('| Region | Share | Note |', '|---|---|---|', ...Array.from({ length: 6 }, (_, i) => `| Region ${i} | ${random.int(100)}% | ${sentence().slice(0, 40)} |`), '');
  }
  for (let i = 1; i <= footnote; i++) out.push(`[^${i}]: ${sentence()}`, '');
  return out.join('\n');
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-bench-import-'));
  const md = paper(new Random(14));
  fs.writeFileSync(path.join(work, 'paper.md'), md);
  const files: { name: string; type: string; bytes: Buffer }[] = [{ name: 'paper.md', type: 'text/markdown', bytes: Buffer.from(md) }];
  for (const [ext, type] of [
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['odt', 'application/vnd.oasis.opendocument.text'],
  ] as const) {
    const run = spawnSync('pandoc', [path.join(work, 'paper.md'), '-o', path.join(work, `paper.${ext}`)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`pandoc failed: ${run.stderr}`);
    files.push({ name: `paper.${ext}`, type, bytes: fs.readFileSync(path.join(work, `paper.${ext}`)) });
  }
  const server = await spawnServer(tempDataDir('rapporteur-bench-import-'));
  const rows: string[] = [];
  try {
    const person = await signUp(server.url, { name: 'Importer' });
    for (const file of files) {
      const times: number[] = [];
      let notices = '';
      for (let r = 0; r < ROUNDS; r++) {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/documents/import`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${person.token}` } });
        const body = (await res.json()) as { notices?: { code: string; count: number }[] };
        times.push(performance.now() - t0);
        if (res.status !== 201) throw new Error(`${file.name}: ${res.status} ${JSON.stringify(body)}`);
        notices = (body.notices ?? []).map((n) => `${n.code} ${n.count}`).join(', ') || 'none';
      }
      const line = `| ${file.name} | ${(file.bytes.length / 1024).toFixed(0)} KB | ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')} | ${notices} |`;
      rows.push(line);
      console.log(line);
    }
  } finally {
    await server.kill('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  }
  const report = [
    '## Importing a 100-page paper (issue 14, SPEC IM7)',
    '',
    `A generated background paper (${md.length.toLocaleString('en')} characters of Markdown: sections, bold, links, lists, a table every ten pages, a footnote`,
    'every page), as Markdown and as DOCX and ODT written by pandoc, sent to `POST /api/documents/import` of a server in its own process;',
    `${ROUNDS} round(s) each, the first cold (the importer loads then). Time: request sent to the 201 received (conversion, schema check, the document`,
    'created and its body stored durably).',
    '',
    '| file | size | import time per round | notices |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Command: \`pnpm bench:import\` (${new Date().toISOString().slice(0, 10)}). Goal (issue 14): a 100-page DOCX in seconds.`,
  ].join('\n');
  console.log(report);
  if (!QUICK) writeSection(RESULTS_FILE, 'import', report);
}

await main();
