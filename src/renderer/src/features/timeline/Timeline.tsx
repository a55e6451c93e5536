import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSummary } from '../../../../shared/document.ts';
import { type EventKind, eventKinds, type TimelineItem } from '../../../../shared/entities.ts';
import { formatPartialDate, isExact, momentOf, periodOf } from './dates.ts';
import './timeline.css';

interface Props {
  items: readonly TimelineItem[];
  /** What the chart is of, for its accessible name ("Timeline of Miron Solovyov"). */
  label: string;
  onOpenDocument: (document: DocumentSummary) => void;
  /** An event clicked (or Enter on it): its editor opens. */
  onSelectEvent?: ((id: number) => void) | undefined;
}

/** One thing drawn on the chart: an event above the axis, a document below it. */
interface Mark {
  key: string;
  item: TimelineItem;
  x: number;
  /** Where the period of a partial date starts and ends on the axis (a year, a month). */
  from: number;
  to: number;
  /** Label row (events) or dot row (documents). */
  row: number;
  label: string;
}

const PAD_X = 28;
const LABEL_ROW = 17;
const DOC_ROW = 13;
const MAX_LABEL_ROWS = 4;
const MAX_DOC_ROWS = 5;

/** Marker shapes by kind: custody events are squares, charges diamonds, transfers triangles, the rest circles. */
const shapeOf = (kind: EventKind): 'square' | 'diamond' | 'triangle' | 'circle' =>
  kind === 'arrest' || kind === 'detention' ? 'square' : kind === 'charge' ? 'diamond' : kind === 'transfer' ? 'triangle' : 'circle';

function Marker({ kind, x, y }: { kind: EventKind; x: number; y: number }) {
  const shape = shapeOf(kind);
  const className = `tl-marker tl-kind-${kind}`;
  if (shape === 'square') return <rect className={className} x={x - 6} y={y - 6} width={12} height={12} rx={1.5} />;
  if (shape === 'diamond') return <path className={className} d={`M${x} ${y - 8} L${x + 8} ${y} L${x} ${y + 8} L${x - 8} ${y} Z`} />;
  if (shape === 'triangle') return <path className={className} d={`M${x - 7} ${y + 6} L${x + 7} ${y + 6} L${x} ${y - 7} Z`} />;
  return <circle className={className} cx={x} cy={y} r={7} />;
}

/** Ticks on the axis: every year, or every few years on a long axis; months when the axis spans a year or two. */
function ticksOf(t0: number, t1: number, width: number): { years: { t: number; label: string }[]; months: number[] } {
  const first = new Date(t0).getUTCFullYear();
  const last = new Date(t1).getUTCFullYear();
  const span = Math.max(1, last - first);
  const pixelsPerYear = width / span;
  const step = pixelsPerYear >= 48 ? 1 : pixelsPerYear >= 24 ? 2 : pixelsPerYear >= 10 ? 5 : 10;
  const years: { t: number; label: string }[] = [];
  for (let y = first; y <= last; y++) if (y % step === 0 || step === 1) years.push({ t: Date.UTC(y, 0, 1), label: String(y) });
  const months: number[] = [];
  if (pixelsPerYear >= 120) {
    for (let y = first; y < last; y++) for (let m = 1; m < 12; m++) months.push(Date.UTC(y, m, 1));
  }
  return { years, months };
}

/** An event's label: its kind, or for "other" the start of what it says (a long visit, a hunger strike). */
function eventLabel(event: { kind: EventKind; description: string; place: string }, kindName: string): string {
  if (event.kind !== 'other') return kindName;
  const text = (event.description.split(/[.:;\n]/u)[0] ?? '').trim() || event.place.trim();
  if (!text) return kindName;
  return [...text].length > 24 ? `${[...text].slice(0, 23).join('')}…` : text;
}

/** About 6.6 px a letter at the chart's font size, and a little room. */
const labelWidth = (label: string): number => [...label].length * 6.6 + 10;

/** Puts each label in the first row where it does not run into the label before it. */
function stack(marks: { x: number; width: number }[], maxRows: number): number[] {
  const ends: number[] = [];
  return marks.map(({ x, width }) => {
    const left = x - width / 2;
    let row = ends.findIndex((end) => end <= left);
    if (row < 0) row = ends.length < maxRows ? ends.length : ends.indexOf(Math.min(...ends));
    ends[row] = x + width / 2 + 6;
    return row;
  });
}

/**
 * A person's or a case's timeline drawn as a chart: a horizontal time axis with a tick for every
 * year, the events above it as markers by kind with their names, the documents below it as dots.
 * A partial date (a year, a month) is drawn in the middle of its period, the period shaded on the
 * axis. Pointing at a mark or moving to it with the arrow keys shows its details; a document opens
 * with a click or Enter. The chart is one stop for Tab; ← → Home End move between the marks.
 */
export function Timeline({ items, label, onOpenDocument, onSelectEvent }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const frame = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  const [active, setActive] = useState(0);
  const [shown, setShown] = useState<string | null>(null);
  const markRefs = useRef(new Map<string, SVGGElement>());

  useLayoutEffect(() => {
    const element = frame.current;
    if (!element) return;
    const measure = (): void => setWidth(Math.max(320, Math.floor(element.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const dated = items.filter((item): item is TimelineItem & { date: string } => item.date !== null);
  const undated = items.filter((item) => item.date === null && item.type === 'document');

  const chart = useMemo(() => {
    if (dated.length === 0) return null;
    const periods = dated.map((item) => periodOf(item.date));
    const minYear = new Date(Math.min(...periods.map((p) => p[0]))).getUTCFullYear();
    const maxYear = new Date(Math.max(...periods.map((p) => p[1])) - 1).getUTCFullYear();
    const t0 = Date.UTC(minYear, 0, 1);
    const t1 = Date.UTC(maxYear + 1, 0, 1);
    const inner = width - PAD_X * 2;
    const x = (time: number): number => PAD_X + ((time - t0) / (t1 - t0)) * inner;

    const eventMarks: Mark[] = [];
    const docMarks: Mark[] = [];
    dated.forEach((item, i) => {
      const [from, to] = periods[i] ?? [0, 0];
      const mark: Mark = {
        key: item.type === 'event' ? `e${item.event.id}` : `d${item.document.id}`,
        item,
        x: x(momentOf(item.date)),
        from: x(from),
        to: x(Math.min(to, t1)),
        row: 0,
        label: item.type === 'event' ? eventLabel(item.event, t(`events.kind.${item.event.kind}`)) : item.document.title,
      };
      (item.type === 'event' ? eventMarks : docMarks).push(mark);
    });
    eventMarks.sort((a, b) => a.x - b.x);
    docMarks.sort((a, b) => a.x - b.x);
    stack(eventMarks.map((m) => ({ x: m.x, width: labelWidth(m.label) })), MAX_LABEL_ROWS).forEach((row, i) => {
      const mark = eventMarks[i];
      if (mark) mark.row = row;
    });
    stack(docMarks.map((m) => ({ x: m.x, width: 12 })), MAX_DOC_ROWS).forEach((row, i) => {
      const mark = docMarks[i];
      if (mark) mark.row = row;
    });
    const labelRows = eventMarks.length === 0 ? 0 : Math.max(...eventMarks.map((m) => m.row)) + 1;
    const docRows = docMarks.length === 0 ? 0 : Math.max(...docMarks.map((m) => m.row)) + 1;
    const eventY = 10 + labelRows * LABEL_ROW + 10;
    const axisY = eventMarks.length > 0 ? eventY + 22 : 16;
    const docTop = axisY + 34;
    const height = docTop + Math.max(1, docRows) * DOC_ROW + 8;
    // Keyboard order: left to right, events before documents at the same place.
    const order = [...eventMarks, ...docMarks].sort((a, b) => a.x - b.x || (a.item.type === 'event' ? -1 : 1));
    return { t0, t1, x, eventMarks, docMarks, eventY, axisY, docTop, height, order, ticks: ticksOf(t0, t1, inner) };
  }, [dated, width, t]);

  if (items.length === 0) return <p className="tl-empty">{t('timeline.empty')}</p>;

  const order = chart?.order ?? [];
  const activeIndex = Math.min(active, Math.max(0, order.length - 1));
  const shownMark = order.find((m) => m.key === shown) ?? null;

  const focusMark = (index: number): void => {
    const mark = order[index];
    if (!mark) return;
    setActive(index);
    setShown(mark.key);
    markRefs.current.get(mark.key)?.focus();
  };

  const activate = (mark: Mark): void => {
    if (mark.item.type === 'document') onOpenDocument(mark.item.document);
    else onSelectEvent?.(mark.item.event.id);
  };

  const describe = (mark: Mark): string => {
    const date = formatPartialDate(mark.item.date ?? '', i18n.language);
    if (mark.item.type === 'document') return t('timeline.documentMark', { title: mark.item.document.title, date });
    const event = mark.item.event;
    return [t(`events.kind.${event.kind}`), date, event.place, event.description].filter(Boolean).join(' — ');
  };

  const kindsShown = eventKinds.filter((kind) => chart?.eventMarks.some((m) => m.item.type === 'event' && m.item.event.kind === kind));

  return (
    <div className="timeline">
      <div ref={frame} className="tl-frame">
        {chart ? (
          <svg
            className="tl-chart"
            width={width}
            height={chart.height}
            viewBox={`0 0 ${width} ${chart.height}`}
            role="group"
            aria-label={label}
            aria-describedby={`${id}-help`}
            onKeyDown={(event) => {
              const moves: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
              if (event.key in moves) focusMark(Math.min(order.length - 1, Math.max(0, activeIndex + (moves[event.key] ?? 0))));
              else if (event.key === 'Home') focusMark(0);
              else if (event.key === 'End') focusMark(order.length - 1);
              else if (event.key === 'Escape') setShown(null);
              else return;
              event.preventDefault();
            }}
          >
            {chart.ticks.months.map((time) => (
              <line key={time} className="tl-month" x1={chart.x(time)} x2={chart.x(time)} y1={chart.axisY - 3} y2={chart.axisY + 3} />
            ))}
            {chart.ticks.years.map(({ t: time, label: year }) => (
              <g key={time} className="tl-year">
                <line x1={chart.x(time)} x2={chart.x(time)} y1={chart.axisY - 7} y2={chart.axisY + 7} />
                <text x={chart.x(time) + 3} y={chart.axisY + 19}>
                  {year}
                </text>
              </g>
            ))}
            <line className="tl-axis" x1={PAD_X} x2={width - PAD_X} y1={chart.axisY} y2={chart.axisY} />
            {chart.eventMarks.map((mark) =>
              mark.item.date && !isExact(mark.item.date) ? (
                <rect key={`p${mark.key}`} className="tl-period" x={mark.from} y={chart.axisY - 4} width={Math.max(2, mark.to - mark.from)} height={8} rx={3} />
              ) : null,
            )}
            {/* Stems from the axis to each mark: drawn apart, so that only the marks take the pointer. */}
            <g aria-hidden="true">
              {order.map((mark) =>
                mark.item.type === 'event' ? (
                  <line key={`s${mark.key}`} className="tl-stem" x1={mark.x} x2={mark.x} y1={10 + mark.row * LABEL_ROW + 13} y2={chart.axisY} />
                ) : (
                  <line key={`s${mark.key}`} className="tl-stem doc" x1={mark.x} x2={mark.x} y1={chart.axisY} y2={chart.docTop + mark.row * DOC_ROW} />
                ),
              )}
            </g>
            {order.map((mark) => {
              const index = order.indexOf(mark);
              const isEvent = mark.item.type === 'event';
              const common = {
                ref: (element: SVGGElement | null) => {
                  if (element) markRefs.current.set(mark.key, element);
                  else markRefs.current.delete(mark.key);
                },
                tabIndex: index === activeIndex ? 0 : -1,
                role: 'button',
                'aria-label': describe(mark),
                'data-mark': mark.key,
                onFocus: () => {
                  setActive(index);
                  setShown(mark.key);
                },
                onBlur: () => setShown((current) => (current === mark.key ? null : current)),
                onMouseEnter: () => setShown(mark.key),
                onMouseLeave: () => setShown((current) => (current === mark.key ? null : current)),
                onClick: () => activate(mark),
                onKeyDown: (event: React.KeyboardEvent) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    activate(mark);
                  }
                },
              };
              if (isEvent && mark.item.type === 'event') {
                const labelY = 10 + mark.row * LABEL_ROW + 10;
                return (
                  <g key={mark.key} className={`tl-event${shown === mark.key ? ' active' : ''}`} {...common}>
                    <rect className="tl-hit" x={mark.x - labelWidth(mark.label) / 2} y={labelY - 13} width={labelWidth(mark.label)} height={chart.eventY + 10 - (labelY - 13)} />
                    <Marker kind={mark.item.event.kind} x={mark.x} y={chart.eventY} />
                    <text className="tl-label" x={mark.x} y={labelY} textAnchor="middle">
                      {mark.label}
                    </text>
                  </g>
                );
              }
              const y = chart.docTop + mark.row * DOC_ROW;
              return (
                <g key={mark.key} className={`tl-document${shown === mark.key ? ' active' : ''}`} {...common}>
                  <circle className="tl-dot" cx={mark.x} cy={y} r={5} />
                  <circle className="tl-hit" cx={mark.x} cy={y} r={9} />
                </g>
              );
            })}
          </svg>
        ) : (
          <p className="tl-empty">{t('timeline.noDates')}</p>
        )}
        {chart && shownMark && (
          <div
            className="tl-tooltip"
            role="status"
            style={{
              left: Math.min(Math.max(8, shownMark.x - 140), width - 288),
              top: shownMark.item.type === 'event' ? chart.axisY + 12 : chart.docTop + shownMark.row * DOC_ROW + 12,
            }}
          >
            {shownMark.item.type === 'event' ? (
              <>
                <strong>{t(`events.kind.${shownMark.item.event.kind}`)}</strong> · {formatPartialDate(shownMark.item.date ?? '', i18n.language)}
                {shownMark.item.event.place && <div>{shownMark.item.event.place}</div>}
                {shownMark.item.event.description && <div className="tl-tip-text">{shownMark.item.event.description}</div>}
                {shownMark.item.event.caseTitle && <div className="tl-tip-muted">{t('timeline.case', { title: shownMark.item.event.caseTitle })}</div>}
                {shownMark.item.event.personName && <div className="tl-tip-muted">{t('timeline.person', { name: shownMark.item.event.personName })}</div>}
              </>
            ) : (
              <>
                <strong lang={shownMark.item.document.language}>{shownMark.item.document.title}</strong>
                <div className="tl-tip-muted">
                  {t(`kind.${shownMark.item.document.kind}`)} · {formatPartialDate(shownMark.item.date ?? '', i18n.language)}
                </div>
                <div className="tl-tip-muted">{t('timeline.openHint')}</div>
              </>
            )}
          </div>
        )}
      </div>
      <p id={`${id}-help`} className="tl-help">
        {t('timeline.help')}
      </p>
      {chart && (
        <ul className="tl-legend" aria-label={t('timeline.legend')}>
          {kindsShown.map((kind) => (
            <li key={kind}>
              <svg width={16} height={16} aria-hidden="true">
                <Marker kind={kind} x={8} y={8} />
              </svg>
              {t(`events.kind.${kind}`)}
            </li>
          ))}
          {chart.docMarks.length > 0 && (
            <li>
              <svg width={16} height={16} aria-hidden="true">
                <circle className="tl-dot" cx={8} cy={8} r={5} />
              </svg>
              {t('timeline.documents', { count: chart.docMarks.length })}
            </li>
          )}
        </ul>
      )}
      {undated.length > 0 && (
        <div className="tl-undated">
          <span>{t('timeline.undated', { count: undated.length })}</span>{' '}
          {undated.map((item) =>
            item.type === 'document' ? (
              <button key={item.document.id} type="button" className="link" lang={item.document.language} onClick={() => onOpenDocument(item.document)}>
                {item.document.title}
              </button>
            ) : null,
          )}
        </div>
      )}
    </div>
  );
}
