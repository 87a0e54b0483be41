/**
 * The Kubernetes CEL libraries podguard implements (URL, IP/CIDR, semver, format, strings.quote
 * and reverse), expression by expression, with the results the apiserver's libraries give.
 */
import { compile, isError, unsupportedIn } from '../../src/policy/cel.js';

function run(src: string): unknown {
  const c = compile(src);
  expect(unsupportedIn(c.expr)).toEqual([]);
  const r = c.run({});
  if (isError(r)) throw new Error(`${src}: ${String(r)}`);
  return r;
}

function fails(src: string): boolean {
  const c = compile(src);
  return isError(c.run({}));
}

describe('URL library', () => {
  it.each([
    ["isURL('https://example.com:8080/a%20b?x=1&x=2')", true],
    ["isURL('/absolute/path')", true],
    ["isURL('relative/path')", false],
    ["isURL('https://exa mple.com')", false],
    ["url('https://user@example.com:8080/p?q=1').getScheme()", 'https'],
    ["url('https://user@example.com:8080/p?q=1').getHost()", 'example.com:8080'],
    ["url('https://example.com:8080/p').getHostname()", 'example.com'],
    ["url('https://example.com:8080/p').getPort()", '8080'],
    ["url('https://example.com/p').getPort()", ''],
    ["url('https://[::1]:80/').getHost()", '[::1]:80'],
    ["url('https://[::1]:80/').getHostname()", '::1'],
    ["url('https://example.com/a%20b').getEscapedPath()", '/a%20b'],
    ["url('/path?x=1').getScheme()", ''],
    ["url('https://example.com/?a=1&a=2&b=x+y').getQuery()['a'] == ['1', '2']", true],
    ["url('https://example.com/?a=1&a=2&b=x+y').getQuery()['b'][0]", 'x y'],
  ])('%s', (src, want) => {
    expect(run(src)).toBe(want);
  });

  it('refuses a string that is not a URL', () => {
    expect(fails("url('not a url')")).toBe(true);
  });
});

describe('IP and CIDR library', () => {
  it.each([
    ["isIP('192.168.0.1')", true],
    ["isIP('01.2.3.4')", false],
    ["isIP('::ffff:1.2.3.4')", false],
    ["isIP('fe80::1%eth0')", false],
    ["isIP('2001:db8::1')", true],
    ["ip('192.168.0.1').family()", 4n],
    ["ip('::1').family()", 6n],
    ["ip('::1') == ip('0:0::0:1')", true],
    ["string(ip('2001:DB8:0:0:0:0:0:1'))", '2001:db8::1'],
    ["string(ip('64:ff9b::1.2.3.4'))", '64:ff9b::102:304'],
    ["ip('0.0.0.0').isUnspecified()", true],
    ["ip('::').isUnspecified()", true],
    ["ip('127.0.0.2').isLoopback()", true],
    ["ip('::1').isLoopback()", true],
    ["ip('224.0.0.1').isLinkLocalMulticast()", true],
    ["ip('ff02::1').isLinkLocalMulticast()", true],
    ["ip('169.254.1.1').isLinkLocalUnicast()", true],
    ["ip('fe80::1').isLinkLocalUnicast()", true],
    ["ip('10.0.0.1').isGlobalUnicast()", true],
    ["ip('255.255.255.255').isGlobalUnicast()", false],
    ["ip('224.0.0.1').isGlobalUnicast()", false],
    ["ip.isCanonical('2001:db8::1')", true],
    ["ip.isCanonical('2001:DB8::1')", false],
    ["isCIDR('10.0.0.0/8')", true],
    ["isCIDR('10.0.0.0/33')", false],
    ["isCIDR('10.0.0.0')", false],
    ["cidr('10.0.0.0/8').containsIP('10.1.2.3')", true],
    ["cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))", false],
    ["cidr('10.0.0.0/8').containsIP('::1')", false],
    ["cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')", true],
    ["cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8'))", false],
    ["cidr('2001:db8::/32').containsIP('2001:db8:1::1')", true],
    ["string(cidr('192.168.1.5/24').ip())", '192.168.1.5'],
    ["string(cidr('192.168.1.5/24').masked())", '192.168.1.0/24'],
    ["cidr('192.168.1.5/24').prefixLength()", 24n],
    ["cidr('192.168.1.5/24').masked() == cidr('192.168.1.0/24')", true],
  ])('%s', (src, want) => {
    expect(run(src)).toBe(want);
  });

  it('refuses strings that are not addresses and values of another kind', () => {
    expect(fails("ip('1.2.3')")).toBe(true);
    expect(fails("cidr('1.2.3.4/40')")).toBe(true);
    expect(fails("ip('1.2.3.4').prefixLength()")).toBe(true);
    expect(fails("{'a': 1}.family()")).toBe(true);
  });
});

describe('semver library', () => {
  it.each([
    ["isSemver('1.2.3')", true],
    ["isSemver('v1.2.3')", false],
    ["isSemver('01.2.3')", false],
    ["isSemver('1.2.3-rc.1+build.5')", true],
    ["semver('1.2.3').major()", 1n],
    ["semver('1.2.3').minor()", 2n],
    ["semver('1.2.3').patch()", 3n],
    ["semver('1.2.3').isLessThan(semver('1.10.0'))", true],
    ["semver('1.0.0-rc.1').isLessThan(semver('1.0.0'))", true],
    ["semver('1.0.0-alpha.2').isLessThan(semver('1.0.0-alpha.10'))", true],
    ["semver('1.0.0-alpha').isLessThan(semver('1.0.0-alpha.1'))", true],
    ["semver('1.0.0-beta').isGreaterThan(semver('1.0.0-alpha.9'))", true],
    ["semver('2.0.0').compareTo(semver('1.99.99'))", 1n],
    ["semver('1.0.0+a').compareTo(semver('1.0.0+b'))", 0n],
    // quantity keeps its compareTo beside semver's
    ["quantity('1Gi').compareTo(quantity('1024Mi'))", 0n],
    ["quantity('1').isLessThan(quantity('2'))", true],
  ])('%s', (src, want) => {
    expect(run(src)).toBe(want);
  });

  it('refuses a comparison of a version with a quantity', () => {
    expect(fails("semver('1.0.0').compareTo(quantity('1'))")).toBe(true);
    expect(fails("semver('1.0')")).toBe(true);
  });
});

describe('format library', () => {
  it.each([
    ["format.dns1123Label().validate('my-name').hasValue()", false],
    ["format.dns1123Label().validate('My_Name').hasValue()", true],
    ["format.dns1123Label().validate('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa').hasValue()", true],
    ["format.dns1123Subdomain().validate('a.b-c.d').hasValue()", false],
    ["format.dns1035Label().validate('1abc').hasValue()", true],
    ["format.qualifiedName().validate('example.com/My.Name_1').hasValue()", false],
    ["format.qualifiedName().validate('a/b/c').hasValue()", true],
    ["format.dns1123LabelPrefix().validate('web-').hasValue()", false],
    ["format.dns1123Label().validate('web-').hasValue()", true],
    ["format.dns1123SubdomainPrefix().validate('a.b-').hasValue()", false],
    ["format.dns1035LabelPrefix().validate('a-').hasValue()", false],
    ["format.labelValue().validate('').hasValue()", false],
    ["format.labelValue().validate('-x').hasValue()", true],
    ["format.uri().validate('https://example.com').hasValue()", false],
    ["format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()", false],
    ["format.uuid().validate('123e4567').hasValue()", true],
    ["format.byte().validate('aGVsbG8=').hasValue()", false],
    ["format.byte().validate('aGVsbG8').hasValue()", true],
    ["format.date().validate('2024-02-29').hasValue()", false],
    ["format.date().validate('2023-02-29').hasValue()", true],
    ["format.datetime().validate('2024-02-29T10:00:00.5Z').hasValue()", false],
    ["format.datetime().validate('2024-02-29 25:00:00Z').hasValue()", true],
    ["format.named('dns1123Label').hasValue()", true],
    ["format.named('nope').hasValue()", false],
    ["format.named('uuid').value().validate('x').value().size() > 0", true],
    ["format.dns1123Label().validate('ok').orValue(['none'])", undefined],
  ])('%s', (src, want) => {
    const r = run(src);
    if (want === undefined) expect([...(r as Iterable<unknown>)]).toEqual(['none']);
    else expect(r).toBe(want);
  });

  it('gives the errors as a list and refuses value() of an empty result', () => {
    expect(
      run("format.dns1123Label().validate('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').value().size()"),
    ).toBe(2n);
    expect(fails("format.dns1123Label().validate('ok').value()")).toBe(true);
  });
});

describe('strings.quote and reverse', () => {
  it.each([
    ['strings.quote(\'say "hi"\\n\')', '"say \\"hi\\"\\n"'],
    ["strings.quote('a\\\\b')", '"a\\\\b"'],
    ["'gums'.reverse()", 'smug'],
    ["'héllo'.reverse()", 'olléh'],
  ])('%s', (src, want) => {
    expect(run(src)).toBe(want);
  });

  it('still names a namespaced function podguard lacks', () => {
    expect(unsupportedIn(compile("strings.nope('a')").expr)).toEqual(['function strings.nope()']);
    expect(unsupportedIn(compile('format.nope()').expr)).toEqual(['function format.nope()']);
  });
});
