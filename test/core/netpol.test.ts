/** CIDR parsing and NetworkPolicy analysis (src/parse/netpol.ts). */
import fc from 'fast-check';
import { analyzePolicy, canonical, containsAddress, hasHostBits, parseCidr } from '../../src/parse/netpol.js';
import type { Cidr } from '../../src/parse/netpol.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { k8sObjects } from '../../src/parse/kubernetes.js';

const cidr = (t: string): Cidr => {
  const c = parseCidr(t);
  if (typeof c === 'string') throw new Error(`${t}: ${c}`);
  return c;
};

describe('parseCidr', () => {
  it('accepts IPv4 and IPv6 CIDRs and spells their networks canonically', () => {
    expect(canonical(cidr('10.10.0.0/0'))).toBe('0.0.0.0/0');
    expect(hasHostBits(cidr('10.10.0.0/0'))).toBe(true);
    expect(hasHostBits(cidr('10.10.0.0/16'))).toBe(false);
    expect(canonical(cidr('2001:db8::1/32'))).toBe('2001:db8::/32');
    expect(canonical(cidr('::/0'))).toBe('::/0');
    expect(cidr('::ffff:10.0.0.1/128').base).toBe((0xffffn << 32n) | 0x0a000001n);
  });

  it('rejects what the API server rejects', () => {
    for (const bad of [
      '10.0.0.0',
      '10.0.0.0/33',
      '10.0.0.0/',
      '10.0.0.0/1a',
      '010.0.0.0/8',
      '1.2.3/24',
      'fe80::1%eth0/64',
      '::/129',
      'x/8',
    ]) {
      expect([bad, typeof parseCidr(bad)]).toEqual([bad, 'string']);
    }
  });

  it('tests containment per family', () => {
    expect(containsAddress(cidr('169.254.0.0/16'), cidr('169.254.169.254/32').base)).toBe(true);
    expect(containsAddress(cidr('10.0.0.0/8'), cidr('169.254.169.254/32').base)).toBe(false);
    expect(containsAddress(cidr('2001:db8::/32'), cidr('2001:db8:ffff::1/128').base)).toBe(true);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => void parseCidr(s)),
      { numRuns: 300 },
    );
  });
});

describe('analyzePolicy', () => {
  const policy = (spec: string) => {
    const obj = k8sObjects(
      parseYaml(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: ${spec}\n`).docs,
    )[0]!;
    return analyzePolicy(obj);
  };

  it('sees an all-pods egress policy that keeps IMDS out, and one that lets it in', () => {
    const blocks = policy(
      '{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]}]}',
    );
    expect([blocks.selectsAll, blocks.egress, blocks.allowsImdsAt, blocks.problems]).toEqual([true, true, undefined, []]);
    expect(policy('{podSelector: {}, egress: [{}]}').allowsImdsAt).toBeDefined();
    expect(policy('{podSelector: {}, egress: [{ports: [{port: 70, endPort: 90}]}]}').allowsImdsAt).toBeDefined();
    expect(policy('{podSelector: {}, egress: [{ports: [{port: http}]}]}').allowsImdsAt).toBeUndefined();
    expect(policy('{podSelector: {}, egress: [{ports: [{port: 80, protocol: UDP}]}]}').allowsImdsAt).toBeUndefined();
  });

  it('never throws on arbitrary specs', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('0.0.0.0/0', '169.254.169.254/32', 'In', 'Egress'),
    );
    const keys = fc.constantFrom(
      'podSelector',
      'matchLabels',
      'matchExpressions',
      'key',
      'operator',
      'values',
      'policyTypes',
      'egress',
      'ingress',
      'to',
      'from',
      'ipBlock',
      'cidr',
      'except',
      'ports',
      'port',
      'endPort',
      'protocol',
      'namespaceSelector',
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(keys, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (spec) => void policy(JSON.stringify(spec))),
      { numRuns: 300 },
    );
  });
});
