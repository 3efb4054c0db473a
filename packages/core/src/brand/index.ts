// Brand impersonation: which brand a URL or domain pretends to be (issue 8, README.md beside this file).
export { BRANDS, type Brand, type BrandIndex, buildBrandIndex, officialBrandOf } from './brands.ts';
export { parseUrlish, type UrlParts } from './parse.ts';
export { editDistance, skeleton } from './skeleton.ts';
export {
  type BrandVerdict,
  defaultBrandIndex,
  type Signal,
  type SignalKind,
  SIGNAL_WEIGHT,
  scoreBrand,
  THRESHOLD,
} from './score.ts';
export { BRAND_OBSERVABLE_TYPES, brandOfObservable } from './observable.ts';
