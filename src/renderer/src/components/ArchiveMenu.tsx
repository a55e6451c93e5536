import { FolderInput } from './FolderInput.tsx';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BundleProgress } from '../../../shared/bundles.ts';
import { KartotekaError } from '../../../shared/errors.ts';
import type { ArchiveInfo, IndexStatus } from '../../../shared/reports.ts';
import type { RecentArchive } from '../../../shared/settings.ts';
import { api } from '../api.ts';
import { Modal } from './Dialogs.tsx';
import { pickedFolderPath } from '../folder-path.ts';
import { useMenuCommand } from '../menu-commands.ts';
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
  /** A rebuild of the search index was started here (or found under way): the app shows its progress. */
  onIndexing: (status: IndexStatus) => void;
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
export function ArchiveMenu({ info, busy, confirmLeave, onSwitched, onOpenSample, onIndexing, onError }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<Mode | null>(null);
  const [path, setPath] = useState('');
  const [recent, setRecent] = useState<RecentArchive[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [working, setWorking] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  /** A bundle export or import running on this archive (from another window, or a page reloaded under it): no other archive is opened until it ends. */
  const [bundleJob, setBundleJob] = useState<BundleProgress['operation'] | null>(null);
  const [cancellingJob, setCancellingJob] = useState(false);
  const jobNote = useRef<HTMLParagraphElement>(null);
  const blocked = busy || bundleJob !== null;
  /** The search index's state, read when the menu opens: a rebuild under way is not started again. */
  const [index, setIndex] = useState<IndexStatus | null>(null);
  const [confirmingRebuild, setConfirmingRebuild] = useState(false);
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
    setBundleJob(null);
    if (refocus) button.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    api['archive.recent']({}).then(setRecent).catch(onError);
    api['search.index.status']({}).then(setIndex).catch(onError);
  }, [open, info?.path, onError]);

  /** Starts a rebuild (or resumes a paused one), then leaves the menu: the app's note follows it. */
  const runIndex = (method: 'search.index.rebuild' | 'search.index.resume'): void => {
    setConfirmingRebuild(false);
    setWorking(true);
    api[method]({})
      .catch((e: unknown) => {
        // Started meanwhile (another window, the archive opened with an older index): show that one.
        if (e instanceof KartotekaError && e.code === 'CONFLICT') return api['search.index.status']({});
        throw e;
      })
      .then((status) => {
        setWorking(false);
        close();
        onIndexing(status);
      })
      .catch((e: unknown) => {
        setWorking(false);
        onError(e);
      });
  };

  // Asked when the panel opens, then every second while a bundle job runs, so the panel opens up again when it ends.
  const checkBundleJob = useCallback((): void => {
    api['bundles.progress']({})
      .then((p) => {
        const job = p && p.phase !== 'finished' && p.phase !== 'failed' ? p.operation : null;
        setBundleJob(job);
        if (!job) setCancellingJob(false);
      })
      .catch(onError);
  }, [onError]);
  useEffect(() => {
    if (!open) return;
    checkBundleJob();
    if (!bundleJob) return;
    const timer = setInterval(checkBundleJob, 1000);
    return () => clearInterval(timer);
  }, [open, bundleJob, checkBundleJob]);
  useEffect(() => {
    // The button that had focus may just have been disabled: the note saying why takes it.
    const active = document.activeElement;
    if (open && bundleJob && (!panel.current?.contains(active) || (active instanceof HTMLButtonElement && active.disabled))) jobNote.current?.focus();
  }, [open, bundleJob]);
  const cancelBundleJob = (): void => {
    setCancellingJob(true);
    api['bundles.cancel']({})
      .then(checkBundleJob)
      .catch((e: unknown) => {
        setCancellingJob(false);
        onError(e);
      });
  };

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

  // File > Open archive… and New archive… in the desktop app's menu: the panel opens on that form.
  useMenuCommand('open-archive', () => {
    setOpen(true);
    if (!blocked) startMode('open');
  });
  useMenuCommand('new-archive', () => {
    setOpen(true);
    if (!blocked) startMode('create');
  });

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
          // A bundle job began after the panel looked: the note above says which, and offers to cancel it.
          if (e instanceof KartotekaError && e.code === 'ARCHIVE_BUSY') {
            const job = detail(e, 'operation');
            setBundleJob(job === 'import' || job === 'inspect' ? job : 'export');
            return;
          }
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
        // The name may be cut short in the toolbar: the tooltip has it whole, and the folder.
        title={info ? `${info.isSample ? t('archive.sample') : info.name}\n${info.path}` : undefined}
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
          {bundleJob ? (
            <p ref={jobNote} tabIndex={-1} className="ft-hint archive-busy" role="status">
              {t(`archives.bundleBusy.${bundleJob}`)}{' '}
              <button type="button" className="link" disabled={cancellingJob} onClick={cancelBundleJob}>
                {cancellingJob ? t('archives.bundleCancelling') : t(`archives.bundleCancel.${bundleJob}`)}
              </button>
            </p>
          ) : (
            busy && (
              <p className="ft-hint" role="status">
                {t('archives.busy')}
              </p>
            )
          )}
          <div className="archive-actions">
            <button
              ref={(element) => {
                modeButtons.current.open = element;
              }}
              type="button"
              className={mode === 'open' ? '' : 'secondary'}
              aria-pressed={mode === 'open'}
              disabled={blocked}
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
              disabled={blocked}
              onClick={() => startMode('create')}
            >
              {t('archives.new')}
            </button>
            {info && !info.isSample && (
              <button
                type="button"
                className="secondary"
                disabled={blocked}
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
                    <FolderInput
                      inputRef={folderInput}
                      aria-hidden="true"
                      onFiles={(files) => {
                        const picked = pickedFolderPath(files);
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
                <button type="submit" disabled={working || blocked}>
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
                      disabled={blocked || working}
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
          <section className="archive-index" aria-labelledby={`${id}-index`}>
            <h3 id={`${id}-index`} className="sidebar-heading">
              {t('indexing.heading')}
            </h3>
            <p className="ft-hint" data-testid="archive-index-state">
              {index && !index.current
                ? t(index.paused ? 'indexing.menuPaused' : 'indexing.menuRunning', { done: index.done, count: index.total })
                : t('indexing.menuHint')}
            </p>
            {index && !index.current && (index.paused || index.failure) ? (
              <button type="button" className="secondary" disabled={working} onClick={() => runIndex('search.index.resume')}>
                {t('indexing.resume')}
              </button>
            ) : (
              <button type="button" className="secondary" disabled={!index?.current || working} onClick={() => setConfirmingRebuild(true)}>
                {t('indexing.menu')}
              </button>
            )}
          </section>
          {confirmingRebuild && (
            <Modal labelledBy={`${id}-reindex-title`} onClose={() => setConfirmingRebuild(false)} className="confirm" role="alertdialog">
              <h2 id={`${id}-reindex-title`}>{t('indexing.confirmTitle')}</h2>
              <p>{t('indexing.confirmBody', { count: index?.total ?? info?.documentCount ?? 0 })}</p>
              <div className="editor-actions">
                <button type="button" onClick={() => runIndex('search.index.rebuild')}>
                  {t('indexing.confirmButton')}
                </button>
                <button type="button" className="secondary" onClick={() => setConfirmingRebuild(false)} autoFocus>
                  {t('action.cancel')}
                </button>
              </div>
            </Modal>
          )}
        </div>
      )}
    </div>
  );
}
