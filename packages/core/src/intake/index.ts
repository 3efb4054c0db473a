// Intake: category suggestion that learns, urgent-triage rules, similar-text clusters. Pure code, no I/O.
// See docs/adr/0008-intake-classifier-and-clusters.md.
export * from './labels.ts';
export { foldText, foldForMatching, toHiragana, URL_MARK, EMAIL_MARK, PHONE_MARK } from './fold.ts';
export {
  type ClassifierModel,
  type ClassifierOptions,
  type Suggestion,
  createClassifier,
  textFeatures,
  train,
  trainAll,
  logPosteriors,
  suggest,
  serializeClassifier,
  deserializeClassifier,
} from './classifier.ts';
export { type UrgencyAssessment, type UrgencyReason, assessUrgency, compileUrgencyRules } from './urgency.ts';
export { type UrgencyRule, type UrgencyRuleSet, DEFAULT_URGENCY_RULES } from './urgencyRules.ts';
export {
  type MinHashOptions,
  type MinHasher,
  MINHASH_DEFAULTS,
  createMinHasher,
  estimatedJaccard,
  shingleHashes,
  shingleSource,
} from './minhash.ts';
export {
  type ClusterOptions,
  type PairwiseScores,
  CLUSTER_DEFAULTS,
  TextClusterer,
  pairwiseScores,
} from './clusters.ts';
