// netpolLens.schemaValidation: 'auto' leaves Kubernetes schema checks to Red Hat's YAML extension
// when that extension is installed and validates Kubernetes files, so nobody sees each error twice.

export type SchemaValidation = 'auto' | 'on' | 'off';

export interface YamlExtensionFacts {
  /** redhat.vscode-yaml is installed (and not disabled). */
  installed: boolean;
  /** Its `yaml.schemas` setting. */
  schemas: unknown;
  /** Its `yaml.validate` setting (default true). */
  validate: unknown;
}

/** True when the Red Hat extension applies its built-in Kubernetes schema to some files. */
export function yamlExtensionValidatesKubernetes(facts: YamlExtensionFacts): boolean {
  if (!facts.installed || facts.validate === false) return false;
  const schemas = facts.schemas;
  return (
    !!schemas &&
    typeof schemas === 'object' &&
    Object.keys(schemas).some((k) => k.toLowerCase() === 'kubernetes')
  );
}

/** The value the server gets: 'auto' becomes 'on' or 'off'. */
export function resolveSchemaValidation(setting: unknown, facts: YamlExtensionFacts): 'on' | 'off' {
  if (setting === 'on' || setting === 'off') return setting;
  return yamlExtensionValidatesKubernetes(facts) ? 'off' : 'on';
}
