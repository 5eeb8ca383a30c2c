/**
 * Cyrillic → Latin in the spirit of GOST R 52535.1-2006 (Russian passports), with the
 * spellings people actually type for й, ю, я (y, yu, ya): "Иван Петров" → "Ivan Petrov",
 * "Юлия Щукина" → "Yuliya Shchukina". Ukrainian and Belarusian letters are covered; anything
 * that is not Cyrillic passes through unchanged.
 */
const TABLE: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ў: 'u',
};

export function transliterate(text: string): string {
  let out = '';
  const chars = [...text.normalize('NFC')];
  chars.forEach((ch, i) => {
    const lower = ch.toLowerCase();
    const latin = TABLE[lower];
    if (latin === undefined) {
      out += ch;
      return;
    }
    if (ch === lower || latin === '') {
      out += latin;
      return;
    }
    // Upper case: all caps when the next letter is upper case too ("ЩУКИН" → "SHCHUKIN").
    const next = chars[i + 1];
    const allCaps = next !== undefined && next !== next.toLowerCase();
    out += allCaps ? latin.toUpperCase() : latin[0].toUpperCase() + latin.slice(1);
  });
  return out;
}

/**
 * A spelling-tolerant key for one name word: transliterated, lower-case, letters only, with
 * common romanisation variants folded (x→ks, kh→h, j→y, w→v, ph→f, a leading ye→e, and the
 * endings -iy/-ij/-ii/-yy/-yi → -y and -ai/-ei/-oi/-ui → -ay/-ey/...), so Aleksandr/Alexandr,
 * Dmitriy/Dmitrii/Dmitry and Sergei/Sergey agree.
 */
export function nameWordKey(word: string): string {
  return transliterate(word)
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z]/g, '')
    .replace(/x/g, 'ks')
    .replace(/kh/g, 'h')
    .replace(/j/g, 'y')
    .replace(/w/g, 'v')
    .replace(/ph/g, 'f')
    .replace(/^ye/, 'e')
    .replace(/(iy|ii|yy|yi)$/, 'y')
    .replace(/([aeou])i$/, '$1y');
}

/** Name words as keys, sorted, so "Петров Иван" and "Ivan Petrov" give ["ivan", "petrov"]. */
export function nameKeys(name: string): string[] {
  return name
    .split(/[\s,]+/)
    .map(nameWordKey)
    .filter((w) => w.length > 0)
    .sort();
}
