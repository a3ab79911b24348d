/**
 * Translation hook for user-facing strings produced by the core.
 *
 * Every message is an English string used as its own key, with `{0}`, `{1}` … placeholders, the
 * same convention as `vscode.l10n.t`, so the UI can pass `vscode.l10n.t` straight in.
 */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** The default: English, placeholders substituted. */
export const defaultTranslate: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
