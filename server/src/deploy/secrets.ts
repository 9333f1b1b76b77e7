// Secrets in the deployed files are masked by the one engine-wide function in core/secrets.ts; this
// module keeps the deploy code's names for it.
export { MASK, maskLine, maskSecrets as maskText, findSecrets, Redactor } from '../core/secrets';
