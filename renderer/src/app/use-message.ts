// The hook components use to show a message that arrives as a key and parameters (a device's last
// error, a form field's problem) in the current language.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { translateMessage, type Message, type Translate } from '../format/translate-message.ts';

/** Returns a function that renders a {key, params} message in the UI language (re-created on language change). */
export function useMessage(): (message: Message) => string {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  // i18next's typed t demands params for keys with placeholders; at run time it is a Translate.
  return useCallback((message: Message) => translateMessage(t as unknown as Translate, message), [t, language]);
}
