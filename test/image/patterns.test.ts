/** Image patterns: whole segments, `*` within one, `**` across, bare hosts, Docker Hub short names. */
import { compilePatterns, normalisePattern, validatePattern } from '../../src/config/patterns.js';

const matches = (pattern: string, name: string): boolean => compilePatterns([pattern])(name) !== undefined;

describe('image patterns', () => {
  it.each([
    ['mcr.microsoft.com/**', 'mcr.microsoft.com/dotnet/aspnet', true],
    ['mcr.microsoft.com', 'mcr.microsoft.com/dotnet/aspnet', true],
    ['myregistry.azurecr.io/**', 'myregistry.azurecr.io.evil.example/app', false],
    ['myregistry.azurecr.io', 'myregistry.azurecr.io.evil.example/app', false],
    ['myregistry.azurecr.io/**', 'evil.example/myregistry.azurecr.io/app', false],
    ['myregistry.azurecr.io/team-*/**', 'myregistry.azurecr.io/team-a/api', true],
    ['myregistry.azurecr.io/team-*/**', 'myregistry.azurecr.io/team-a/x/y', true],
    ['myregistry.azurecr.io/team-*/**', 'myregistry.azurecr.io/other/api', false],
    ['myregistry.azurecr.io/team-*', 'myregistry.azurecr.io/team-a/api', false],
    ['docker.io/library/alpine', 'docker.io/library/alpine', true],
    ['docker.io/library/alpine', 'docker.io/library/alpine-extra', false],
    ['alpine', 'docker.io/library/alpine', true],
    ['bitnami/*', 'docker.io/bitnami/redis', true],
    ['bitnami/**', 'docker.io/bitnami/redis', true],
    ['index.docker.io/library/*', 'docker.io/library/nginx', true],
    ['localhost:5000', 'localhost:5000/x', true],
    ['localhost:5000', 'localhost:5001/x', false],
    ['*.azurecr.io/**', 'team.azurecr.io/app', true],
    ['*.azurecr.io/**', 'azurecr.io.evil/app', false],
    ['**/nginx', 'docker.io/library/nginx', true],
    ['**/nginx', 'docker.io/library/xnginx', false],
    ['mcr.microsoft.com/**/aspnet', 'mcr.microsoft.com/dotnet/aspnet', true],
    ['mcr.microsoft.com/**/aspnet', 'mcr.microsoft.com/aspnet', true],
    ['**', 'anything.io/a/b', true],
    ['*', 'anything.io/a/b', true],
    ['mcr.microsoft.com/dotnet', 'mcr.microsoft.com/dotnet/aspnet', false],
    ['my.registry/a.b', 'my.registry/aXb', false],
  ])('%s vs %s: %s', (pattern, name, expected) => {
    expect(validatePattern(pattern)).toBeUndefined();
    expect(matches(pattern, name)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    [' mcr.microsoft.com/**', /spaces/],
    ['MCR.microsoft.com/**', /lowercase/],
    ['nginx:1.27', /tag/],
    ['myregistry.azurecr.io/app:v1', /tag/],
    ['nginx@sha256:abc', /digest/],
    ['mcr.microsoft.com//x', /"\/\/"/],
    ['/x', /"\/"/],
    ['a/b**', /"\*\*"/],
    ['!mcr.microsoft.com', /may only use/],
    ['{a,b}/x', /may only use/],
  ])('rejects %j', (pattern, problem) => {
    expect(validatePattern(pattern)).toMatch(problem);
  });

  it('normalises patterns like Docker normalises names', () => {
    expect(normalisePattern('alpine')).toBe('docker.io/library/alpine');
    expect(normalisePattern('user/app')).toBe('docker.io/user/app');
    expect(normalisePattern('ghcr.io')).toBe('ghcr.io/**');
    expect(normalisePattern('mcr.microsoft.com/**')).toBe('mcr.microsoft.com/**');
  });

  it('returns the first matching pattern, and nothing for an empty list', () => {
    expect(compilePatterns(['ghcr.io/**', 'ghcr.io/x/*'])('ghcr.io/x/y')).toBe('ghcr.io/**');
    expect(compilePatterns([])('ghcr.io/x/y')).toBeUndefined();
  });
});
