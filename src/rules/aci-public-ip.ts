import type { Rule } from '../rule.js';
import { asInt, asItems, asText, get, getPair } from '../parse/yaml.js';
import { aciGroups } from '../parse/aci.js';

/** An ACI container group with a public IP address: name the ports it exposes to the internet. */
export const rule: Rule = {
  meta: {
    id: 'aci-public-ip',
    title: 'Container group exposed on a public IP',
    level: 'note',
    securitySeverity: 3.0,
    precision: 'high',
    description:
      'An Azure Container Instances group sets ipAddress.type: Public (and no subnet), so its ports are reachable from the internet; the note names the exposed ports.',
    why: 'A container group with a public IP answers anyone on the internet on every port it lists; there is no network security group in front of it unless it is deployed into a virtual network. Microsoft\'s ["Security considerations for Azure Container Instances"](https://learn.microsoft.com/azure/container-instances/container-instances-image-security) asks to segment networks and to expose only what must be reachable; a group that serves internal consumers belongs in a subnet (`subnetIds`), behind an Application Gateway or a load balancer when it must be public. A deliberate public endpoint is fine: the note is there so the exposure is a reviewed decision.',
    fix: 'Deploy the group into a virtual network subnet with a private IP, and publish it through a gateway if it must be reachable:\n\n```yaml\nproperties:\n  ipAddress:\n    type: Private\n    ports:\n      - port: 8080\n        protocol: TCP\n  subnetIds:\n    - id: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/aci\n```',
    tags: ['security', 'aci', 'network'],
    kinds: ['aci'],
    messages: {
      publicIp:
        'Container group "{group}" has a public IP address and exposes {ports} to the internet; deploy it into a subnet unless the exposure is intended.',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'aci') return;
    for (const g of aciGroups(file.docs)) {
      const ip = get(g.props, 'ipAddress');
      const typePair = getPair(ip, 'type');
      if (asText(typePair?.value)?.toLowerCase() !== 'public') continue;
      // A group in a subnet is segmented by the virtual network: silent.
      if (asItems(get(g.props, 'subnetIds')).length > 0) continue;
      const ports = asItems(get(ip, 'ports'))
        .map((p) => {
          const port = asInt(get(p, 'port'));
          const protocol = asText(get(p, 'protocol'))?.toUpperCase();
          return port === undefined ? undefined : `${port}/${protocol === 'UDP' ? 'UDP' : 'TCP'}`;
        })
        .filter((p): p is string => p !== undefined);
      ctx.report({
        messageId: 'publicIp',
        data: { group: g.name, ports: ports.length ? `port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}` : 'its ports' },
        at: typePair!,
        identity: `container group "${g.name}"`,
      });
    }
  },
};
