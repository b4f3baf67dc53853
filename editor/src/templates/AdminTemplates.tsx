import { ApiError } from '@rapporteur/client/http';
import type { TemplateSummary } from '@rapporteur/protocol';
import { type ChangeEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, useApi } from '../api/ApiContext';
import { formatDate } from '../formatDate';
import { LoadStatus } from '../LoadStatus';
import { useAuthGate } from '../session/useAuthGate';
import { editableJson, jsonId, newTemplateJson, parseJson, type TemplateProblem, templateProblems } from './templates';

type Load = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'loaded'; value: readonly TemplateSummary[] };

/** What the JSON editor is working on: an existing template (its next version) or a new one. */
type Editing =
  | { mode: 'edit'; id: string; name: string; version: number; text: string }
  | { mode: 'new'; text: string }
  | { mode: 'loading'; id: string };

const isForbidden = (error: unknown): boolean => error instanceof ApiError && error.status === 403;

/**
 * Administration → Templates: every template's current version (name, type,
 * id, version, updated), its JSON in a text area to edit and save as the
 * next version, a new template, and the import of a JSON file (which becomes
 * the next version of the template with its id, or a new one). The server
 * validates whole; its problems are listed by path (`content[3].attrs.level`).
 */
export function AdminTemplates({ onForbidden }: { onForbidden: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const gate = useAuthGate();
  const ids = { heading: useId(), intro: useId(), caption: useId(), editor: useId(), editorTitle: useId(), json: useId(), jsonHint: useId(), problems: useId(), file: useId() };
  const [state, setState] = useState<Load>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [problems, setProblems] = useState<TemplateProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    api.listTemplates().then(
      (templates) => !cancelled && setState({ kind: 'loaded', value: templates }),
      (e: unknown) => {
        if (cancelled || gate(e)) return;
        if (isForbidden(e)) onForbidden();
        else setState({ kind: 'error', message: errorMessage(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, gate, onForbidden, attempt]);

  // The text area takes the focus when a template is opened, so keyboard users land where they edit.
  const editingKey = editing ? (editing.mode === 'new' ? 'new' : `${editing.mode}:${editing.id}`) : null;
  useEffect(() => {
    if (editingKey && !editingKey.startsWith('loading')) textarea.current?.focus();
  }, [editingKey]);

  const reset = (): void => {
    setProblems([]);
    setError(null);
    setAnnouncement('');
  };

  const open = async (template: TemplateSummary): Promise<void> => {
    reset();
    setEditing({ mode: 'loading', id: template.id });
    try {
      const full = await api.getTemplate(template.id);
      setEditing({ mode: 'edit', id: full.id, name: full.name, version: full.version, text: editableJson(full) });
    } catch (e) {
      setEditing(null);
      if (gate(e)) return;
      if (isForbidden(e)) onForbidden();
      else setError(t('templates.admin.loadError', { message: errorMessage(e) }));
    }
  };

  const current = (id: string): TemplateSummary | undefined => (state.kind === 'loaded' ? state.value.find((x) => x.id === id) : undefined);

  const importFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    reset();
    const text = await file.text();
    const parsed = parseJson(text);
    if (!parsed.ok) {
      setError(t('templates.admin.importError', { message: parsed.message }));
      return;
    }
    // A file with the id of an existing template is its next version; else a new template.
    const existing = current(jsonId(parsed.value) ?? '');
    setEditing(existing ? { mode: 'edit', id: existing.id, name: existing.name, version: existing.version, text } : { mode: 'new', text });
  };

  const save = async (): Promise<void> => {
    if (!editing || editing.mode === 'loading' || saving) return;
    reset();
    const parsed = parseJson(editing.text);
    if (!parsed.ok) {
      setError(t('templates.admin.notJson', { message: parsed.message }));
      return;
    }
    setSaving(true);
    try {
      const saved =
        editing.mode === 'edit' ? await api.updateTemplate(editing.id, parsed.value as Record<string, unknown>) : await api.createTemplate(parsed.value as Record<string, unknown>);
      setEditing({ mode: 'edit', id: saved.id, name: saved.name, version: saved.version, text: editableJson(saved) });
      setAnnouncement(editing.mode === 'edit' ? t('templates.admin.saved', { name: saved.name, version: saved.version }) : t('templates.admin.created', { name: saved.name }));
      setAttempt((n) => n + 1);
    } catch (e) {
      if (gate(e)) return;
      if (isForbidden(e)) {
        onForbidden();
        return;
      }
      const found = templateProblems(e);
      if (found.length > 0) setProblems(found);
      else setError(t('templates.admin.saveError', { message: errorMessage(e) }));
    } finally {
      setSaving(false);
    }
  };

  const language = i18n.resolvedLanguage ?? i18n.language;
  return (
    <section className="panel admin-section" aria-labelledby={ids.heading} data-testid="admin-templates">
      <h2 id={ids.heading} className="panel__heading">
        {t('templates.admin.heading')}
      </h2>
      <p id={ids.intro} className="page-heading__intro">
        {t('templates.admin.intro')}
      </p>
      <div className="admin-templates__actions">
        <button
          type="button"
          className="button"
          data-testid="admin-template-new"
          onClick={() => {
            reset();
            setEditing({ mode: 'new', text: newTemplateJson(t('templates.admin.newTemplateName')) });
          }}
        >
          {t('templates.admin.new')}
        </button>
        <button type="button" className="button" onClick={() => fileInput.current?.click()} aria-describedby={ids.file}>
          {t('templates.admin.import')}
        </button>
        <input ref={fileInput} type="file" accept="application/json,.json" hidden onChange={(e) => void importFile(e)} data-testid="admin-template-import" />
        <span id={ids.file} className="field__hint">
          {t('templates.admin.importHint')}
        </span>
      </div>
      <LoadStatus
        state={state}
        loadingText={t('templates.admin.loading')}
        errorText={(message) => t('templates.admin.loadError', { message })}
        retryText={t('admin.retry')}
        onRetry={() => setAttempt((n) => n + 1)}
      />
      {state.kind === 'loaded' && state.value.length === 0 && <p className="empty-state">{t('templates.admin.empty')}</p>}
      {state.kind === 'loaded' && state.value.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby={ids.caption} tabIndex={0}>
          <table className="admin-table" data-testid="admin-templates-table" aria-describedby={ids.intro}>
            <caption id={ids.caption} className="visually-hidden">
              {t('templates.admin.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('templates.admin.column.name')}</th>
                <th scope="col">{t('templates.admin.column.type')}</th>
                <th scope="col">{t('templates.admin.column.id')}</th>
                <th scope="col">{t('templates.admin.column.version')}</th>
                <th scope="col">{t('templates.admin.column.updated')}</th>
                <th scope="col">{t('templates.admin.column.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {state.value.map((template) => (
                <tr key={template.id} data-testid="admin-template-row" data-template-id={template.id} data-version={template.version}>
                  <th scope="row">{template.name}</th>
                  <td>{t(`templates.type.${template.type}.name`)}</td>
                  <td>
                    <code>{template.id}</code>
                  </td>
                  <td>{template.version}</td>
                  <td>
                    <time dateTime={template.updatedAt}>{formatDate(language, template.updatedAt)}</time>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button--small"
                      aria-label={t('templates.admin.editFor', { name: template.name })}
                      onClick={() => void open(template)}
                      data-testid="admin-template-edit"
                    >
                      {t('templates.admin.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error && (
        <p className="notice notice--error" role="alert" data-testid="admin-template-error">
          {error}
        </p>
      )}
      <p className="visually-hidden" role="status" data-testid="admin-template-status">
        {announcement}
      </p>
      {editing?.mode === 'loading' && (
        <p className="notice" role="status">
          {t('templates.admin.loading')}
        </p>
      )}
      {editing && editing.mode !== 'loading' && (
        <div className="admin-templates__editor" aria-labelledby={ids.editorTitle} role="group" data-testid="admin-template-editor">
          <h3 id={ids.editorTitle}>
            {editing.mode === 'edit' ? t('templates.admin.editorTitle', { name: editing.name, version: editing.version }) : t('templates.admin.editorTitleNew')}
          </h3>
          <div className="field">
            <label htmlFor={ids.json}>{t('templates.admin.jsonLabel')}</label>
            <textarea
              ref={textarea}
              id={ids.json}
              className="admin-templates__json"
              rows={24}
              spellCheck={false}
              value={editing.text}
              onChange={(e) => setEditing({ ...editing, text: e.target.value })}
              aria-describedby={problems.length > 0 ? `${ids.problems} ${ids.jsonHint}` : ids.jsonHint}
              aria-invalid={problems.length > 0}
              data-testid="admin-template-json"
            />
            <p id={ids.jsonHint} className="field__hint">
              {t('templates.admin.jsonHint')}
            </p>
          </div>
          {problems.length > 0 && (
            <div id={ids.problems} className="notice notice--error" role="alert" data-testid="admin-template-problems">
              <p>{t('templates.admin.problemsTitle')}</p>
              <ul>
                {problems.map((p, i) => (
                  <li key={i} data-path={p.path}>
                    {p.path ? t('templates.admin.problem', { path: p.path, message: p.message }) : p.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="dialog__actions">
            <button type="button" className="button" onClick={() => setEditing(null)} disabled={saving}>
              {t('templates.admin.cancel')}
            </button>
            <button type="button" className="button button--primary" onClick={() => void save()} disabled={saving} aria-busy={saving} data-testid="admin-template-save">
              {saving
                ? t('templates.admin.saving')
                : editing.mode === 'edit'
                  ? t('templates.admin.saveVersion', { version: (current(editing.id)?.version ?? editing.version) + 1 })
                  : t('templates.admin.create')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
