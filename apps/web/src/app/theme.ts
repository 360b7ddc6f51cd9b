import type { ThemeConfig } from 'antd';

const base: ThemeConfig = {
  token: {
    colorPrimary: '#0958d9',
    borderRadius: 6,
    fontFamily:
      "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
};

/**
 * Elderly-friendly mode: 18px base type, taller controls, near-black text on white and darker
 * borders and primary so every element clears WCAG AA contrast with room to spare.
 */
const elderly: ThemeConfig = {
  token: {
    ...base.token,
    fontSize: 18,
    fontSizeSM: 16,
    fontSizeLG: 20,
    fontSizeHeading1: 34,
    fontSizeHeading2: 28,
    fontSizeHeading3: 24,
    fontSizeHeading4: 21,
    fontSizeHeading5: 19,
    controlHeight: 44,
    controlHeightSM: 36,
    controlHeightLG: 52,
    colorPrimary: '#003eb3',
    colorLink: '#003eb3',
    colorText: '#000000',
    colorTextSecondary: '#1f1f1f',
    colorTextTertiary: '#333333',
    colorTextDescription: '#333333',
    colorTextPlaceholder: '#595959',
    colorBorder: '#595959',
    colorError: '#a8071a',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
    lineWidthFocus: 4,
  },
  components: {
    Menu: { itemHeight: 56, iconSize: 20, fontSize: 19 },
    Table: { cellPaddingBlock: 18 },
    Layout: { headerHeight: 72 },
  },
};

export function buildTheme(elderlyMode: boolean): ThemeConfig {
  return elderlyMode ? elderly : base;
}
