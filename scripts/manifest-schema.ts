import { MANIFEST_SPEC, type FieldSpec } from '../server/src/manifest/fields';

type Json = { [k: string]: unknown };

function convert(spec: FieldSpec): Json {
  switch (spec.type) {
    case 'object': {
      const props: Json = {};
      for (const [k, v] of Object.entries(spec.properties)) props[k] = convert(v);
      return {
        type: 'object',
        description: spec.description,
        properties: props,
        ...(spec.required ? { required: spec.required } : {}),
        additionalProperties: spec.additional ? convert(spec.additional) : false,
      };
    }
    case 'array':
      return { type: 'array', description: spec.description, items: convert(spec.items), ...(spec.minItems ? { minItems: spec.minItems } : {}) };
    case 'integer':
      return { type: 'integer', description: spec.description, ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}), ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}) };
    case 'boolean':
      return { type: 'boolean', description: spec.description };
    case 'string':
      return { type: 'string', description: spec.description, ...(spec.enum ? { enum: spec.enum } : {}), ...(spec.pattern ? { pattern: spec.pattern } : {}) };
  }
}

export function manifestJsonSchema(): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/haconf/haconf/schemas/haconf.schema.json',
    title: 'haconf cluster manifest',
    ...convert(MANIFEST_SPEC),
  };
}
