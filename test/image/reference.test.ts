/** The Docker reference grammar and normalisation, as a table. */
import fc from 'fast-check';
import { familiarName, parseReference } from '../../src/image/reference.js';

const D = 'sha256:' + 'a'.repeat(64);

describe('parseReference', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx', undefined, undefined],
    ['nginx:1.27', 'docker.io', 'library/nginx', '1.27', undefined],
    ['user/app', 'docker.io', 'user/app', undefined, undefined],
    ['user/app:v1', 'docker.io', 'user/app', 'v1', undefined],
    ['docker.io/nginx', 'docker.io', 'library/nginx', undefined, undefined],
    ['docker.io/library/nginx:latest', 'docker.io', 'library/nginx', 'latest', undefined],
    ['index.docker.io/library/nginx', 'docker.io', 'library/nginx', undefined, undefined],
    ['localhost/app', 'localhost', 'app', undefined, undefined],
    ['localhost:5000/x', 'localhost:5000', 'x', undefined, undefined],
    ['localhost:5000/x:1.0', 'localhost:5000', 'x', '1.0', undefined],
    ['myregistry.azurecr.io/shop/orders-api:1.4.2', 'myregistry.azurecr.io', 'shop/orders-api', '1.4.2', undefined],
    ['registry.example.com:8443/team/a/b/c:2', 'registry.example.com:8443', 'team/a/b/c', '2', undefined],
    ['MyRegistry.AzureCR.io/app:1', 'myregistry.azurecr.io', 'app', '1', undefined],
    [`alpine@${D}`, 'docker.io', 'library/alpine', undefined, D],
    [`alpine:3.20@${D}`, 'docker.io', 'library/alpine', '3.20', D],
    [`localhost:5000/x@${D}`, 'localhost:5000', 'x', undefined, D],
    ['mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled', 'mcr.microsoft.com', 'dotnet/aspnet', '8.0-jammy-chiseled', undefined],
    ['a__b/c-d--e/f.g_h', 'docker.io', 'a__b/c-d--e/f.g_h', undefined, undefined],
    ['[::1]:5000/app', '[::1]:5000', 'app', undefined, undefined],
    ['10.0.0.1:5000/app:v', '10.0.0.1:5000', 'app', 'v', undefined],
  ])('%s', (input, registry, path, tag, digest) => {
    const r = parseReference(input);
    expect(r).toEqual({ ok: true, original: input, registry, path, name: `${registry}/${path}`, tag, digest });
  });

  it.each([
    ['', /empty/],
    ['Nginx', /lowercase/],
    ['user/App:1', /lowercase/],
    ['MyUser/app:1', /lowercase/],
    ['nginx:', /not a valid tag/],
    ['nginx:-x', /not a valid tag/],
    ['nginx:' + 'a'.repeat(129), /not a valid tag/],
    ['nginx@sha256:abc', /not a valid digest/],
    [`nginx@sha256:${'A'.repeat(64)}`, /lowercase hex/],
    ['nginx@', /not a valid digest/],
    ['user//app', /empty path component/],
    ['/app', /empty path component/],
    ['app/', /empty path component/],
    ['my_registry.io:5000/app', /not a valid registry host/],
    ['-app', /not a valid repository name component/],
    ['a..b', /not a valid repository name component/],
    ['nginx 1.27', /whitespace/],
    [':1.0', /no repository name/],
  ])('rejects %j', (input, reason) => {
    const r = parseReference(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('never throws, whatever the input', () => {
    for (const s of ['@', ':', '::', '/', '@@', 'a:b:c', 'a@b@c', '\u0000', 'x'.repeat(300), '[', '[::1]/x']) {
      expect(() => parseReference(s)).not.toThrow();
    }
  });

  it('shows familiar names', () => {
    expect(familiarName('docker.io/library/nginx')).toBe('nginx');
    expect(familiarName('docker.io/user/app')).toBe('user/app');
    expect(familiarName('mcr.microsoft.com/dotnet/aspnet')).toBe('mcr.microsoft.com/dotnet/aspnet');
  });
});

describe('parseReference properties', () => {
  it('never throws, and a normalised name parses back to itself', () => {
    const chars = fc.constantFrom(...'abcXYZ019.-_/:@'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (cs) => {
        const r = parseReference(cs.join(''));
        if (!r.ok) return typeof r.reason === 'string' && r.reason.length > 0;
        const again = parseReference(r.name);
        return again.ok && again.name === r.name;
      }),
      { numRuns: 2000 },
    );
  });
});
