// The one js-yaml function the parse-only baseline uses, so that type checking does not depend on
// @types/js-yaml being installed (a machine whose node_modules predates that devDependency).
declare module 'js-yaml' {
  export function loadAll(text: string): unknown[];
}
