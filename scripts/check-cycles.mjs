#!/usr/bin/env node
// Checks the workspace's package graph: no cycles between @rapporteur/*
// packages, and the layering of DESIGN.md (protocol depends on no other
// workspace package, schema only on protocol, neither on React; the message
// catalog, i18n, on no workspace package and not on React). Module-level cycles inside a
// package are checked by ESLint (import-x/no-cycle).
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib.mjs';

const dirs = ['editor', 'server', 'tests', ...fs.readdirSync(path.join(root, 'packages')).map((d) => `packages/${d}`)];
const graph = new Map();
const manifests = new Map();
for (const dir of dirs) {
  const file = path.join(root, dir, 'package.json');
  if (!fs.existsSync(file)) continue;
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  manifests.set(pkg.name, deps);
  graph.set(pkg.name, Object.keys(deps).filter((d) => d.startsWith('@rapporteur/')));
}

const problems = [];
const state = new Map();
const visit = (name, trail) => {
  if (state.get(name) === 'done') return;
  if (state.get(name) === 'active') {
    problems.push(`dependency cycle: ${[...trail, name].join(' → ')}`);
    return;
  }
  state.set(name, 'active');
  for (const dep of graph.get(name) ?? []) visit(dep, [...trail, name]);
  state.set(name, 'done');
};
for (const name of graph.keys()) visit(name, []);

const rules = {
  '@rapporteur/protocol': { workspace: [], forbidden: ['react', 'react-dom', 'express', 'better-sqlite3'] },
  '@rapporteur/schema': { workspace: ['@rapporteur/protocol'], forbidden: ['react', 'react-dom', '@tiptap/react', 'express'] },
  '@rapporteur/client': { workspace: ['@rapporteur/protocol'], forbidden: ['react', 'react-dom', 'express'] },
  '@rapporteur/i18n': { workspace: [], forbidden: ['react', 'react-dom', 'react-i18next', 'express'] },
  '@rapporteur/server': { workspace: ['@rapporteur/i18n', '@rapporteur/protocol', '@rapporteur/schema'], forbidden: ['react', 'react-dom'] },
};
for (const [name, rule] of Object.entries(rules)) {
  for (const dep of graph.get(name) ?? []) {
    if (!rule.workspace.includes(dep)) problems.push(`${name} must not depend on ${dep}`);
  }
  for (const dep of rule.forbidden) {
    if (manifests.get(name)?.[dep]) problems.push(`${name} must not depend on ${dep}`);
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`package graph ok (${graph.size} packages, no cycles)`);
