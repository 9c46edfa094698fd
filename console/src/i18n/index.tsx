import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { ja, type MessageKey } from './ja';

export type Language = 'ja' | 'en';
export type { MessageKey };

const MESSAGES: Record<Language, Record<MessageKey, string>> = { ja, en };
const STORAGE_KEY = 'console.language';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  /** Locale for numbers and dates. */
  locale: string;
}

const I18nContext = createContext<I18n | null>(null);

/** `{name}` placeholders filled from `values`. */
export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'ja' || saved === 'en') return saved;
  } catch {
    // Storage refused (private mode): Japanese.
  }
  return 'ja';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = MESSAGES[language]['app.title'];
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not kept across visits; fine.
    }
  }, []);
  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      locale: language === 'ja' ? 'ja-JP' : 'en-GB',
      t: (key, values) => format(MESSAGES[language][key] ?? key, values),
    }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
