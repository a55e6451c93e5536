import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KartotekaError } from '../../../shared/errors.ts';
import type { ArchiveInfo } from '../../../shared/reports.ts';
import type { RecentArchive } from '../../../shared/settings.ts';
import { api } from '../api.ts';
import { pickedFolderPath } from '../folder-path.ts';
import './archive-menu.css';

interface Props {
  info: ArchiveInfo | null;
  /** An import is running: switching would cut it off, so it waits. */
  busy: boolean;
  /** Runs the switch once unsaved metadata (if any) may be dropped. */
  confirmLeave: (action: () => void) => void;
  /** Another archive is open: the app reads its list, counts and searches again. */
  onSwitched: (info: ArchiveInfo, created: boolean) => void;
  /** Opens the sample archive (the app's own "Open sample archive"). */
  onOpenSample: () => void;
  onError: (error: unknown) => void;
}

type Mode = 'open' | 'create';

interface Problem {
  code: string;
  text: string;
  path: string;
  /** ARCHIVE_EXISTS on an archive: offer to open it. */
  archive: boolean;
}

const detail = (e: KartotekaError, key: string): unknown =>
  e.details && typeof e.details === 'object' && key in e.details ? (e.details as Record<string, unknown>)[key] : undefined;

/** The path separator the archive's own path uses, for the folder offered to a new archive. */
const separatorOf = (path: string): string => (path.includes('\\') && !path.includes('/') ? '\\' : '/');
const parentOf = (path: string): string => {
  const sep = separatorOf(path);
  const cut = path.replace(/[\\/]+$/u, '').lastIndexOf(sep);
  return cut > 0 ? path.slice(0, cut + 1) : path;
};

/**
 * The toolbar's archive button and what it opens: the archive open now (its folder), opening
 * another one or making a new one by its folder's path, and the archives opened before. A recent
 * archive that is gone says so and can be taken off the list.
 */
export function ArchiveMenu({ info, busy, confirmLeave, onSwitched, onOpenSample, onError }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<Mode | null>(null);
  const [path, setPath] = useState('');
  const [recent, setRecent] = useState<RecentArchive[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [working, setWorking] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const pathInput = useRef<HTMLInputElement>(null);
  const modeButtons = useRef<Record<Mode, HTMLButtonElement | null>>({ open: null, create: null });
  const folderInput = useRef<HTMLInputElement | null>(null);
  const canBrowse = typeof window !== 'undefined' && window.kartotekaFiles !== undefined;

  const close = useCallback((refocus = true) => {
    setOpen(false);
    setMode(null);
    setProblem(null);
    setNote(null);
    if (refocus) button.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    api['archive.recent']({}).then(setRecent).catch(onError);
  }, [open, info?.path, onError]);

  /** Leaves the open or new form; focus goes back to the button that opened it, not to the page. */
  const leaveMode = (): void => {
    if (mode) modeButtons.current[mode]?.focus();
    setMode(null);
    setProblem(null);
  };

  // Opened: focus goes in; Escape leaves the form, then the panel; a click elsewhere closes it.
  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('button:not([disabled]), input')?.focus();
    const onPointer = (event: PointerEvent): void => {
      const target = event.target as Node | null;
      if (target && !panel.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open, close]);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      if (mode) leaveMode();
      else close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, mode, close, leaveMode]);

  useEffect(() => {
    if (mode) pathInput.current?.focus();
  }, [mode]);

  const startMode = (next: Mode): void => {
    setMode(next);
    setProblem(null);
    setNote(null);
    setPath(next === 'create' && info ? parentOf(info.path) : '');
  };

  const describe = (e: unknown, tried: string, how: Mode): Problem | null => {
    if (!(e instanceof KartotekaError)) return null;
    const where = typeof detail(e, 'path') === 'string' ? (detail(e, 'path') as string) : tried;
    const archive = detail(e, 'archive') === true;
    const example = info && separatorOf(info.path) === '\\' ? 'D:\\Archive' : '/home/anna/Archive';
    const key =
      e.code === 'FILE_NOT_FOUND' && how === 'create'
        ? 'archives.problem.noParent'
        : e.code === 'ARCHIVE_EXISTS' && !archive
          ? 'archives.problem.notEmpty'
          : `archives.problem.${e.code}`;
    return { code: e.code, text: t(key, { path: where, example, defaultValue: t(`error.${e.code}`, { defaultValue: e.message }) }), path: where, archive };
  };

  const go = (target: string, how: Mode): void => {
    const wanted = target.trim();
    if (!wanted) {
      setProblem({ code: 'EMPTY', text: t('archives.problem.empty'), path: '', archive: false });
      pathInput.current?.focus();
      return;
    }
    confirmLeave(() => {
      setWorking(true);
      setProblem(null);
      api['archive.open']({ path: wanted, create: how === 'create' })
        .then((opened) => {
          setWorking(false);
          close();
          onSwitched(opened, how === 'create');
        })
        .catch((e: unknown) => {
          setWorking(false);
          const described = describe(e, wanted, how);
          if (described) setProblem(described);
          else onError(e);
        });
    });
  };

  const forget = (target: string): void => {
    api['archive.forget']({ path: target })
      .then((list) => {
        setRecent(list);
        setProblem((current) => (current?.path === target ? null : current));
      })
      .catch(onError);
  };

  const nameOf = (entry: RecentArchive): string => (entry.isSample ? t('archive.sample') : entry.name);
  const others = recent.filter((r) => !r.current);

  return (
    <div className="archive-menu">
      <button
        ref={button}
        type="button"
        className="archive-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? `${id}-panel` : undefined}
        title={info?.path}
        onClick={() => (open ? close() : setOpen(true))}
      >
        {info ? (
          <span className="archive-name">
            {info.isSample ? t('archive.sample') : info.name} · {t('archive.documents', { count: info.documentCount })}
          </span>
        ) : (
          <span className="archive-name">{t('archives.heading')}</span>
        )}
        <span aria-hidden="true" className="archive-caret">
          ▾
        </span>
      </button>
      {open && (
        <div
          ref={panel}
          id={`${id}-panel`}
          className="archive-panel"
          role="dialog"
          aria-labelledby={`${id}-heading`}
        >
          <h2 id={`${id}-heading`} className="archive-panel-heading">
            {t('archives.heading')}
          </h2>
          {info && (
            <dl className="archive-current">
              <dt>{t('archives.openNow')}</dt>
              <dd>
                <strong>{info.isSample ? t('archive.sample') : info.name}</strong> · {t('archive.documents', { count: info.documentCount })}
              </dd>
              <dt>{t('archives.folder')}</dt>
              <dd>
                <code className="archive-path" data-testid="archive-path">
                  {info.path}
                </code>
              </dd>
            </dl>
          )}
          {busy && (
            <p className="ft-hint" role="status">
              {t('archives.busy')}
            </p>
          )}
          <div className="archive-actions">
            <button
              ref={(element) => {
                modeButtons.current.open = element;
              }}
              type="button"
              className={mode === 'open' ? '' : 'secondary'}
              aria-pressed={mode === 'open'}
              disabled={busy}
              onClick={() => startMode('open')}
            >
              {t('archives.open')}
            </button>
            <button
              ref={(element) => {
                modeButtons.current.create = element;
              }}
              type="button"
              className={mode === 'create' ? '' : 'secondary'}
              aria-pressed={mode === 'create'}
              disabled={busy}
              onClick={() => startMode('create')}
            >
              {t('archives.new')}
            </button>
            {info && !info.isSample && (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => {
                  close();
                  onOpenSample();
                }}
              >
                {t('action.openSample')}
              </button>
            )}
          </div>
          {mode && (
            <form
              className="archive-form"
              aria-label={mode === 'open' ? t('archives.openLabel') : t('archives.newLabel')}
              onSubmit={(e) => {
                e.preventDefault();
                go(path, mode);
              }}
            >
              <label htmlFor={`${id}-path`}>{mode === 'open' ? t('archives.folderLabel') : t('archives.newFolderLabel')}</label>
              <div className="archive-path-row">
                <input
                  id={`${id}-path`}
                  ref={pathInput}
                  type="text"
                  value={path}
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`}
                  onChange={(e) => {
                    setPath(e.target.value);
                    setNote(null);
                  }}
                />
                {canBrowse && mode === 'open' && (
                  <>
                    <button type="button" className="secondary" onClick={() => folderInput.current?.click()}>
                      {t('archives.browse')}
                    </button>
                    <input
                      ref={(element) => {
                        folderInput.current = element;
                        // React has no prop for it: the picker chooses a folder, not files.
                        element?.setAttribute('webkitdirectory', '');
                      }}
                      type="file"
                      className="visually-hidden"
                      tabIndex={-1}
                      aria-hidden="true"
                      onChange={(e) => {
                        const picked = pickedFolderPath([...(e.target.files ?? [])]);
                        e.target.value = '';
                        if (picked) {
                          setPath(picked);
                          setNote(null);
                        } else setNote(t('archives.browseEmpty'));
                      }}
                    />
                  </>
                )}
              </div>
              <p id={`${id}-hint`} className="ft-hint">
                {mode === 'open' ? t('archives.folderHint') : t('archives.newFolderHint')}
                {!canBrowse && ` ${t('archives.webNote')}`}
              </p>
              {note && <p className="ft-hint">{note}</p>}
              {problem && (
                <div id={`${id}-problem`} className="ft-error archive-problem" role="alert">
                  <span>{problem.text}</span>
                  {problem.code === 'ARCHIVE_EXISTS' && problem.archive && (
                    <button type="button" className="link" onClick={() => go(problem.path, 'open')}>
                      {t('archives.openInstead')}
                    </button>
                  )}
                </div>
              )}
              <div className="archive-form-actions">
                <button type="submit" disabled={working || busy}>
                  {mode === 'open' ? t('archives.openButton') : t('archives.create')}
                </button>
                <button type="button" className="secondary" onClick={leaveMode}>
                  {t('action.cancel')}
                </button>
              </div>
            </form>
          )}
          {!mode && problem && (
            <div className="ft-error archive-problem" role="alert">
              <span>{problem.text}</span>
              {recent.some((r) => r.path === problem.path && !r.current) && (
                <button type="button" className="link" onClick={() => forget(problem.path)}>
                  {t('archives.forget')}
                </button>
              )}
            </div>
          )}
          <section className="archive-recent" aria-labelledby={`${id}-recent`}>
            <h3 id={`${id}-recent`} className="sidebar-heading">
              {t('archives.recent')}
            </h3>
            {others.length === 0 ? (
              <p className="ft-hint">{t('archives.noRecent')}</p>
            ) : (
              <ul>
                {others.map((entry) => (
                  <li key={entry.path} className={`recent-archive state-${entry.state}`}>
                    <button
                      type="button"
                      className="recent-archive-open"
                      disabled={busy || working}
                      title={entry.path}
                      onClick={() => {
                        setMode(null);
                        go(entry.path, 'open');
                      }}
                    >
                      <span className="recent-archive-name">{nameOf(entry)}</span>
                      <span className="recent-archive-path">{entry.path}</span>
                      {entry.state !== 'ok' && <span className="recent-archive-state">{t(`archives.state.${entry.state}`)}</span>}
                    </button>
                    <button type="button" className="secondary small" aria-label={t('archives.forgetOne', { name: nameOf(entry) })} title={t('archives.forgetOne', { name: nameOf(entry) })} onClick={() => forget(entry.path)}>
                      {t('archives.forget')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
