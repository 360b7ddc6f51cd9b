import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { messages } from '../locales/messages.js';
import { readStored, writeStored } from './storage.js';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

const STORAGE_KEY = 'qiao.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The language last chosen on this device; zh-CN for a first visit. */
export function storedLocale(): Locale {
  const value = readStored(STORAGE_KEY);
  return isLocale(value) ? value : 'zh-CN';
}

export function storeLocale(locale: Locale): void {
  writeStored(STORAGE_KEY, locale);
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: messages['zh-CN'] }, en: { translation: messages.en } },
  lng: storedLocale(),
  fallbackLng: 'zh-CN',
  supportedLngs: [...locales],
  interpolation: { escapeValue: false },
});

export { i18n };
