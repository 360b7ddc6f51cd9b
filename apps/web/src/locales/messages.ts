import en from './en.json';
import zhCN from './zh-CN.json';

/** Nested messages as i18next reads them. */
export type MessageTree = { [key: string]: string | MessageTree };

type Locale = 'zh-CN' | 'en';

/**
 * Each feature may keep its own messages beside its code, in `features/<name>/locales/<locale>.json`,
 * so that features built side by side do not edit one shared file. They are merged into the shared
 * messages here; a key defined twice is an error (the locale test names it).
 */
const featureFiles = import.meta.glob<MessageTree>('../features/*/locales/*.json', {
  eager: true,
  import: 'default',
});

/** Deep-merges `extra` into `base`, collecting every dotted key both define. */
export function mergeMessages(base: MessageTree, extra: MessageTree, clashes: string[], prefix = ''): MessageTree {
  const out: MessageTree = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (typeof existing === 'object' && typeof value === 'object')
      out[key] = mergeMessages(existing, value, clashes, path);
    else clashes.push(path);
  }
  return out;
}

function build(locale: Locale, shared: MessageTree) {
  const clashes: string[] = [];
  let tree = shared;
  for (const [file, messages] of Object.entries(featureFiles)) {
    if (file.endsWith(`/locales/${locale}.json`)) tree = mergeMessages(tree, messages, clashes);
  }
  return { tree, clashes };
}

const built = { 'zh-CN': build('zh-CN', zhCN as MessageTree), en: build('en', en as MessageTree) };

export const messages: Record<Locale, MessageTree> = { 'zh-CN': built['zh-CN'].tree, en: built.en.tree };

/** Keys that a feature's file defines again (shown by the locale test). */
export const messageClashes: Record<Locale, string[]> = {
  'zh-CN': built['zh-CN'].clashes,
  en: built.en.clashes,
};

/** The feature files found, for the locale test to check that each has both languages. */
export const featureMessageFiles = Object.keys(featureFiles);
