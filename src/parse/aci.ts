/** Azure Container Instances container groups: az YAML documents and ARM template resources. */
import { asItems, asMap, asText, get } from './yaml.js';
import type { YDoc, YMap, YNode } from './yaml.js';

/** An ACI container group (az YAML document or ARM template resource). */
export interface AciGroup {
  name: string;
  root: YMap;
  props: YMap | undefined;
}

const ACI_TYPE = 'microsoft.containerinstance/containergroups';

/** True for a mapping that is an ACI container group (`type:` Microsoft.ContainerInstance/containerGroups). */
export function isAciGroup(node: YNode | undefined): node is YMap {
  return node?.kind === 'map' && asText(get(node, 'type'))?.toLowerCase() === ACI_TYPE;
}

/** True when a document is an ACI group or an ARM template with one among its resources. */
export function isAciDocument(doc: YDoc): boolean {
  const root = doc.root ?? undefined;
  if (isAciGroup(root)) return true;
  return asItems(get(root, 'resources')).some((r) => isAciGroup(r));
}

/** True for an ARM expression (`[parameters(...)]`): decided at deployment, podguard cannot read it. */
export const isExpression = (text: string): boolean => text.startsWith('[') && text.endsWith(']') && !text.startsWith('[[');

/** Every ACI container group in the documents: az YAML roots and ARM template `resources[]`. */
export function aciGroups(docs: readonly YDoc[]): AciGroup[] {
  const out: AciGroup[] = [];
  const add = (root: YMap): void => {
    const name = asText(get(root, 'name'));
    out.push({ name: name && !isExpression(name) ? name : '(unnamed)', root, props: asMap(get(root, 'properties')) });
  };
  for (const doc of docs) {
    const root = doc.root ?? undefined;
    if (isAciGroup(root)) add(root);
    else for (const r of asItems(get(root, 'resources'))) if (isAciGroup(r)) add(r);
  }
  return out;
}
