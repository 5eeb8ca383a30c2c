import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, ru } from './resources.ts';

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

const LANG_KEY = 'datapulse.lang';

function initialLanguage(): Language {
  const stored = localStorage.getItem(LANG_KEY);
  if (stored === 'en' || stored === 'ru') return stored;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ru: { translation: ru } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
});
document.documentElement.lang = i18n.language;

i18n.on('languageChanged', (lng) => {
  localStorage.setItem(LANG_KEY, lng);
  document.documentElement.lang = lng;
});

export function currentLanguage(): Language {
  return i18n.language === 'ru' ? 'ru' : 'en';
}

export default i18n;
