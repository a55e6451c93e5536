/**
 * The order of names (people, cases, collections, tags) wherever they are listed by name: by the
 * collation of the locale the code runs in (the system's, or the browser's for the bundle viewer),
 * so Cyrillic sorts as a Russian or Ukrainian reader expects, with numbers by their value
 * ("Автор 2" before "Автор 10"). Names equal but for case or accents ("Соловьёв", "Соловьев")
 * keep one order all the same: the full comparison breaks the tie.
 */
const byBase = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byVariant = new Intl.Collator(undefined, { numeric: true, sensitivity: 'variant' });

export const compareNames = (a: string, b: string): number => byBase.compare(a, b) || byVariant.compare(a, b);
