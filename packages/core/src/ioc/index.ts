// IoC extraction: pure functions over text and .eml bytes. See docs/adr/0004-ioc-extraction.md.
export * from './types.ts';
export { extractIocs, toExtractJson, prepareText, type ExtractOptions } from './extract.ts';
export { normalizeText } from './normalize.ts';
export { refang, defang } from './refang.ts';
export { checkDomain, checkIpv4 } from './host.ts';
export { parseIpv6 } from './scanIpv6.ts';
export { yuchoToZengin, type BankAccountParts } from './bankAccountJp.ts';
export { extractEml, emlToExtractJson, type EmlExtraction } from './eml.ts';
