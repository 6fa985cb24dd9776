// Template packages in the app: verification before anything is written, then install, update, roll back and uninstall as single transactions.
export { trustedKeyChecker, verifyPackage, VERIFY_LIMITS } from './verify-package.ts';
export type { PackageRefusal, TrustedKey, VerifiedFile, VerifiedPackage, VerifyLimits, VerifyPackageOptions } from './verify-package.ts';
export { TemplateInstaller, TEMPLATE_STEPS, CREATED_KINDS } from './template-installer.ts';
export type { TemplateInstance, TemplateStep, CreatedItems, CreatedKind, TemplateOperationOptions } from './template-installer.ts';
export { templatesMigration } from './schema.ts';
export { readTemplateContent, InstanceIdSchema, SUPPORTED_CONTENT_KINDS } from './template-content.ts';
export type { TemplateParameters, ParameterValue, TemplateContent } from './template-content.ts';
export { DEVELOPMENT_MARKETPLACE_KEY, PINNED_MARKETPLACE_KEYS } from './pinned-keys.ts';
export type { ContentContext } from './template-content.ts';
