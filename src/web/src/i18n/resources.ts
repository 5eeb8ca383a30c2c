/**
 * The console's translations: one JSON file per area and language (`locales/<lang>/<area>.json`),
 * merged by top-level key. An area owns its top-level keys; two files defining the same one is an
 * error caught by the i18n test.
 */
type Tree = { [key: string]: string | Tree };

const files = import.meta.glob<Tree>('./locales/*/*.json', { eager: true, import: 'default' });

/** Each area file of a language, by file name. */
export function areaFiles(lang: string): Record<string, Tree> {
  const out: Record<string, Tree> = {};
  for (const [path, tree] of Object.entries(files)) {
    const m = /^\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (m && m[1] === lang) out[m[2]] = tree;
  }
  return out;
}

function merged(lang: string): Tree {
  return Object.assign({}, ...Object.values(areaFiles(lang)));
}

export const en = merged('en');
export const ru = merged('ru');
