/**
 * The common-password list as text: zxcvbn-ts's `passwords-common`
 * (`@zxcvbn-ts/language-common`), de-duplicated, sorted in UTF-16 code unit
 * order and joined by newlines (CommonPasswords searches it).
 *
 * Run from source, this imports the package and sorts its list. The built
 * server replaces this module (server/build.mjs): the build writes the text to
 * `<outdir>/common-passwords.txt` and the server reads that file — the
 * package's module, which decompresses its 49,000 strings when loaded and
 * would stay in the module cache (2.5 MiB of heap and 380 KB of source), is
 * never loaded (issue 16, SPEC O5: memory at rest after a first sign-up).
 */
export async function commonPasswordText(): Promise<string> {
  // A CommonJS module for Node: its exports are `default` (named ones too when Node imports it itself).
  const { default: common } = await import('@zxcvbn-ts/language-common');
  return sortedList(common.dictionary['passwords-common']);
}

/** The list's text: each entry once, sorted as `<` compares, joined by newlines (the build writes the same). */
export function sortedList(words: readonly string[]): string {
  return [...new Set(words)].sort().join('\n');
}
