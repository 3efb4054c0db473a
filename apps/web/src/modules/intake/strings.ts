import i18n from 'i18next';
import { en } from './strings.en';
import { ja } from './strings.ja';

// The intake module's strings, under the `intake` key (registered here so that the shared ja.json/en.json, which
// other engineers edit at the same time, need no change; they can be moved there verbatim). Japanese first in
// strings.ja.ts, English in strings.en.ts.
i18n.addResourceBundle('ja', 'translation', { intake: ja }, true, false);
i18n.addResourceBundle('en', 'translation', { intake: en }, true, false);
