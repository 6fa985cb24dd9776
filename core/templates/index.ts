// Template packages in the app: for now, verification before anything is written (issue 7 item 2).
export { trustedKeyChecker, verifyPackage, VERIFY_LIMITS } from './verify-package.ts';
export type { PackageRefusal, TrustedKey, VerifiedFile, VerifiedPackage, VerifyLimits, VerifyPackageOptions } from './verify-package.ts';
