import { parseYaml } from '../../src/parse/yaml.js';
import { sourceFile } from '../../src/parse/source.js';
import { aciContainers, aciRegistryCredentials, composeServices } from '../../src/parse/services.js';
import type { YamlFile } from '../../src/parse/index.js';

function yamlFile(kind: 'compose' | 'aci', text: string): YamlFile {
  const parsed = parseYaml(text);
  return { kind, source: sourceFile('/x', 'x.yaml', text), docs: parsed.docs, problems: parsed.problems, objects: [], workloads: [] };
}

describe('compose and ACI extraction', () => {
  it('reads compose services with map and list environments, value offsets exact', () => {
    const text =
      'services:\n  web:\n    image: nginx:1.27\n    environment:\n      - DB_PASSWORD=hunter2\n      - EMPTY\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: "s3cret"\n';
    const [web, db] = composeServices(yamlFile('compose', text));
    expect(web!.name).toBe('web');
    expect(web!.environment.map((e) => [e.name, e.value])).toEqual([
      ['DB_PASSWORD', 'hunter2'],
      ['EMPTY', undefined],
    ]);
    const pw = web!.environment[0]!;
    expect(text.slice(pw.valueStart, pw.valueEnd)).toBe('hunter2');
    const pg = db!.environment[0]!;
    expect(text.slice(pg.valueStart, pg.valueEnd)).toBe('s3cret');
  });

  it('reads ACI containers, init containers, env values and registry credentials', () => {
    const text = `apiVersion: 2021-10-01
name: shop
type: Microsoft.ContainerInstance/containerGroups
properties:
  initContainers:
    - name: init
      properties:
        image: busybox:1.36
  containers:
    - name: web
      properties:
        image: mcr.microsoft.com/azuredocs/aci-helloworld:latest
        environmentVariables:
          - name: MODE
            value: prod
          - name: API_KEY
            secureValue: abc123
  imageRegistryCredentials:
    - server: myregistry.azurecr.io
      username: shop
      password: p@ss
`;
    const file = yamlFile('aci', text);
    const cs = aciContainers(file);
    expect(cs.map((c) => c.label)).toEqual(['container group "shop" init container "init"', 'container group "shop" container "web"']);
    expect(cs[1]!.environment.map((e) => [e.name, e.value ? 'value' : 'secure'])).toEqual([
      ['MODE', 'value'],
      ['API_KEY', 'secure'],
    ]);
    const creds = aciRegistryCredentials(file);
    expect(creds[0]!.server).toBe('myregistry.azurecr.io');
    expect(creds[0]!.password?.value.kind).toBe('scalar');
  });
});
