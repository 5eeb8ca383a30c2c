import { useTranslation } from 'react-i18next';

/** Dates and numbers in the console's language (Intl does the localisation). */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'ru' ? 'ru-RU' : 'en-GB';
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const valid = (iso: string | null | undefined) => !!iso && !Number.isNaN(Date.parse(iso));
  return {
    locale,
    dateTime: (iso: string | null | undefined) => (valid(iso) ? dateTime.format(new Date(iso!)) : '—'),
    date: (iso: string | null | undefined) => (valid(iso) ? date.format(new Date(iso!)) : '—'),
    /** A report's local date `YYYY-MM-DD` as "3 Mar". */
    day: (ymd: string) => (valid(ymd) ? day.format(new Date(`${ymd}T00:00:00Z`)) : ymd),
    number: (n: number) => number.format(n),
    percent: (n: number | null) => (n === null ? '—' : percent.format(n)),
  };
}
