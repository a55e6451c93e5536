import {
  type DocumentKind,
  type DocumentMetadataPatch,
  type DocumentWithText,
  LanguageTag,
  PartialDate,
  type Sensitivity,
} from '../../shared/document.ts';

/** The metadata editor's fields as the person typed them. */
export interface MetadataForm {
  kind: DocumentKind;
  title: string;
  language: string;
  date: string;
  dateApproximate: boolean;
  authors: string[];
  recipients: string[];
  tags: string[];
  cases: string[];
  sensitivity: Sensitivity;
  source: string;
  notes: string;
}

export type FormField = keyof MetadataForm;

/** Translation keys (under editor.error) of what is wrong with a field. */
export type FieldErrors = Partial<Record<FormField, string>>;

export const formOf = (doc: DocumentWithText): MetadataForm => ({
  kind: doc.kind,
  title: doc.title,
  language: doc.language,
  date: doc.date ?? '',
  dateApproximate: doc.dateApproximate,
  authors: [...doc.authors],
  recipients: [...doc.recipients],
  tags: [...doc.tags],
  cases: [...doc.cases],
  sensitivity: doc.sensitivity,
  source: doc.source,
  notes: doc.notes,
});

const DATE_SHAPE = /^\d{4}(-\d{2}(-\d{2})?)?$/u;

/** What is wrong with a date as typed: nothing, its shape, or a month or day that does not exist. */
export function dateError(value: string): string | undefined {
  const date = value.trim();
  if (date === '') return undefined;
  if (!DATE_SHAPE.test(date)) return 'dateFormat';
  return PartialDate.safeParse(date).success ? undefined : 'dateNoSuch';
}

export function languageError(value: string): string | undefined {
  const tag = value.trim();
  if (tag === '') return 'languageRequired';
  return LanguageTag.safeParse(tag).success ? undefined : 'language';
}

const LIMITS = { title: 500, source: 2000, notes: 100_000 } as const;
const NAME_LIMIT: Record<'authors' | 'recipients' | 'tags' | 'cases', number> = { authors: 300, recipients: 300, tags: 100, cases: 200 };

/** Every problem of the form, field by field, with the same rules the backend's schema has. */
export function validate(form: MetadataForm): FieldErrors {
  const errors: FieldErrors = {};
  if (form.title.trim() === '') errors.title = 'titleRequired';
  else if (form.title.trim().length > LIMITS.title) errors.title = 'tooLong';
  const language = languageError(form.language);
  if (language) errors.language = language;
  const date = dateError(form.date);
  if (date) errors.date = date;
  for (const field of ['authors', 'recipients', 'tags', 'cases'] as const) {
    if (form[field].some((name) => name.trim().length > NAME_LIMIT[field])) errors[field] = 'tooLong';
  }
  if (form.source.length > LIMITS.source) errors.source = 'tooLong';
  if (form.notes.length > LIMITS.notes) errors.notes = 'tooLong';
  return errors;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The fields that differ from the document, as documents.update takes them (only those: the backend remembers which a person set). */
export function patchOf(doc: DocumentWithText, form: MetadataForm): DocumentMetadataPatch {
  const patch: DocumentMetadataPatch = {};
  const date = form.date.trim() === '' ? null : form.date.trim();
  if (form.kind !== doc.kind) patch.kind = form.kind;
  if (form.title.trim() !== doc.title) patch.title = form.title.trim();
  if (form.language.trim() !== doc.language) patch.language = form.language.trim();
  if (date !== doc.date) patch.date = date;
  const approximate = date !== null && form.dateApproximate;
  if (approximate !== doc.dateApproximate) patch.dateApproximate = approximate;
  for (const field of ['authors', 'recipients', 'tags', 'cases'] as const) {
    const list = form[field].map((s) => s.trim()).filter((s) => s.length > 0);
    if (!sameList(list, doc[field])) patch[field] = list;
  }
  if (form.sensitivity !== doc.sensitivity) patch.sensitivity = form.sensitivity;
  if (form.source !== doc.source) patch.source = form.source;
  if (form.notes !== doc.notes) patch.notes = form.notes;
  return patch;
}

export const isDirty = (doc: DocumentWithText, form: MetadataForm): boolean => Object.keys(patchOf(doc, form)).length > 0;

/** Languages offered first in the picker (any other BCP-47 tag can be typed). */
export const commonLanguages = [
  'ru', 'uk', 'en', 'be', 'crh', 'tt', 'ba', 'ce', 'kk', 'ky', 'uz', 'tg', 'tk', 'az', 'hy', 'ka',
  'de', 'fr', 'es', 'it', 'pl', 'cs', 'lt', 'lv', 'et', 'fi', 'ro', 'he', 'ar', 'tr', 'zh', 'ja', 'pt-BR', 'und',
] as const;
