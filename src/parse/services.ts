/**
 * Containers outside Kubernetes: docker-compose services and Azure Container Instances
 * containers, with their image and environment entries (positioned), for image and secret rules.
 */
import { asItems, asMap, asText, get, getPair } from './yaml.js';
import type { YMap, YNode, YPair, YScalar } from './yaml.js';
import type { YamlFile } from './index.js';
import { aciGroups } from './aci.js';

/** One environment entry; `value` is undefined when the entry names a variable without a value. */
export interface EnvEntry {
  name: string;
  /** Where the name stands (for a `KEY=value` list item: the whole item). */
  nameAt: YNode | YPair;
  /** The value node for map forms; for `KEY=value` list items, the item scalar. */
  valueNode: YNode | undefined;
  /** The literal value text, when there is one. */
  value: string | undefined;
  /** Offsets of the value inside the file (exact for plain and quoted scalars). */
  valueStart: number;
  valueEnd: number;
}

/** A docker-compose service. */
export interface ComposeService {
  name: string;
  node: YMap;
  /** The service's key/value pair (where service-level findings point). */
  pair: YPair;
  image: YNode | undefined;
  environment: EnvEntry[];
  /** `Service "web"` for messages. */
  label: string;
}

/** Source offset of character `index` of a `- KEY=value` item (plain and simple quoted scalars map 1:1). */
function scalarValueOffset(s: YScalar, index: number): number {
  return s.start + index;
}

function envFromMap(map: YMap): EnvEntry[] {
  return map.pairs.map((p) => {
    const v = p.value;
    const value = v.kind === 'scalar' && v.value !== null ? v.text : undefined;
    return { name: p.keyText, nameAt: p, valueNode: v, value, valueStart: v.start, valueEnd: v.end };
  });
}

function envFromList(items: readonly YNode[]): EnvEntry[] {
  const out: EnvEntry[] = [];
  for (const item of items) {
    if (item.kind !== 'scalar') continue;
    const eq = item.text.indexOf('=');
    if (eq < 0) {
      out.push({ name: item.text.trim(), nameAt: item, valueNode: undefined, value: undefined, valueStart: item.end, valueEnd: item.end });
      continue;
    }
    const start = scalarValueOffset(item, eq + 1);
    out.push({
      name: item.text.slice(0, eq).trim(),
      nameAt: item,
      valueNode: item,
      value: item.text.slice(eq + 1),
      valueStart: start,
      valueEnd: item.plain ? item.end : start + (item.text.length - eq - 1),
    });
  }
  return out;
}

/** Environment entries of a compose `environment:` (map or `KEY=value` list form). */
export function composeEnvironment(node: YNode | undefined): EnvEntry[] {
  if (!node) return [];
  if (node.kind === 'map') return envFromMap(node);
  return envFromList(asItems(node));
}

/** Every service of a compose file (all documents). */
export function composeServices(file: YamlFile): ComposeService[] {
  const out: ComposeService[] = [];
  for (const doc of file.docs) {
    const services = asMap(get(doc.root ?? undefined, 'services'));
    if (!services) continue;
    for (const pair of services.pairs) {
      const node = asMap(pair.value);
      if (!node) continue;
      out.push({
        name: pair.keyText,
        node,
        pair,
        image: get(node, 'image'),
        environment: composeEnvironment(get(node, 'environment')),
        label: `service "${pair.keyText}"`,
      });
    }
  }
  return out;
}

/** An ACI environment variable (`value` or `secureValue`). */
export interface AciEnv {
  name: string;
  node: YMap;
  namePair: YPair | undefined;
  value: YPair | undefined;
  secureValue: YPair | undefined;
}

/** An Azure Container Instances container (or init container). */
export interface AciContainer {
  group: string;
  name: string;
  node: YMap;
  /** The container's `name:` pair (or the container node). */
  anchor: YPair | YMap;
  image: YNode | undefined;
  environment: AciEnv[];
  init: boolean;
  /** `container group "g" container "web"` for messages. */
  label: string;
}

/** A container group's image registry credential entry. */
export interface AciRegistryCredential {
  group: string;
  node: YMap;
  server: string | undefined;
  password: YPair | undefined;
}

function groupsOf(file: YamlFile): { name: string; root: YMap; props: YMap | undefined }[] {
  return aciGroups(file.docs);
}

/** Every container and init container of the ACI container groups in a file. */
export function aciContainers(file: YamlFile): AciContainer[] {
  const out: AciContainer[] = [];
  for (const g of groupsOf(file)) {
    for (const [key, init] of [
      ['initContainers', true],
      ['containers', false],
    ] as const) {
      asItems(get(g.props, key)).forEach((item, i) => {
        if (item.kind !== 'map') return;
        const namePair = getPair(item, 'name');
        const name = asText(namePair?.value) ?? `#${i + 1}`;
        const props = asMap(get(item, 'properties'));
        const environment: AciEnv[] = [];
        for (const e of asItems(get(props, 'environmentVariables'))) {
          if (e.kind !== 'map') continue;
          const np = getPair(e, 'name');
          environment.push({
            name: asText(np?.value) ?? '',
            node: e,
            namePair: np,
            value: getPair(e, 'value'),
            secureValue: getPair(e, 'secureValue'),
          });
        }
        out.push({
          group: g.name,
          name,
          node: item,
          anchor: namePair ?? item,
          image: get(props, 'image'),
          environment,
          init,
          label: `container group "${g.name}" ${init ? 'init container' : 'container'} "${name}"`,
        });
      });
    }
  }
  return out;
}

/** The imageRegistryCredentials entries of the ACI container groups in a file. */
export function aciRegistryCredentials(file: YamlFile): AciRegistryCredential[] {
  const out: AciRegistryCredential[] = [];
  for (const g of groupsOf(file)) {
    for (const item of asItems(get(g.props, 'imageRegistryCredentials'))) {
      if (item.kind !== 'map') continue;
      out.push({ group: g.name, node: item, server: asText(get(item, 'server')), password: getPair(item, 'password') });
    }
  }
  return out;
}
