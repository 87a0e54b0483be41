/** Kubernetes objects out of YAML documents (including `kind: List` items). */
import { asItems, asMap, asText, get } from './yaml.js';
import type { YDoc, YMap } from './yaml.js';

/** One Kubernetes object, with the node it sits on. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  name: string | undefined;
  /** The namespace as written (undefined when the object does not name one). */
  namespace: string | undefined;
  node: YMap;
  /** Index of the document in its file. */
  docIndex: number;
  /** `Kind/name` (or `Kind` when unnamed), used in messages. */
  label: string;
}

/** True when a mapping looks like a Kubernetes object (has apiVersion and kind). */
export function isK8sObjectNode(node: YMap): boolean {
  return asText(get(node, 'apiVersion')) !== undefined && asText(get(node, 'kind')) !== undefined;
}

function toObject(node: YMap, docIndex: number): K8sObject {
  const kind = asText(get(node, 'kind')) ?? '';
  const meta = asMap(get(node, 'metadata'));
  const name = asText(get(meta, 'name')) ?? asText(get(meta, 'generateName'));
  return {
    apiVersion: asText(get(node, 'apiVersion')) ?? '',
    kind,
    name,
    namespace: asText(get(meta, 'namespace')),
    node,
    docIndex,
    label: name ? `${kind}/${name}` : kind,
  };
}

/** Every Kubernetes object in the documents; `List` kinds and OpenShift Templates are flattened into their items. */
export function k8sObjects(docs: readonly YDoc[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const doc of docs) {
    const root = asMap(doc.root ?? undefined);
    if (!root || !isK8sObjectNode(root)) continue;
    flatten(root, doc.index, out, 0);
  }
  return out;
}

/** Lists nested deeper than this are taken as they are (the YAML depth limit bounds them anyway). */
const MAX_LIST_DEPTH = 8;

/** Pushes an object, or the items of a `List` (of lists, too: `kubectl` accepts a List inside a List). */
function flatten(node: YMap, docIndex: number, out: K8sObject[], depth: number): void {
  const kind = asText(get(node, 'kind')) ?? '';
  if ((kind === 'List' || kind.endsWith('List')) && depth < MAX_LIST_DEPTH) {
    const items = get(node, 'items');
    if (items?.kind === 'seq') {
      for (const item of asItems(items)) if (item.kind === 'map' && isK8sObjectNode(item)) flatten(item, docIndex, out, depth + 1);
      return;
    }
  }
  // An OpenShift Template holds the objects it creates in `objects[]`: check those.
  const objects = kind === 'Template' ? get(node, 'objects') : undefined;
  if (objects?.kind === 'seq' && depth < MAX_LIST_DEPTH) {
    for (const item of asItems(objects)) if (item.kind === 'map' && isK8sObjectNode(item)) flatten(item, docIndex, out, depth + 1);
    return;
  }
  out.push(toObject(node, docIndex));
}
