// Some dependencies keep process-wide state in globals of their own: zod its shared registries
// (`__zod_globalConfig`, `__zod_globalRegistry`), the AWS SDK the Lambda invoke store (`awslambda`,
// which the Lambda runtime defines itself). Each name is reserved here, before the dependency loads,
// as a writable, non-enumerable property holding undefined; the dependency's own assignment then
// keeps it non-enumerable. The values and their use are the dependency's, unchanged; the globals just
// stay out of Object.keys(globalThis), and so out of an app's leak checks (mocha --check-leaks).
// A name already defined (the Lambda runtime's `awslambda`, a zod loaded earlier) is left as it is.

export const ZOD_GLOBALS = ['__zod_globalConfig', '__zod_globalRegistry'] as const;
export const AWS_SDK_GLOBALS = ['awslambda'] as const;

export function reserveGlobals(names: readonly string[]): void {
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(globalThis, name)) continue;
    Object.defineProperty(globalThis, name, { value: undefined, writable: true, enumerable: false, configurable: true });
  }
}
