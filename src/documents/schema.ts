/**
 * The published JSON Schema (draft-07) of a scenario file, generated from the parameter
 * registry (every scalar parameter with its type, bounds, default, meaning and unit) plus the
 * structural parts that are not scalars: localities, organisations and leader attributes.
 * Every field of a file is optional because a file extends a base (a built-in scenario or the
 * registry defaults); a locality listed in a file must be complete, since lists replace whole.
 */
import { ORGANISATION_KINDS, ORGANISATION_KIND_NAMES } from '../agents/organisation-kinds.ts';
import { MEASURE_NAMES } from '../model/observe.ts';
import { PARAMETERS, type ParameterSpec } from '../model/parameters.ts';
import { builtInScenarioNames } from '../scenarios/index.ts';
import { MAX_RULE_CHARS } from '../model/formulas.ts';
import { MAX_DESCRIPTION_CHARS, MAX_LOCALITIES, MAX_NAME_CHARS, MAX_ORGANISATIONS, RESERVED_LOCALITY_NAME } from '../model/scenario.ts';

export interface JsonSchema {
  $schema?: string;
  $comment?: string;
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  examples?: readonly unknown[];
  anyOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
}

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** Descriptions of the sections (objects) the registry's dotted paths run through. */
const SECTIONS: Record<string, string> = {
  regime: 'The regulatory regime: who is assessed, how often, how hard, and whether partnering is forced (Brief §4).',
  'regime.rules': 'Optional sandboxed formulas (mathjs) replacing built-in rules; see each rule for its variables.',
  flexibilities: 'Health Act 1999 s31 flexibilities, each allowed or not, with a cap (Seed 004).',
  'flexibilities.pooledBudgets': 'Pooled budgets (s31). `true`/`false` is shorthand for `{ allowed: … }`.',
  'flexibilities.leadCommissioning': 'Lead commissioning (s31). `true`/`false` is shorthand for `{ allowed: … }`.',
  'flexibilities.integratedProvision': 'Integrated provision (s31). `true`/`false` is shorthand for `{ allowed: … }`.',
  funding: 'Budgets, demand, shocks and transformation funding.',
  'funding.transformationFund': 'Transformation fund paid to localities, optionally only on collective delivery (Thesis §5.4.5).',
  leaders: 'How leaders decide, learn and turn over.',
  'leaders.typeMix': 'Shares of behavioural types among leaders (Fischbacher, Gächter & Fehr 2001); normalised on use.',
  'leaders.sanctions': 'Peer sanctions between partners (Fehr & Gächter 2000).',
  trust: 'Directed trust between leaders: where it starts, how it is built and lost.',
  board: 'The locality board\'s collective decision and its development (Tuckman stages).',
  outcomes: 'How pooled money becomes partnership value, population outcomes and organisational performance.',
};

/** Paths that accept `true`/`false` as shorthand for `{ allowed: … }`. */
export const FLEXIBILITY_PATHS = ['flexibilities.pooledBudgets', 'flexibilities.leadCommissioning', 'flexibilities.integratedProvision'];

const LEADER_ATTRIBUTE_MEANINGS: Record<string, string> = {
  control: 'Share of the organisation\'s budget this leader controls (power/resources element).',
  focus: 'Organisational focus: 0 = population/place first, 1 = own organisation first.',
  altruism: 'Unconditional weight on others\' and the system\'s gains.',
  ambition: 'Tiered ambition: the most of its controllable budget the leader will ever pool.',
  followership: 'Followership / charisma: how far the leader carries understanding beyond the senior team.',
  riskAppetite: 'Risk appetite: willingness to cede decision rights to the partnership.',
};

/** The range the model accepts for each structural locality field (as `validateScenario` checks it). */
export const LOCALITY_RANGES: Record<string, { min: number; max: number; unit: string; meaning: string }> = {
  history: { min: -1, max: 1, unit: 'history', meaning: 'Prior relationships: -1 a history of blame, 0 none, +1 good prior relations (Thesis §7.5.2).' },
  structuralFriction: { min: 0, max: 1, unit: 'share', meaning: 'Effort lost to structure and legal form at the start (Thesis §7.5.2).' },
  baselineOutcome: { min: 0, max: 0.999, unit: 'index', meaning: 'Population outcome index at the start.' },
  budget: { min: 0, max: 1e9, unit: '£m/year', meaning: 'Annual health-and-care budget of the locality, split across organisations by kind unless they give their own.' },
};

function describeParameter(spec: ParameterSpec): string {
  const unit = spec.unit ? ` Unit: ${spec.unit}.` : '';
  return `${spec.meaning}${unit}`;
}

function parameterSchema(spec: ParameterSpec): JsonSchema {
  const out: JsonSchema = { description: describeParameter(spec), $comment: `Source: ${spec.source}` };
  switch (spec.type) {
    case 'number':
    case 'integer':
      out.type = spec.type;
      if (spec.min !== undefined) out.minimum = spec.min;
      if (spec.max !== undefined) out.maximum = spec.max;
      break;
    case 'boolean':
      out.type = 'boolean';
      break;
    case 'enum':
      out.type = 'string';
      out.enum = spec.values;
      break;
    case 'expression':
      out.type = ['string', 'null'];
      out.maxLength = MAX_RULE_CHARS;
      out.description += ' Leave out (or null) for the built-in rule.';
      break;
  }
  if (spec.default !== null) out.default = spec.default;
  return out;
}

const objectSchema = (description: string | undefined, properties: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  properties,
  additionalProperties: false,
});

function leaderAttributesSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, meaning] of Object.entries(LEADER_ATTRIBUTE_MEANINGS)) {
    properties[key] = { type: 'number', minimum: 0, maximum: 1, description: `${meaning} Unit: share, [0, 1].` };
  }
  return objectSchema('Leader attributes; any left out are drawn around the organisation kind\'s defaults.', properties);
}

function organisationSchema(): JsonSchema {
  const kinds = ORGANISATION_KIND_NAMES.map((k) => `${k} (${ORGANISATION_KINDS[k].label})`).join(', ');
  return {
    ...objectSchema('One organisation of the locality, led by one or more leaders.', {
      name: { type: 'string', minLength: 1, maxLength: MAX_NAME_CHARS, description: 'Unique within the locality; defaults to the kind (numbered when a kind repeats).' },
      kind: { type: 'string', enum: ORGANISATION_KIND_NAMES, description: `Organisation kind: ${kinds}.` },
      budget: { type: 'number', minimum: 0, maximum: 1e9, description: 'Annual budget. Unit: £m/year. Defaults to the kind\'s share of the locality budget.' },
      power: { type: 'number', minimum: 0, maximum: 1, description: 'Positional power; defaults to the kind\'s value. Unit: share, [0, 1].' },
      leaders: { type: 'integer', minimum: 1, maximum: 1000, default: 1, description: 'Number of leaders (board members) who share the organisation\'s budget. Unit: leaders.' },
      leader: { $ref: '#/definitions/leaderAttributes' },
    }),
    required: ['kind'],
  };
}

function localitySchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    name: { type: 'string', minLength: 1, maxLength: MAX_NAME_CHARS, description: `Unique name of the locality (place); not "${RESERVED_LOCALITY_NAME}", the name of the whole-system rows.` },
  };
  for (const [key, range] of Object.entries(LOCALITY_RANGES)) {
    properties[key] = { type: 'number', minimum: range.min, maximum: range.max, description: `${range.meaning} Unit: ${range.unit}.` };
  }
  properties.forcedAcrossBoundaries = {
    type: 'boolean', default: false,
    description: 'The partnership was forced across administrative boundaries rather than grown organically (Thesis §7.5.2).',
  };
  properties.organisations = {
    type: 'array', minItems: 1, maxItems: MAX_ORGANISATIONS, items: { $ref: '#/definitions/organisation' },
    description: 'The organisations of the locality.',
  };
  return {
    ...objectSchema('One locality (place) and its partnership.', properties),
    required: ['name', 'history', 'structuralFriction', 'baselineOutcome', 'budget', 'organisations'],
  };
}

/** Finds or creates the object schema at `path` (dotted) below `root`. */
function sectionAt(root: JsonSchema, path: string): JsonSchema {
  let node = root;
  let at = '';
  for (const key of path.split('.')) {
    at = at ? `${at}.${key}` : key;
    node.properties ??= {};
    node.properties[key] ??= objectSchema(SECTIONS[at]);
    node = node.properties[key];
  }
  return node;
}

let cachedSchema: JsonSchema | undefined;

/** The scenario-file schema (a fresh copy each call). */
export function scenarioSchema(): JsonSchema {
  cachedSchema ??= buildScenarioSchema();
  return structuredClone(cachedSchema);
}

function buildScenarioSchema(): JsonSchema {
  const names = builtInScenarioNames();
  const root: JsonSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'partnersim scenario',
    description:
      'A partnersim scenario file (JSON or YAML). Every field is optional: the file extends a built-in scenario ' +
      '(`extends`) or, without it, the registry defaults, and overrides only what differs. Lists (localities, ' +
      'organisations, sources) replace the base\'s list whole.',
    type: 'object',
    properties: {
      $schema: { type: 'string', description: 'Where this JSON Schema is (lets editors validate and autocomplete).' },
      extends: {
        type: 'string', maxLength: 1000,
        description: `Built-in scenario (${names.join(', ')}) or path of another scenario file, relative to this one, that this file extends.`,
        examples: names,
      },
      name: { type: 'string', minLength: 1, maxLength: MAX_NAME_CHARS, description: 'Name of the scenario (labels its results). Defaults to the file name.' },
      description: { type: 'string', maxLength: MAX_DESCRIPTION_CHARS, description: 'What the scenario teaches or tests.' },
      sources: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 1000 }, description: 'Seed-document sections the scenario rests on.' },
      localities: {
        type: 'array', minItems: 1, maxItems: MAX_LOCALITIES, items: { $ref: '#/definitions/locality' },
        description: 'The localities (places) of the system. Required unless the file extends a scenario that has them.',
      },
      lessonMeasures: {
        type: 'array', items: { type: 'string', enum: MEASURE_NAMES },
        description: 'Measures the scenario\'s lesson is about (`partnersim measures` lists them): its report charts them first, ' +
          'in a chart of their own, and its summary table leads with them.',
        examples: [['powerfulOrgPerformance', 'orgPerformance', 'populationOutcome']],
      },
      interventions: {
        type: 'array', maxItems: 1000,
        description: 'Policy changes in the middle of the run: from round `at` on (after `at` rounds), the parameters in `set` take their new values. ' +
          'Listing order does not matter; a parameter may be set once per round; set-up-only parameters (the network, leader draws) cannot change.',
        items: {
          type: 'object',
          properties: {
            at: { type: 'integer', minimum: 1, description: 'Rounds run before the change (36 = from the start of year 4 with monthly rounds).' },
            set: { type: 'object', description: 'Dotted parameter paths and their new values, e.g. { "regime.accountability": 1 }.' },
            label: { type: 'string', maxLength: MAX_NAME_CHARS, description: 'What the change is, for charts and reports.' },
          },
          required: ['at', 'set'],
          additionalProperties: false,
        },
        examples: [[{ at: 36, set: { 'regime.accountability': 1 }, label: 'system regulation from year 4' }]],
      },
    },
    additionalProperties: false,
    definitions: {
      leaderAttributes: leaderAttributesSchema(),
      organisation: organisationSchema(),
      locality: localitySchema(),
    },
  };
  for (const spec of PARAMETERS) {
    const keys = spec.path.split('.');
    const parent = keys.length > 1 ? sectionAt(root, keys.slice(0, -1).join('.')) : root;
    parent.properties![keys[keys.length - 1]] = parameterSchema(spec);
  }
  sectionAt(root, 'leaders').properties!.override = {
    $ref: '#/definitions/leaderAttributes',
    $comment: 'Attributes forced on every leader, e.g. { followership: 0 } removes one leadership element (Thesis §6.1.2.4).',
  };
  for (const path of FLEXIBILITY_PATHS) {
    const [section, key] = path.split('.');
    const full = root.properties![section].properties![key];
    root.properties![section].properties![key] = {
      description: full.description,
      anyOf: [{ type: 'boolean', description: 'Shorthand for { allowed: true|false }.' }, full],
    };
  }
  return root;
}

/** Resolves a local `$ref` (`#/definitions/x`) against `root`. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let node = schema;
  for (let guard = 0; node.$ref && guard < 20; guard++) {
    const match = /^#\/definitions\/(.+)$/.exec(node.$ref);
    const target = match ? root.definitions?.[match[1]] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${node.$ref}`);
    node = target;
  }
  return node;
}

/** Every leaf path of the schema (`regime.accountability`, `localities[].budget`, …), for suggestions. */
export function schemaLeafPaths(root: JsonSchema = scenarioSchema()): string[] {
  const out: string[] = [];
  const walk = (schema: JsonSchema, path: string, depth: number) => {
    const node = resolveRef(schema, root);
    const objectBranch = node.anyOf?.find((b) => b.type === 'object') ?? node;
    if (objectBranch.properties && depth < 8) {
      if (path) out.push(path);
      for (const [key, child] of Object.entries(objectBranch.properties)) {
        if (key === '$schema') continue;
        walk(child, path ? `${path}.${key}` : key, depth + 1);
      }
    } else if (node.items && depth < 8) {
      walk(node.items, `${path}[]`, depth + 1);
    } else if (path) {
      out.push(path);
    }
  };
  walk(root, '', 0);
  return out;
}
