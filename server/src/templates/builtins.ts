import { CreateTemplateRequest } from '@rapporteur/protocol';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { NewTemplate, TemplateStore } from '../storage/TemplateStore';
import backgroundPaper from './builtin/background-paper.json' with { type: 'json' };
import blank from './builtin/blank.json' with { type: 'json' };
import bpfOutput from './builtin/bpf-output.json' with { type: 'json' };
import chairsSummary from './builtin/chairs-summary.json' with { type: 'json' };
import dcOutput from './builtin/dc-output.json' with { type: 'json' };
import igfMessages from './builtin/igf-messages.json' with { type: 'json' };
import nriReport from './builtin/nri-report.json' with { type: 'json' };
import sessionReport from './builtin/session-report.json' with { type: 'json' };
import { parseTemplate } from './validateTemplate';

/**
 * The built-in templates (SPEC TPL8): data in `builtin/*.json`, one per
 * document type, each with the id of its type (the type's standard
 * template, which `POST /api/documents {type}` uses). They go through the
 * same validation as an administrator's import.
 */
const FILES: readonly unknown[] = [sessionReport, igfMessages, chairsSummary, backgroundPaper, bpfOutput, dcOutput, nriReport, blank];

/** The built-in templates, validated; throws (naming the file's id and the path) if one is broken. */
export function builtinTemplates(): CreateTemplateRequest[] {
  return FILES.map((file) => {
    try {
      return parseTemplate(CreateTemplateRequest, file);
    } catch (error) {
      const id = (file as { id?: unknown }).id;
      throw new Error(`The built-in template ${String(id)} is invalid: ${(error as Error).message}`, { cause: error });
    }
  });
}

/**
 * Loads each built-in template into the store when the store has no
 * template with its id (first start, or a type added by an upgrade). A
 * template that exists is never touched: an administrator's edits stay.
 */
export async function seedBuiltinTemplates(store: TemplateStore, clock: Clock, log: Logger): Promise<void> {
  const now = clock.now();
  const templates: NewTemplate[] = builtinTemplates().map((t) => ({ ...t, createdAt: now, createdBy: null }));
  const stored = await store.seed(templates);
  if (stored.length > 0) log.info({ templates: stored }, 'loaded built-in templates');
}
