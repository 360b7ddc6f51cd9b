import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { i18n, storeLocale, storedLocale } from '../lib/i18n.js';
import type { Locale } from '../lib/i18n.js';
import { readStored, writeStored } from '../lib/storage.js';
import { useAuth } from './auth-context.js';
import { buildTheme } from './theme.js';

const ELDERLY_KEY = 'qiao.elderlyMode';

interface PreferencesValue {
  locale: Locale;
  elderlyMode: boolean;
  setLocale(locale: Locale): Promise<void>;
  setElderlyMode(on: boolean): Promise<void>;
}

const PreferencesContext = createContext<PreferencesValue | null>(null);

/**
 * Language and elderly mode. Logged in, they belong to the user (PATCH /auth/me); logged out,
 * to this device (localStorage). A choice made on the login page is carried into the account
 * once the person logs in, so it is not undone by the account's older setting.
 */
export function PreferencesProvider({ children }: { children: ReactNode }) {
  const { user, updatePreferences } = useAuth();
  const [deviceLocale, setDeviceLocale] = useState<Locale>(storedLocale);
  const [deviceElderly, setDeviceElderly] = useState(() => readStored(ELDERLY_KEY) === 'true');
  const chosenLoggedOut = useRef<{ locale?: Locale; elderlyMode?: boolean }>({});

  const locale = user?.locale ?? deviceLocale;
  const elderlyMode = user?.elderlyMode ?? deviceElderly;

  // On sign-out the device keeps the last user's choices rather than jumping back to older ones.
  const [previousUser, setPreviousUser] = useState(user);
  if (user !== previousUser) {
    setPreviousUser(user);
    if (!user && previousUser) {
      setDeviceLocale(previousUser.locale);
      setDeviceElderly(previousUser.elderlyMode);
    }
  }

  useEffect(() => {
    void i18n.changeLanguage(locale);
    dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
    document.documentElement.lang = locale;
    storeLocale(locale);
  }, [locale]);

  useEffect(() => {
    writeStored(ELDERLY_KEY, String(elderlyMode));
  }, [elderlyMode]);

  // Read through a ref: only a change of user (a login) should carry the pending choice over.
  const userRef = useRef(user);
  useEffect(() => {
    userRef.current = user;
  });
  const userId = user?.id;
  useEffect(() => {
    const current = userRef.current;
    if (userId === undefined || !current) return;
    const pending = chosenLoggedOut.current;
    chosenLoggedOut.current = {};
    const patch: { locale?: Locale; elderlyMode?: boolean } = {};
    if (pending.locale !== undefined && pending.locale !== current.locale) patch.locale = pending.locale;
    if (pending.elderlyMode !== undefined && pending.elderlyMode !== current.elderlyMode)
      patch.elderlyMode = pending.elderlyMode;
    if (Object.keys(patch).length > 0) void updatePreferences(patch).catch(() => undefined);
  }, [userId, updatePreferences]);

  const setLocale = useCallback(
    async (next: Locale) => {
      if (user) return updatePreferences({ locale: next });
      chosenLoggedOut.current.locale = next;
      setDeviceLocale(next);
    },
    [user, updatePreferences],
  );

  const setElderlyMode = useCallback(
    async (on: boolean) => {
      if (user) return updatePreferences({ elderlyMode: on });
      chosenLoggedOut.current.elderlyMode = on;
      setDeviceElderly(on);
    },
    [user, updatePreferences],
  );

  const value = useMemo(
    () => ({ locale, elderlyMode, setLocale, setElderlyMode }),
    [locale, elderlyMode, setLocale, setElderlyMode],
  );
  const theme = useMemo(() => buildTheme(elderlyMode), [elderlyMode]);

  return (
    <PreferencesContext.Provider value={value}>
      <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={theme}>
        <AntApp className={elderlyMode ? 'qiao-elderly' : undefined}>{children}</AntApp>
      </ConfigProvider>
    </PreferencesContext.Provider>
  );
}

export function usePreferences(): PreferencesValue {
  const value = useContext(PreferencesContext);
  if (!value) throw new Error('usePreferences outside PreferencesProvider');
  return value;
}
