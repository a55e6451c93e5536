import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentFile, DocumentWithText } from '../../../shared/document.ts';
import type { Highlight } from '../../../shared/reports.ts';
import { api } from '../api.ts';
import { citationOf } from '../citation.ts';
import { originalUrl, previewKind } from '../files.ts';
import { languageName } from '../format.ts';
import { DocumentExtras } from '../features/DocumentExtras.tsx';
import { capitalised } from '../features/shared/util.ts';
import { RedactableText } from '../features/redaction/RedactableText.tsx';
import { RedactableTranscript } from '../features/redaction/RedactableTranscript.tsx';
import { MetadataEditor } from './MetadataEditor.tsx';
import { ScanReading } from './ScanReading.tsx';
import { ImagePreview, PdfPreview } from './Preview.tsx';
import { AudioPlayer, type StartAt } from './Transcript.tsx';

/** Where the document was opened at: a hit's PDF page or moment in a recording. */
export interface OpenedAt {
  page: number | null;
  time: number | null;
}

interface Props {
  document: DocumentWithText;
  highlights: readonly Highlight[];
  /** The query the document was opened from, to mark it in a linked transcript too. */
  query: string | null;
  openedAt: OpenedAt | null;
  onOpen: (id: string) => void;
  /** Read again (another encoding): same document, new text. */
  onChange: (document: DocumentWithText) => void;
  onSaved: (document: DocumentWithText) => void;
  onDirtyChange: (dirty: boolean) => void;
  onCopy: (citation: string) => void;
  onError: (error: unknown) => void;
}

/** Encodings a person may choose when a text came out garbled. */
const encodings = ['utf-8', 'windows-1251', 'koi8-r', 'koi8-u', 'ibm866', 'iso-8859-5', 'windows-1252', 'iso-8859-1', 'iso-8859-2', 'utf-16le', 'utf-16be'];

const PREVIEW_KEY = 'kartoteka.preview';


/** How the text was read, and the means to read it again another way. */
function TextOrigin({ doc, onChange, onError }: { doc: DocumentWithText; onChange: Props['onChange']; onError: Props['onError'] }) {
  const { t } = useTranslation();
  const reextract = (request: { encoding?: string | null; repairMojibake?: boolean }): void => {
    api['documents.reextract']({ id: doc.id, ...request }).then(onChange).catch(onError);
  };
  return (
    <>
      {doc.textSource !== 'text' && (
        <div className="metadata-row">
          <dt>{t('field.textSource')}</dt>
          <dd>{t(`textSource.${doc.textSource}`)}</dd>
        </div>
      )}
      {doc.encoding && (
        <div className="metadata-row">
          <dt>
            <label htmlFor="encoding-select">{t('field.encoding')}</label>
          </dt>
          <dd className="inline-controls">
            <select
              id="encoding-select"
              value={doc.encoding.source === 'override' ? doc.encoding.name : ''}
              onChange={(e) => reextract({ encoding: e.target.value === '' ? null : e.target.value })}
            >
              <option value="">{t('encoding.detected', { name: doc.encoding.name, confidence: Math.round(doc.encoding.confidence * 100) })}</option>
              {encodings.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </dd>
        </div>
      )}
      {doc.repair && (
        <div className="metadata-row">
          <dt>{t('field.repair')}</dt>
          <dd className="inline-controls">
            <span>{doc.repair.reverted ? t('repair.reverted') : t('repair.applied', { steps: doc.repair.steps.join(' → ') })}</span>
            <button type="button" className="secondary small" onClick={() => reextract({ repairMojibake: doc.repair?.reverted === true })}>
              {doc.repair.reverted ? t('repair.redo') : t('repair.undo')}
            </button>
          </dd>
        </div>
      )}
    </>
  );
}

/** The audio file to play for this document: its own, or (a transcript) that of the recording it transcribes. */
function useLinked(doc: DocumentWithText, query: string | null, onError: Props['onError']) {
  const [transcript, setTranscript] = useState<{ doc: DocumentWithText; highlights: Highlight[] } | null>(null);
  const [audio, setAudio] = useState<{ id: string; file: DocumentFile } | null>(null);
  const ownAudio = doc.files.find((f) => previewKind(f) === 'audio');
  const transcriptLink = doc.links.find((l) => l.kind === 'transcript' && l.direction === 'from');
  const audioLink = doc.links.find((l) => l.kind === 'transcript' && l.direction === 'to');
  useEffect(() => {
    let stale = false;
    setTranscript(null);
    setAudio(ownAudio ? { id: doc.id, file: ownAudio } : null);
    if (ownAudio && transcriptLink && doc.cues.length === 0) {
      Promise.all([
        api['documents.get']({ id: transcriptLink.id }),
        query ? api['search.highlight']({ id: transcriptLink.id, query }).catch(() => []) : Promise.resolve([]),
      ])
        .then(([linked, highlights]) => {
          if (!stale) setTranscript({ doc: linked, highlights });
        })
        .catch(onError);
    } else if (!ownAudio && audioLink) {
      api['documents.get']({ id: audioLink.id })
        .then((linked) => {
          const file = linked.files.find((f) => previewKind(f) === 'audio');
          if (!stale && file) setAudio({ id: linked.id, file });
        })
        .catch(onError);
    }
    return () => {
      stale = true;
    };
    // The document's identity and its links decide; the objects are new at every render.
  }, [doc.id, ownAudio?.sha256, transcriptLink?.id, audioLink?.id, query]);
  return { transcript, audio };
}

/** One document: its preview, its metadata (and their editor), its links, its text or transcript. */
export function DocumentView({ document: doc, highlights, query, openedAt, onOpen, onChange, onSaved, onDirtyChange, onCopy, onError }: Props) {
  const { t, i18n } = useTranslation();
  const text = useRef<HTMLElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  const [editing, setEditing] = useState(false);
  const [showPreview, setShowPreview] = useState(() => localStorage.getItem(PREVIEW_KEY) !== 'hidden');
  const [time, setTime] = useState<number | null>(openedAt?.time ?? null);
  const [pdfPage, setPdfPage] = useState<number | null>(openedAt?.page ?? null);
  const [startAt, setStartAt] = useState<StartAt | null>(openedAt?.time !== null && openedAt?.time !== undefined ? { time: openedAt.time } : null);
  const { transcript, audio } = useLinked(doc, query, onError);

  useEffect(() => {
    setStartAt(openedAt?.time !== null && openedAt?.time !== undefined ? { time: openedAt.time } : null);
    setTime(openedAt?.time ?? null);
  }, [openedAt]);

  const firstHit = highlights[0]?.[0] ?? null;
  // Opened from a search: bring the first highlighted word into view (a transcript brings its cue).
  useEffect(() => {
    if (doc.cues.length > 0 && openedAt?.time !== null && openedAt?.time !== undefined) return;
    const mark = firstHit === null ? null : text.current?.querySelector('mark');
    const pane = mark?.closest('.detail-pane');
    if (!mark || !pane) return;
    const [m, p] = [mark.getBoundingClientRect(), pane.getBoundingClientRect()];
    if (m.top < p.top || m.bottom > p.bottom) mark.scrollIntoView({ block: 'center' });
  }, [doc.id, firstHit, doc.cues.length, openedAt]);

  const onTime = useCallback((seconds: number) => setTime(seconds), []);
  const seek = useCallback((seconds: number) => {
    const player = audioRef.current;
    if (!player) return;
    player.currentTime = seconds;
    setTime(seconds);
    player.play().catch(() => undefined);
  }, []);

  const preview = doc.files.find((f) => previewKind(f) === 'pdf' || previewKind(f) === 'image');
  const kind = preview ? previewKind(preview) : null;
  const hasPreview = preview !== undefined;
  const original = doc.files[0];
  const citation = (): string =>
    citationOf(
      {
        title: doc.title,
        date: doc.date,
        dateApproximate: doc.dateApproximate,
        page: kind === 'pdf' && doc.pages.length > 1 ? pdfPage : null,
        time: doc.cues.length > 0 || audio ? (openedAt?.time ?? null) : null,
        fileName: original?.fileName ?? null,
      },
      t,
    );

  const rows: [string, string][] = [
    [t('field.kind'), t(`kind.${doc.kind}`)],
    [t('field.language'), capitalised(languageName(doc.language, i18n.language), i18n.language)],
    [t('field.date'), doc.date ? `${doc.date}${doc.dateApproximate ? ` (${t('field.approximate')})` : ''}` : '—'],
    [t('field.authors'), doc.authors.join(', ') || '—'],
    [t('field.recipients'), doc.recipients.join(', ') || '—'],
    [t('field.source'), doc.source || '—'],
    [t('field.sensitivity'), t(`sensitivity.${doc.sensitivity}`)],
    [t('field.tags'), doc.tags.join(', ') || '—'],
  ];
  if (doc.cases.length > 0) rows.push([t('field.cases'), doc.cases.join(', ')]);
  const cues =
    doc.cues.length > 0
      ? { documentId: doc.id, text: doc.text, cues: doc.cues, highlights, language: doc.language }
      : transcript
        ? { documentId: transcript.doc.id, text: transcript.doc.text, cues: transcript.doc.cues, highlights: transcript.highlights, language: transcript.doc.language }
        : null;

  const infoRows = (
    <>
        {doc.translationOf && (
          <div className="metadata-row">
            <dt>{t('field.translationOf')}</dt>
            <dd>
              <button type="button" className="link" onClick={() => onOpen(doc.translationOf ?? '')}>
                {t('document.openOriginal')}
              </button>
            </dd>
          </div>
        )}
        {doc.translations.length > 0 && (
          <div className="metadata-row">
            <dt>{t('field.translations')}</dt>
            <dd className="translations">
              {doc.translations.map((tr) => (
                <button key={tr.id} type="button" className="link" onClick={() => onOpen(tr.id)}>
                  {languageName(tr.language, i18n.language)}
                </button>
              ))}
            </dd>
          </div>
        )}
        {doc.links.map((link) => (
          <div key={`${link.kind}-${link.direction}-${link.id}`} className="metadata-row">
            <dt>{t(`link.${link.kind}.${link.direction}`)}</dt>
            <dd>
              <button type="button" className="link" onClick={() => onOpen(link.id)}>
                {link.title}
              </button>
            </dd>
          </div>
        ))}
        {doc.pages.length > 0 && (
          <div className="metadata-row">
            <dt>{t('field.pages')}</dt>
            <dd>{doc.pages.length}</dd>
          </div>
        )}
        <TextOrigin doc={doc} onChange={onChange} onError={onError} />
        <ScanReading doc={doc} onChange={onChange} onError={onError} />
        {doc.warnings.map((warning) => (
          <div key={warning} className="metadata-row warning">
            <dt>{t('field.warning')}</dt>
            <dd>{warning}</dd>
          </div>
        ))}
        {doc.files.map((file) => (
          <div key={file.sha256} className="metadata-row">
            <dt>{t('field.original')}</dt>
            <dd>
              {file.fileName} · {t('document.bytes', { count: file.size })} · <code title={file.sha256}>sha256 {file.sha256.slice(0, 12)}…</code>
            </dd>
          </div>
        ))}
    </>
  );

  return (
    <article className="document" aria-labelledby="document-title" lang={doc.language === 'und' ? undefined : doc.language}>
      <header className="document-header">
        <h2 id="document-title">{doc.title}</h2>
        <span className={`badge sensitivity-${doc.sensitivity}`} lang={i18n.language}>
          {t(`sensitivity.${doc.sensitivity}`)}
        </span>
        <div className="document-actions" lang={i18n.language}>
          {!editing && (
            <button type="button" className="secondary small" onClick={() => setEditing(true)}>
              {t('editor.edit')}
            </button>
          )}
          <button type="button" className="secondary small" onClick={() => onCopy(citation())}>
            {t('citation.copy')}
          </button>
          {hasPreview && (
            <button
              type="button"
              className="secondary small"
              aria-pressed={showPreview}
              onClick={() => {
                localStorage.setItem(PREVIEW_KEY, showPreview ? 'hidden' : 'shown');
                setShowPreview(!showPreview);
              }}
            >
              {t('preview.toggle')}
            </button>
          )}
        </div>
      </header>

      {audio && (
        <section className="player-bar" aria-label={t('preview.player')} lang={i18n.language}>
          <AudioPlayer src={originalUrl(audio.id, audio.file)} fileName={audio.file.fileName} startAt={startAt} audioRef={audioRef} onTime={onTime} />
        </section>
      )}
      {showPreview && preview && (
        <section className="preview" aria-label={t('preview.label', { name: preview.fileName })} lang={i18n.language}>
          {kind === 'pdf' ? (
            <PdfPreview url={originalUrl(doc.id, preview)} fileName={preview.fileName} initialPage={openedAt?.page ?? null} onPageChange={setPdfPage} />
          ) : (
            <ImagePreview url={originalUrl(doc.id, preview)} fileName={preview.fileName} />
          )}
        </section>
      )}

      {editing ? (
        <MetadataEditor
          document={doc}
          onSaved={(saved) => {
            setEditing(false);
            onSaved(saved);
          }}
          onCancel={() => setEditing(false)}
          onDirtyChange={onDirtyChange}
          onError={onError}
        />
      ) : null}
      {editing ? (
        <dl className="metadata info" lang={i18n.language}>
          {infoRows}
        </dl>
      ) : (
        <dl className="metadata" lang={i18n.language}>
          {rows.map(([label, value]) => (
            <div key={label} className="metadata-row">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
          {doc.notes && (
            <div className="metadata-row">
              <dt>{t('field.notes')}</dt>
              <dd className="notes">{doc.notes}</dd>
            </div>
          )}
          {infoRows}
        </dl>
      )}
      <DocumentExtras doc={doc} onSaved={onSaved} onError={onError} />
      {cues ? (
        <RedactableTranscript
          documentId={cues.documentId}
          text={cues.text}
          cues={cues.cues}
          highlights={cues.highlights}
          time={audio ? time : null}
          onSeek={audio ? seek : null}
          language={cues.language === 'und' ? undefined : cues.language}
          onError={onError}
        />
      ) : (
        doc.text.length > 0 && (
          <section ref={text} className="document-text" aria-label={t('document.text')}>
            <RedactableText documentId={doc.id} text={doc.text} highlights={highlights} onError={onError} />
          </section>
        )
      )}
    </article>
  );
}
